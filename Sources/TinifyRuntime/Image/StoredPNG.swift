// TinifyRuntime: an 8-bit RGB PNG (ISO/IEC 15948) written without compression: the image data is
// one zlib stream (RFC 1950) of stored deflate blocks (RFC 1951 §3.2.4), rows unfiltered. A
// decoder's reconstruction barely compresses (zlib's fastest level saves about 10 % on a
// photograph and costs more time than the decoding of a small image), and without a compressor
// the file's bytes depend on the pixels alone — not on the zlib or libpng version — so
// `--bit-exact` output is identical byte for byte on every machine.
import TinifyCore

/// Writes PNG files of stored deflate blocks.
enum StoredPNG {
    /// The largest stored block.
    static let blockLimit = 65_535

    /// The file bytes of `pixels` (height rows of width × 3 bytes, RGB).
    static func encode(rgb pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int) -> [UInt8] {
        let row = width * 3
        let raw = height * (row + 1)
        let blocks = max(1, (raw + blockLimit - 1) / blockLimit)
        var out: [UInt8] = []
        out.reserveCapacity(raw + 5 * blocks + 64)
        out += [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header: [UInt8] = []
        append32(&header, UInt32(width)); append32(&header, UInt32(height))
        header += [8, 2, 0, 0, 0]  // 8 bits, truecolour, deflate, adaptive filtering (all rows None), no interlace
        chunk(&out, "IHDR", header)

        // The zlib stream: header (deflate, 32 KiB window, no dictionary, fastest), stored blocks
        // over the filtered rows (filter byte 0, then the row), Adler-32 of those rows.
        var data: [UInt8] = []
        data.reserveCapacity(raw + 5 * blocks + 6)
        data += [0x78, 0x01]
        var adler = Adler32()
        var remaining = raw, rowIndex = 0, column = -1  // column −1: the row's filter byte is next
        while remaining > 0 || data.count == 2 {
            let n = min(remaining, blockLimit)
            remaining -= n
            data.append(remaining == 0 ? 1 : 0)
            data += [UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            var left = n
            while left > 0 {
                if column < 0 {
                    data.append(0); adler.add(0); column = 0; left -= 1
                    continue
                }
                let take = min(left, row - column)
                let start = rowIndex * row + column
                let slice = UnsafeBufferPointer(rebasing: pixels[start..<(start + take)])
                data.append(contentsOf: slice)
                adler.add(slice)
                column += take; left -= take
                if column == row { column = -1; rowIndex += 1 }
            }
            if raw == 0 { break }
        }
        append32(&data, adler.value)
        chunk(&out, "IDAT", data)
        chunk(&out, "IEND", [])
        return out
    }

    /// Appends `v` big-endian.
    private static func append32(_ a: inout [UInt8], _ v: UInt32) {
        a += [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }

    /// Appends a chunk: length, type, data, CRC-32 of type and data.
    private static func chunk(_ out: inout [UInt8], _ type: String, _ data: [UInt8]) {
        append32(&out, UInt32(data.count))
        let typeBytes = Array(type.utf8)
        out += typeBytes
        out += data
        var crc = CRC32()
        typeBytes.withUnsafeBytes { crc.update($0) }
        data.withUnsafeBytes { crc.update($0) }
        append32(&out, crc.value)
    }
}

/// Adler-32 (RFC 1950), reduced every 5552 bytes so the sums cannot overflow.
struct Adler32 {
    private var a: UInt32 = 1, b: UInt32 = 0
    /// Adds one byte.
    mutating func add(_ byte: UInt8) { a = (a + UInt32(byte)) % 65_521; b = (b + a) % 65_521 }
    /// Adds bytes.
    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
        var i = 0
        while i < bytes.count {
            let end = min(bytes.count, i + 5552)
            while i < end { a &+= UInt32(bytes[i]); b &+= a; i += 1 }
            a %= 65_521; b %= 65_521
        }
    }
    /// The checksum of the bytes added.
    var value: UInt32 { (b << 16) | a }
}
