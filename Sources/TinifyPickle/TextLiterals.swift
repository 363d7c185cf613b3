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
/// beyond 64 bits (bounded in size by `PickleLimits.maxIntegerBytes`). Both directions work on
/// 32-bit limbs nine decimal digits at a time, so a 4096-byte integer converts in about a
/// millisecond rather than the best part of a second a digit-by-byte loop takes.
package enum BigDecimal {
    private static let chunk: UInt64 = 1_000_000_000   // 10^9, the most decimal digits a step takes

    /// Little-endian two's-complement bytes of a decimal string (digits other than 0–9 and
    /// a leading `-` are ignored).
    static func twosComplement(decimal s: String) -> [UInt8] {
        let negative = s.hasPrefix("-")
        var limbs: [UInt32] = []   // little-endian magnitude, base 2^32
        func mulAdd(_ scale: UInt64, _ add: UInt64) {
            var carry = add
            limbs.withUnsafeMutableBufferPointer { l in
                for k in 0..<l.count {
                    let v = UInt64(l[k]) * scale + carry
                    l[k] = UInt32(truncatingIfNeeded: v)
                    carry = v >> 32
                }
            }
            if carry > 0 { limbs.append(UInt32(truncatingIfNeeded: carry)) }
        }
        var acc: UInt64 = 0, digits = 0, scale: UInt64 = 1
        for d in s.utf8 where d >= 48 && d <= 57 {
            acc = acc * 10 + UInt64(d - 48); scale *= 10; digits += 1
            if digits == 9 { mulAdd(scale, acc); acc = 0; digits = 0; scale = 1 }
        }
        if digits > 0 { mulAdd(scale, acc) }
        var mag: [UInt8] = []
        mag.reserveCapacity(limbs.count * 4 + 1)
        for l in limbs { for b in 0..<4 { mag.append(UInt8(truncatingIfNeeded: l >> (8 * UInt32(b)))) } }
        while mag.count > 1, mag[mag.count - 1] == 0 { mag.removeLast() }
        if mag.isEmpty { mag = [0] }
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
    package static func decimal(twosComplement bytes: [UInt8]) -> String {
        guard let last = bytes.last else { return "0" }
        let negative = last & 0x80 != 0
        // The magnitude (negated when negative: ~b + 1) as little-endian 32-bit limbs.
        var limbs = [UInt32](repeating: 0, count: (bytes.count + 3) / 4)
        var carry: UInt32 = negative ? 1 : 0
        for (k, b) in bytes.enumerated() {
            let x = UInt32(negative ? ~b : b) + carry
            carry = x >> 8
            limbs[k / 4] |= (x & 0xFF) << (8 * UInt32(k % 4))
        }
        // Repeated division by 10^9, most significant limb first.
        var top = limbs.count
        while top > 0, limbs[top - 1] == 0 { top -= 1 }
        var groups: [UInt32] = []   // base-10^9 digits, least significant first
        limbs.withUnsafeMutableBufferPointer { l in
            while top > 0 {
                var rem: UInt64 = 0
                var k = top - 1
                while k >= 0 {
                    let cur = rem << 32 | UInt64(l[k])
                    l[k] = UInt32(truncatingIfNeeded: cur / chunk)
                    rem = cur % chunk
                    k -= 1
                }
                groups.append(UInt32(truncatingIfNeeded: rem))
                while top > 0, l[top - 1] == 0 { top -= 1 }
            }
        }
        guard let head = groups.last else { return "0" }
        var out = (negative ? "-" : "") + String(head)
        for g in groups.dropLast().reversed() {
            let t = String(g)
            out += String(repeating: "0", count: 9 - t.count) + t
        }
        return out
    }
}
