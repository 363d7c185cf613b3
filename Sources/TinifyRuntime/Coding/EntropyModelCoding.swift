// TinifyRuntime: compress / decompress of the two entropy models, as
// compressai.entropy_models.EntropyModel.compress/decompress (v1.2.8) do them: symbols are
// round(x − μ) (half to even) as int32, one rANS string per batch item in C,H,W order, coded with
// the checkpoint's stored tables; decoding gives float(symbol) + μ.
import TinifyCore

/// Quantisation to coding symbols.
enum Symbols {
    /// round(v) half to even as int32; a value that is not finite or does not fit is refused.
    @inline(__always) static func round(_ v: Float) throws -> Int32 {
        let r = v.rounded(.toNearestOrEven)
        guard let s = Int32(exactly: r) else {
            // Reported saturated: a finite float can exceed Int's range too (1e30), NaN has none.
            throw CodingError.valueOutOfRange(Int(exactly: r) ?? (r < 0 ? Int.min : Int.max))
        }
        return s
    }
}

extension EntropyBottleneck {
    /// `compress(x)`: per batch item, round(x − median) of every element, coded with its channel's CDF.
    /// With `step` (EntropyBottleneckVbr's `compress(x, qs=step)`): round((x − median)/qs).
    func compress(_ x: FloatTensor, step: Float? = nil) throws -> [[UInt8]] {
        let table = try codingTable.get()
        guard x.c == channels, table.rows == channels else {
            throw CodingError.shapeMismatch("\(x.c) channels for a bottleneck of \(channels) with \(table.rows) cdf rows")
        }
        let plane = x.h * x.w, med = medians
        let indexes = channelIndexes(plane: plane)
        return try (0..<x.n).map { b in
            var symbols = [Int32]()
            symbols.reserveCapacity(channels * plane)
            for c in 0..<channels {
                let base = (b * channels + c) * plane
                for j in 0..<plane { symbols.append(try Symbols.round(step.map { (x[base + j] - med[c]) / $0 } ?? x[base + j] - med[c])) }
            }
            var encoder = RansEncoder()
            try encoder.encode(symbols, indexes: indexes, table: table)
            return encoder.flush()
        }
    }

    /// The hyperprior encoder's step: z's strings, and ẑ decoded back from them (what the decoder
    /// will see, so that both run h_s on the same values).
    func compressDecoded(_ z: FloatTensor, step: Float? = nil) throws -> (strings: [[UInt8]], decoded: FloatTensor) {
        let strings = try compress(z, step: step)
        return (strings, try decompress(strings, height: z.h, width: z.w, step: step))
    }

    /// Each element's CDF row: its channel, for `channels` planes of `plane` elements.
    private func channelIndexes(plane: Int) -> [Int32] {
        (0..<channels).flatMap { [Int32](repeating: Int32($0), count: plane) }
    }

    /// `decompress(strings, size)`: ŷ of shape (strings.count, C, height, width), symbol + median
    /// (symbol·qs + median with `step`).
    func decompress(_ strings: [[UInt8]], height: Int, width: Int, step: Float? = nil) throws -> FloatTensor {
        let table = try codingTable.get()
        guard table.rows == channels else { throw CodingError.shapeMismatch("\(table.rows) cdf rows for \(channels) channels") }
        let plane = height * width, med = medians
        let indexes = channelIndexes(plane: plane)
        var out = FloatTensor(shape: [strings.count, channels, height, width], repeating: 0)
        for (b, string) in strings.enumerated() {
            var decoder = try RansDecoder(string)
            let symbols = try decoder.decode(indexes: indexes, table: table)
            out.withUnsafeMutableBufferPointer { p in
                for c in 0..<channels {
                    let base = (b * channels + c) * plane
                    for j in 0..<plane {
                        let q = Float(symbols[c * plane + j])
                        p[base + j] = (step.map { q * $0 } ?? q) + med[c]
                    }
                }
            }
        }
        return out
    }
}

extension GaussianConditional {
    /// The stored scale table, which `build_indexes` compares against.
    func storedScaleTable() throws -> [Float] {
        guard !scaleTable.isEmpty else { throw CodingError.notUpdated(prefix: prefix) }
        return scaleTable
    }

    /// `build_indexes(scales)` against the stored scale table.
    func indexes(_ scales: [Float]) throws -> [Int32] {
        GaussianConditional.buildIndexes(scales, table: try storedScaleTable(), bound: scaleBound)
    }

    /// `compress(y, indexes, means)`: per batch item, round(y − μ) coded with the CDF rows `indexes`
    /// (one per element of y, batch items concatenated).
    func compress(_ y: FloatTensor, indexes: [Int32], means: FloatTensor?) throws -> [[UInt8]] {
        let table = try codingTable.get()
        let per = y.count / max(y.n, 1)
        guard indexes.count == y.count, means.map({ $0.count == y.count }) ?? true else {
            throw CodingError.shapeMismatch("\(indexes.count) indexes and \(means?.count ?? y.count) means for \(y.count) values")
        }
        return try (0..<y.n).map { b in
            let range = (b * per)..<((b + 1) * per)
            let symbols = try range.map { i in try Symbols.round(means.map { y[i] - $0[i] } ?? y[i]) }
            var encoder = RansEncoder()
            try encoder.encode(symbols, indexes: Array(indexes[range]), table: table)
            return encoder.flush()
        }
    }

    /// `decompress(strings, indexes, means)`: ŷ of `shape` (batch first), symbol + μ.
    func decompress(_ strings: [[UInt8]], indexes: [Int32], means: FloatTensor?, shape: [Int]) throws -> FloatTensor {
        let table = try codingTable.get()
        let count = shape.reduce(1, *)
        guard shape.first == strings.count, indexes.count == count, means.map({ $0.count == count }) ?? true else {
            throw CodingError.shapeMismatch("\(strings.count) strings and \(indexes.count) indexes for shape \(shape)")
        }
        let per = count / max(strings.count, 1)
        var out = FloatTensor(shape: shape, repeating: 0)
        for (b, string) in strings.enumerated() {
            var decoder = try RansDecoder(string)
            let symbols = try decoder.decode(indexes: Array(indexes[(b * per)..<((b + 1) * per)]), table: table)
            out.withUnsafeMutableBufferPointer { p in
                for j in 0..<per {
                    let i = b * per + j
                    p[i] = Float(symbols[j]) + (means?[i] ?? 0)
                }
            }
        }
        return out
    }
}
