// TinifyRuntime: the range-variant asymmetric numeral system coder (J. Duda, "Asymmetric numeral
// systems: entropy coding combining speed of Huffman coding with compression rate of arithmetic
// coding", arXiv:1311.2540, 2013) that CompressAI uses (F. Giesen's `rans64.h` inside
// compressai/cpp_exts/rans/rans_interface.cpp, v1.2.8): a 64-bit state with
// lower bound 2³¹, 32-bit words, 16-bit CDF precision, and values outside a CDF's range escaped
// through its last ("tail") symbol followed by 4-bit bypass chunks. Streams are byte-identical to
// `BufferedRansEncoder.flush()` / `RansEncoder.encode_with_indexes`: the final state as a
// little-endian uint64, then the renormalisation words in the order the decoder reads them.

/// The CDF tables an entropy model codes with: one quantised CDF row per index, its length and
/// the offset added to decoded symbols (CompressAI's `_quantized_cdf`, `_cdf_length`, `_offset`).
package struct CDFTable: Sendable {
    /// Rows of `width` entries each, row-major.
    let cdf: [Int32]
    /// Entries per row in `cdf`.
    let width: Int
    /// The used length of each row (`_cdf_length`): the row's symbols plus the tail, plus one.
    let lengths: [Int32]
    /// The value of symbol 0 of each row (`_offset`).
    let offsets: [Int32]

    /// The number of rows.
    package var rows: Int { lengths.count }

    /// Checks that every row can code: lengths in 2…width, entries strictly increasing from 0 to
    /// 65536 over the used length (so every symbol has a non-zero frequency). `key` names errors.
    package init(cdf: [Int32], width: Int, lengths: [Int32], offsets: [Int32], key: String) throws {
        guard width >= 2, cdf.count == lengths.count * width else {
            throw CodingError.badTable(key: key, reason: "\(cdf.count) entries for \(lengths.count) rows of \(width)")
        }
        guard offsets.count == lengths.count, !lengths.isEmpty else {
            throw CodingError.badTable(key: key, reason: "\(lengths.count) lengths and \(offsets.count) offsets")
        }
        for (r, length) in lengths.enumerated() {
            let l = Int(length)
            guard l >= 3, l <= width else {
                throw CodingError.badTable(key: key, reason: "row \(r) has length \(l), outside 3…\(width)")
            }
            let row = r * width
            guard cdf[row] == 0, cdf[row + l - 1] == 1 << RansCoder.precision else {
                throw CodingError.badTable(key: key, reason: "row \(r) does not run from 0 to \(1 << RansCoder.precision)")
            }
            for i in 1..<l where cdf[row + i] <= cdf[row + i - 1] {
                throw CodingError.badTable(key: key, reason: "row \(r) is not increasing at entry \(i)")
            }
        }
        self.cdf = cdf
        self.width = width
        self.lengths = lengths
        self.offsets = offsets
    }
}

/// rANS constants and the symbol encoder / decoder.
package enum RansCoder {
    /// CDF precision in bits.
    package static let precision = 16
    /// Bits per bypass chunk.
    static let bypassBits = 4
    /// The largest bypass chunk value (also the "more chunks follow" marker for the chunk count).
    static let bypassMax: UInt32 = 15
    /// The state's lower bound, 2³¹.
    static let lowerBound: UInt64 = 1 << 31
    /// A raw escaped value has at most this many 4-bit chunks (32 bits).
    static let maxChunks = 8
}

/// Buffers symbols, then encodes them all at once (CompressAI's `BufferedRansEncoder`).
package struct RansEncoder {
    private struct Step { let start: UInt32; let freq: UInt32; let bypass: Bool }
    private var steps: [Step] = []

    /// An empty encoder.
    package init() {}

    /// Adds `symbols`, each coded with the CDF row `indexes[i]` of `table`
    /// (`encode_with_indexes`). Values beyond a row's range are escaped as CompressAI does.
    package mutating func encode(_ symbols: [Int32], indexes: [Int32], table: CDFTable) throws {
        guard symbols.count == indexes.count else {
            throw CodingError.shapeMismatch("\(symbols.count) symbols, \(indexes.count) indexes")
        }
        steps.reserveCapacity(steps.count + symbols.count)
        for (symbol, index) in zip(symbols, indexes) {
            let r = Int(index)
            guard r >= 0, r < table.rows else { throw CodingError.indexOutOfRange(index: r, rows: table.rows) }
            let maxValue = Int64(table.lengths[r]) - 2
            var value = Int64(symbol) - Int64(table.offsets[r])
            var raw: UInt64 = 0
            if value < 0 {
                raw = UInt64(-2 * value - 1)
                value = maxValue
            } else if value >= maxValue {
                raw = UInt64(2 * (value - maxValue))
                value = maxValue
            }
            let base = r * table.width + Int(value)
            let start = UInt32(table.cdf[base]), end = UInt32(table.cdf[base + 1])
            steps.append(Step(start: start, freq: end - start, bypass: false))
            guard value == maxValue else { continue }
            // CompressAI keeps the raw value in 32 bits (`uint32_t raw_val`).
            let raw32 = UInt32(truncatingIfNeeded: raw)
            var chunks = 0
            while chunks < RansCoder.maxChunks, raw32 >> UInt32(chunks * RansCoder.bypassBits) != 0 { chunks += 1 }
            var count = UInt32(chunks)
            while count >= RansCoder.bypassMax {
                steps.append(Step(start: RansCoder.bypassMax, freq: 1, bypass: true))
                count -= RansCoder.bypassMax
            }
            steps.append(Step(start: count, freq: 1, bypass: true))
            for j in 0..<chunks {
                steps.append(Step(start: (raw32 >> UInt32(j * RansCoder.bypassBits)) & RansCoder.bypassMax, freq: 1, bypass: true))
            }
        }
    }

    /// Encodes everything buffered and returns the stream (`flush()`); the encoder is emptied.
    package mutating func flush() -> [UInt8] {
        var words: [UInt32] = []  // in reverse order of reading
        words.reserveCapacity(steps.count / 2 + 2)
        var x = RansCoder.lowerBound
        let shift = UInt64(RansCoder.precision)
        for step in steps.reversed() {
            if step.bypass {
                if x >= 1 << 59 {  // ((L >> 16) << 32) · 2^(16−4)
                    words.append(UInt32(truncatingIfNeeded: x))
                    x >>= 32
                }
                x = (x << UInt64(RansCoder.bypassBits)) | UInt64(step.start)
            } else {
                let freq = UInt64(step.freq)
                if x >= (1 << 47) * freq {  // ((L >> 16) << 32) · freq
                    words.append(UInt32(truncatingIfNeeded: x))
                    x >>= 32
                }
                x = ((x / freq) << shift) + (x % freq) + UInt64(step.start)
            }
        }
        steps.removeAll()
        words.append(UInt32(truncatingIfNeeded: x >> 32))
        words.append(UInt32(truncatingIfNeeded: x))
        var out = [UInt8]()
        out.reserveCapacity(words.count * 4)
        for w in words.reversed() {
            out.append(UInt8(truncatingIfNeeded: w))
            out.append(UInt8(truncatingIfNeeded: w >> 8))
            out.append(UInt8(truncatingIfNeeded: w >> 16))
            out.append(UInt8(truncatingIfNeeded: w >> 24))
        }
        return out
    }
}

/// Decodes a stream symbol by symbol (`RansDecoder.decode_stream` / `decode_with_indexes`).
/// Every word read is bounds-checked: a truncated or corrupt stream throws, never reads past its end.
package struct RansDecoder {
    private let bytes: [UInt8]
    private var position: Int
    private var x: UInt64

    /// Starts decoding `bytes` (at least 8 bytes, a multiple of 4).
    package init(_ bytes: [UInt8]) throws {
        guard bytes.count >= 8, bytes.count % 4 == 0 else { throw CodingError.badLength(bytes.count) }
        self.bytes = bytes
        position = 0
        x = 0
        let low = UInt64(try word()), high = UInt64(try word())
        x = low | high << 32
    }

    private mutating func word() throws -> UInt32 {
        guard position + 4 <= bytes.count else { throw CodingError.truncated(atByte: position) }
        let w = UInt32(bytes[position]) | UInt32(bytes[position + 1]) << 8 | UInt32(bytes[position + 2]) << 16 | UInt32(bytes[position + 3]) << 24
        position += 4
        return w
    }

    private mutating func bits(_ n: Int) throws -> UInt32 {
        let v = UInt32(truncatingIfNeeded: x & ((1 << UInt64(n)) - 1))
        x >>= UInt64(n)
        if x < RansCoder.lowerBound { x = x << 32 | UInt64(try word()) }
        return v
    }

    /// Decodes `indexes.count` symbols, each with the CDF row `indexes[i]` of `table`.
    package mutating func decode(indexes: [Int32], table: CDFTable) throws -> [Int32] {
        var out = [Int32]()
        out.reserveCapacity(indexes.count)
        let mask: UInt64 = (1 << UInt64(RansCoder.precision)) - 1
        for index in indexes {
            let r = Int(index)
            guard r >= 0, r < table.rows else { throw CodingError.indexOutOfRange(index: r, rows: table.rows) }
            let length = Int(table.lengths[r]), base = r * table.width
            let cum = Int32(truncatingIfNeeded: x & mask)
            // The last entry ≤ cum; the table is strictly increasing from 0, so 0 ≤ s ≤ length − 2.
            var lo = 0, hi = length - 1
            while hi - lo > 1 {
                let mid = (lo + hi) / 2
                if table.cdf[base + mid] <= cum { lo = mid } else { hi = mid }
            }
            let s = lo
            let start = UInt64(table.cdf[base + s]), freq = UInt64(table.cdf[base + s + 1]) - start
            x = freq * (x >> UInt64(RansCoder.precision)) + (x & mask) - start
            if x < RansCoder.lowerBound { x = x << 32 | UInt64(try word()) }
            var value = Int64(s)
            let maxValue = Int64(length - 2)
            if value == maxValue {
                let at = position
                var chunk = try bits(RansCoder.bypassBits)
                var chunks = Int(chunk)
                while chunk == RansCoder.bypassMax {
                    chunk = try bits(RansCoder.bypassBits)
                    chunks += Int(chunk)
                    guard chunks <= RansCoder.maxChunks else { throw CodingError.badEscape(atByte: at, chunks: chunks) }
                }
                guard chunks <= RansCoder.maxChunks else { throw CodingError.badEscape(atByte: at, chunks: chunks) }
                var raw: UInt32 = 0
                for j in 0..<chunks { raw |= try bits(RansCoder.bypassBits) << UInt32(j * RansCoder.bypassBits) }
                let half = Int64(raw >> 1)
                value = raw & 1 == 1 ? -half - 1 : half + maxValue
            }
            let decoded = value + Int64(table.offsets[r])
            guard let v = Int32(exactly: decoded) else { throw CodingError.valueOutOfRange(Int(decoded)) }
            out.append(v)
        }
        return out
    }
}
