// TinifySafetensors: a bounded, strict JSON scanner for safetensors headers (RFC 8259 grammar,
// no trailing commas, no lone surrogates). It parses the schema it expects directly and skips
// unknown values without building a tree, so its memory is bounded by what it returns and its
// recursion by `maxDepth`.
import TinifyCore

/// A cursor over a header's bytes.
struct HeaderScanner {
    let bytes: UnsafeRawBufferPointer
    private(set) var pos = 0
    let maxDepth: Int

    init(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = 64) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    func fail(_ what: String) -> SafetensorsError { .json(what, offset: pos) }

    var atEnd: Bool { pos >= bytes.count }

    mutating func skipWhitespace() {
        while pos < bytes.count {
            let c = bytes[pos]
            guard c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D else { return }
            pos += 1
        }
    }

    mutating func peek() -> UInt8? {
        skipWhitespace()
        return pos < bytes.count ? bytes[pos] : nil
    }

    mutating func expect(_ c: UInt8) throws {
        guard peek() == c else { throw fail("expected '\(Character(Unicode.Scalar(c)))'") }
        pos += 1
    }

    /// Parses `{ "k": v, … }`, calling `member` with each key; `member` must consume the value.
    mutating func object(depth: Int, _ member: (inout HeaderScanner, String) throws -> Void) throws {
        guard depth <= maxDepth else { throw SafetensorsError.tooDeep(limit: maxDepth) }
        try expect(UInt8(ascii: "{"))
        if peek() == UInt8(ascii: "}") { pos += 1; return }
        while true {
            guard peek() == UInt8(ascii: "\"") else { throw fail("expected a string key") }
            let key = try string()
            try expect(UInt8(ascii: ":"))
            try member(&self, key)
            switch peek() {
            case UInt8(ascii: ","): pos += 1
            case UInt8(ascii: "}"): pos += 1; return
            default: throw fail("expected ',' or '}'")
            }
        }
    }

    /// Parses `[ v, … ]`, calling `element` for each; `element` must consume the value.
    mutating func array(depth: Int, _ element: (inout HeaderScanner) throws -> Void) throws {
        guard depth <= maxDepth else { throw SafetensorsError.tooDeep(limit: maxDepth) }
        try expect(UInt8(ascii: "["))
        if peek() == UInt8(ascii: "]") { pos += 1; return }
        while true {
            try element(&self)
            switch peek() {
            case UInt8(ascii: ","): pos += 1
            case UInt8(ascii: "]"): pos += 1; return
            default: throw fail("expected ',' or ']'")
            }
        }
    }

    /// Parses a string literal (the bytes are already known to be valid UTF-8).
    mutating func string() throws -> String {
        guard peek() == UInt8(ascii: "\"") else { throw fail("expected a string") }
        pos += 1
        let start = pos
        // Fast path: no escapes.
        while pos < bytes.count {
            let c = bytes[pos]
            if c == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
                pos += 1
                return s
            }
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 { throw fail("control character in string") }
            pos += 1
        }
        var out = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[start..<pos]))
        while pos < bytes.count {
            let c = bytes[pos]
            if c == UInt8(ascii: "\"") {
                pos += 1
                return String(decoding: out, as: UTF8.self)
            }
            if c < 0x20 { throw fail("control character in string") }
            if c != UInt8(ascii: "\\") {
                out.append(c)
                pos += 1
                continue
            }
            pos += 1
            guard pos < bytes.count else { break }
            let e = bytes[pos]
            pos += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var v = try hex4()
                if (0xD800...0xDBFF).contains(v) {
                    guard pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") else {
                        throw fail("lone leading surrogate in escape")
                    }
                    pos += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw fail("invalid trailing surrogate in escape") }
                    v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(v) {
                    throw fail("lone trailing surrogate in escape")
                }
                guard let scalar = Unicode.Scalar(v) else { throw fail("invalid escape") }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            default:
                throw fail("invalid escape")
            }
        }
        throw fail("unterminated string")
    }

    private mutating func hex4() throws -> UInt32 {
        guard pos + 4 <= bytes.count else { throw fail("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[pos]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw fail("invalid \\u escape")
            }
            v = v << 4 | d
            pos += 1
        }
        return v
    }

    /// Parses a non-negative integer that fits in `Int` (no sign, fraction or exponent), as the
    /// reference's `usize` fields require.
    mutating func unsignedInt() throws -> Int {
        guard let c = peek() else { throw fail("expected an integer") }
        guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else {
            throw fail(c == UInt8(ascii: "-") ? "negative integer where a size is expected" : "expected an integer")
        }
        let start = pos
        var v = 0
        while pos < bytes.count, bytes[pos] >= UInt8(ascii: "0"), bytes[pos] <= UInt8(ascii: "9") {
            guard let m = Checked.mul(v, 10), let a = Checked.add(m, Int(bytes[pos] - UInt8(ascii: "0"))) else {
                throw fail("integer too large")
            }
            v = a
            pos += 1
        }
        if pos - start > 1 && bytes[start] == UInt8(ascii: "0") { throw fail("leading zero in number") }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: ".") || bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E") {
            throw fail("expected an integer, found a floating-point number")
        }
        return v
    }

    /// Skips any JSON value, checking its grammar and depth.
    mutating func skipValue(depth: Int) throws {
        guard let c = peek() else { throw fail("expected a value") }
        switch c {
        case UInt8(ascii: "{"): try object(depth: depth + 1) { s, _ in try s.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["): try array(depth: depth + 1) { s in try s.skipValue(depth: depth + 1) }
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
        default: throw fail("unexpected character")
        }
    }

    mutating func literal(_ word: String) throws {
        for u in word.utf8 {
            guard pos < bytes.count, bytes[pos] == u else { throw fail("invalid literal") }
            pos += 1
        }
    }

    /// Whether the next value is `null` (consumed if so).
    mutating func consumeNull() throws -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    private mutating func digits() -> Int {
        let start = pos
        while pos < bytes.count, bytes[pos] >= UInt8(ascii: "0"), bytes[pos] <= UInt8(ascii: "9") { pos += 1 }
        return pos - start
    }

    private mutating func number() throws {
        if bytes[pos] == UInt8(ascii: "-") { pos += 1 }
        let start = pos
        let n = digits()
        guard n > 0 else { throw fail("invalid number") }
        if n > 1 && bytes[start] == UInt8(ascii: "0") { throw fail("leading zero in number") }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: ".") {
            pos += 1
            guard digits() > 0 else { throw fail("invalid number") }
        }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E") {
            pos += 1
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") { pos += 1 }
            guard digits() > 0 else { throw fail("invalid number") }
        }
    }
}

/// Writes JSON string literals the way serde_json does (escaping `"`, `\` and control characters).
enum HeaderText {
    static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        out.append(0x22)
        for u in s.utf8 {
            switch u {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0x08: out += [0x5C, UInt8(ascii: "b")]
            case 0x0C: out += [0x5C, UInt8(ascii: "f")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(u >> 4)], hex[Int(u & 15)]]
            default: out.append(u)
            }
        }
        out.append(0x22)
    }

    static func append(_ s: String, to out: inout [UInt8]) { out.append(contentsOf: s.utf8) }
}
