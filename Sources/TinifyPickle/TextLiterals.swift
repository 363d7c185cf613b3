// TinifyPickle: protocol-0 text literals and arbitrary-size integers.

/// Decoders for the quoted and escaped strings of protocol 0.
enum TextLiterals {
    /// `STRING`: a Python repr, `'abc\n'` or `"abc"`, decoded to bytes.
    static func quoted(_ line: [UInt8], offset: Int) throws -> [UInt8] {
        guard line.count >= 2, let q = line.first, q == line.last, q == UInt8(ascii: "'") || q == UInt8(ascii: "\"") else {
            throw PickleError.invalidLiteral("STRING is not quoted", offset: offset)
        }
        var out: [UInt8] = []
        var i = 1
        let end = line.count - 1
        while i < end {
            let c = line[i]
            if c != UInt8(ascii: "\\") { out.append(c); i += 1; continue }
            guard i + 1 < end else { throw PickleError.invalidLiteral("dangling escape in STRING", offset: offset) }
            let e = line[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "0"): out.append(0)
            case UInt8(ascii: "x"):
                guard i + 2 <= end, let v = UInt8(String(decoding: line[i..<(i + 2)], as: UTF8.self), radix: 16) else {
                    throw PickleError.invalidLiteral("bad \\x escape in STRING", offset: offset)
                }
                out.append(v); i += 2
            default: out.append(e)
            }
        }
        return out
    }

    /// `UNICODE`: raw-unicode-escape text (`\uXXXX`, `\UXXXXXXXX`, other bytes as Latin-1).
    static func rawUnicodeEscape(_ line: [UInt8], offset: Int) throws -> String {
        var scalars = String.UnicodeScalarView()
        var i = 0
        while i < line.count {
            let c = line[i]
            if c == UInt8(ascii: "\\"), i + 1 < line.count, line[i + 1] == UInt8(ascii: "u") || line[i + 1] == UInt8(ascii: "U") {
                let n = line[i + 1] == UInt8(ascii: "u") ? 4 : 8
                guard i + 2 + n <= line.count, let v = UInt32(String(decoding: line[(i + 2)..<(i + 2 + n)], as: UTF8.self), radix: 16),
                      let s = Unicode.Scalar(v) else {
                    throw PickleError.invalidLiteral("bad \\u escape in UNICODE", offset: offset)
                }
                scalars.append(s); i += 2 + n
            } else {
                scalars.append(Unicode.Scalar(c)); i += 1
            }
        }
        return String(scalars)
    }
}

/// Conversions between decimal text and little-endian two's-complement bytes, for integers
/// beyond 64 bits (bounded in size by `PickleLimits.maxIntegerBytes`).
public enum BigDecimal {
    /// Little-endian two's-complement bytes of a decimal string.
    static func twosComplement(decimal s: String) -> [UInt8] {
        let negative = s.hasPrefix("-")
        let digits = s.utf8.filter { $0 >= 48 && $0 <= 57 }
        var mag: [UInt8] = [0]   // little-endian magnitude
        for d in digits {
            var carry = Int(d - 48)
            for i in 0..<mag.count {
                let v = Int(mag[i]) * 10 + carry
                mag[i] = UInt8(v & 0xFF); carry = v >> 8
            }
            while carry > 0 { mag.append(UInt8(carry & 0xFF)); carry >>= 8 }
        }
        mag.append(0) // room for the sign bit
        if negative {
            var carry = 1
            for i in 0..<mag.count {
                let v = Int(~mag[i]) + carry
                mag[i] = UInt8(v & 0xFF); carry = v >> 8
            }
        }
        return mag
    }

    /// The decimal text of little-endian two's-complement bytes.
    public static func decimal(twosComplement bytes: [UInt8]) -> String {
        guard let last = bytes.last else { return "0" }
        let negative = last & 0x80 != 0
        var mag = bytes
        if negative {
            var carry = 1
            for i in 0..<mag.count {
                let v = Int(~mag[i]) + carry
                mag[i] = UInt8(v & 0xFF); carry = v >> 8
            }
        }
        // Repeated division by 10 of a big-endian magnitude.
        var be = Array(mag.reversed())
        var out: [UInt8] = []
        while be.contains(where: { $0 != 0 }) {
            var rem = 0
            for i in 0..<be.count {
                let v = rem * 256 + Int(be[i])
                be[i] = UInt8(v / 10); rem = v % 10
            }
            out.append(UInt8(48 + rem))
            while be.first == 0 { be.removeFirst() }
        }
        if out.isEmpty { out = [48] }
        return (negative ? "-" : "") + String(decoding: out.reversed(), as: UTF8.self)
    }
}
