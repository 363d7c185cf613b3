// Tinify: a small, bounded JSON reader and a writer that prints numbers and indentation as
// Python's `json.dumps(obj, indent=2)` does — the format of CompressAI's eval_model documents,
// which `tinify eval`, `eval merge`, `plot` and `bd-rate` read and write. Input is untrusted:
// nesting depth, length and string sizes are bounded, and every error names its byte offset.
import TinifyCore

/// A parsed JSON value (objects keep their keys in file order).
package indirect enum JSONValue: Sendable, Equatable {
    /// A string.
    case string(String)
    /// A number (integers too, when read).
    case number(Double)
    /// An integer to write (printed without a fraction, as Python prints an int).
    case integer(Int)
    /// true or false.
    case bool(Bool)
    /// null.
    case null
    /// An array.
    case array([JSONValue])
    /// An object, keys in order.
    case object([(String, JSONValue)])

    package static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case let (.string(x), .string(y)): return x == y
        case let (.number(x), .number(y)): return x == y || (x.isNaN && y.isNaN)
        case let (.integer(x), .integer(y)): return x == y
        case let (.bool(x), .bool(y)): return x == y
        case (.null, .null): return true
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)): return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// The member `key` of an object.
    package subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members.first { $0.0 == key }?.1 }
        return nil
    }
}

/// Why a JSON text was refused.
public struct JSONError: Error, CustomStringConvertible, Sendable {
    /// The byte offset of the problem.
    public let offset: Int
    /// What is wrong there.
    public let reason: String
    /// `invalid JSON at byte N: reason`.
    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

/// Parses JSON text (RFC 8259, plus Python's `NaN`, `Infinity` and `-Infinity`).
package struct JSONReader {
    /// The deepest nesting read.
    package static let maxDepth = 64
    /// The longest text read (64 MiB).
    package static let maxBytes = 1 << 26

    private let bytes: [UInt8]
    private var i = 0

    /// Parses `bytes` as one JSON value.
    package static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        guard bytes.count <= maxBytes else { throw JSONError(offset: maxBytes, reason: "longer than \(maxBytes) bytes") }
        var reader = JSONReader(bytes: bytes)
        let value = try reader.value(depth: 0)
        reader.skipSpace()
        guard reader.i == bytes.count else { throw JSONError(offset: reader.i, reason: "unexpected text after the value") }
        return value
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func skipSpace() {
        while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
    }

    private mutating func literal(_ word: String) -> Bool {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count, Array(bytes[i..<(i + w.count)]) == w else { return false }
        i += w.count
        return true
    }

    private mutating func value(depth: Int) throws -> JSONValue {
        guard depth < Self.maxDepth else { throw JSONError(offset: i, reason: "nested deeper than \(Self.maxDepth)") }
        skipSpace()
        guard i < bytes.count else { throw JSONError(offset: i, reason: "unexpected end of text") }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            i += 1
            var members: [(String, JSONValue)] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            while true {
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw JSONError(offset: i, reason: "expected a key string") }
                let key = try string()
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw JSONError(offset: i, reason: "expected ':'") }
                i += 1
                members.append((key, try value(depth: depth + 1)))
                skipSpace()
                guard i < bytes.count else { throw JSONError(offset: i, reason: "unexpected end of text in an object") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                throw JSONError(offset: i, reason: "expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            i += 1
            var items: [JSONValue] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            while true {
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard i < bytes.count else { throw JSONError(offset: i, reason: "unexpected end of text in an array") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                throw JSONError(offset: i, reason: "expected ',' or ']'")
            }
        case UInt8(ascii: "\""):
            return .string(try string())
        default:
            if literal("true") { return .bool(true) }
            if literal("false") { return .bool(false) }
            if literal("null") { return .null }
            if literal("NaN") { return .number(.nan) }
            if literal("Infinity") { return .number(.infinity) }
            if literal("-Infinity") { return .number(-.infinity) }
            return .number(try number())
        }
    }

    private mutating func number() throws -> Double {
        let start = i
        while i < bytes.count, i - start < 64,
              (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) || "+-.eE".utf8.contains(bytes[i]) { i += 1 }
        guard i > start, let text = String(validating: bytes[start..<i], as: UTF8.self), let v = Double(text) else {
            throw JSONError(offset: start, reason: "expected a value")
        }
        return v
    }

    private mutating func string() throws -> String {
        let start = i
        i += 1
        var out: [UInt8] = []
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                guard let s = String(validating: out, as: UTF8.self) else { throw JSONError(offset: start, reason: "string is not UTF-8") }
                return s
            }
            if b < 0x20 { throw JSONError(offset: i, reason: "control character in a string") }
            if b != UInt8(ascii: "\\") { out.append(b); i += 1; continue }
            guard i + 1 < bytes.count else { break }
            let e = bytes[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800..<0xDC00).contains(code), i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                    i += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw JSONError(offset: i, reason: "unpaired surrogate") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(code) else { throw JSONError(offset: i, reason: "invalid \\u escape") }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            default: throw JSONError(offset: i - 1, reason: "invalid escape")
            }
        }
        throw JSONError(offset: start, reason: "unterminated string")
    }

    private mutating func hex4() throws -> UInt32 {
        guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<(i + 4)], as: UTF8.self), radix: 16) else {
            throw JSONError(offset: i, reason: "invalid \\u escape")
        }
        i += 4
        return v
    }
}

/// Writes JSON as Python's `json.dumps(value, indent=2)` does: two-space indentation, every
/// array item and object member on its own line, `", "`-free separators (`,` then newline and
/// `": "`), floats in `repr` form (`0.1`, `1e-05`, `5.0`), `NaN` / `Infinity` for non-finite.
package enum PythonJSON {
    /// The indented text of `value`.
    package static func dumps(_ value: JSONValue) -> String {
        var out = ""
        write(value, level: 0, into: &out)
        return out
    }

    private static func write(_ value: JSONValue, level: Int, into out: inout String) {
        let pad = String(repeating: " ", count: 2 * (level + 1)), close = String(repeating: " ", count: 2 * level)
        switch value {
        case .string(let s): out += quote(s)
        case .number(let v): out += repr(v)
        case .integer(let v): out += String(v)
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[\n"
            for (k, item) in items.enumerated() {
                out += pad
                write(item, level: level + 1, into: &out)
                out += k + 1 < items.count ? ",\n" : "\n"
            }
            out += close + "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{\n"
            for (k, (key, item)) in members.enumerated() {
                out += pad + quote(key) + ": "
                write(item, level: level + 1, into: &out)
                out += k + 1 < members.count ? ",\n" : "\n"
            }
            out += close + "}"
        }
    }

    /// Python's `repr(float)`: the shortest text that reads back to `v`, in positional form for
    /// exponents −4…15 and `d.ddde±XX` otherwise.
    package static func repr(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-Infinity" : "Infinity" }
        if v == 0 { return v.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description is the shortest round-trip digits too; only the layout differs.
        let text = "\(v.magnitude)"
        var digits = "", exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            let mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
            let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
            digits = String(parts[0]) + (parts.count > 1 ? String(parts[1]) : "")
            exponent += parts[0].count - 1
        } else {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            let intPart = String(parts[0]), frac = parts.count > 1 ? String(parts[1]) : ""
            if intPart != "0" {
                digits = intPart + frac
                exponent = intPart.count - 1
            } else {
                let zeros = frac.prefix { $0 == "0" }.count
                digits = String(frac.dropFirst(zeros))
                exponent = -zeros - 1
            }
        }
        while digits.count > 1, digits.hasSuffix("0") { digits.removeLast() }
        digits = String(digits.drop { $0 == "0" })
        if digits.isEmpty { digits = "0" }
        let sign = v < 0 ? "-" : ""
        if exponent < -4 || exponent >= 16 {
            let mantissa = digits.count > 1 ? "\(digits.first!).\(digits.dropFirst())" : digits
            let e = exponent < 0 ? "-" + pad2(-exponent) : "+" + pad2(exponent)
            return sign + mantissa + "e" + e
        }
        if exponent < 0 { return sign + "0." + String(repeating: "0", count: -exponent - 1) + digits }
        if digits.count <= exponent + 1 { return sign + digits + String(repeating: "0", count: exponent + 1 - digits.count) + ".0" }
        let cut = digits.index(digits.startIndex, offsetBy: exponent + 1)
        return sign + digits[..<cut] + "." + digits[cut...]
    }

    private static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// A JSON string literal with Python's escaping (`ensure_ascii`: non-ASCII as `\uXXXX`).
    package static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 || scalar.value > 0x7E {
                    for unit in String(scalar).utf16 { out += "\\u" + hex4(unit) }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private static func hex4(_ u: UInt16) -> String {
        let h = String(u, radix: 16)
        return String(repeating: "0", count: 4 - h.count) + h
    }
}
