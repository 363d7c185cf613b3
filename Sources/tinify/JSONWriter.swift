// tinify: a small JSON writer (no Foundation, so the command starts fast). Output is built
// as UTF-8 bytes in one buffer: a 300-tensor report prints in well under a millisecond.
import Tinify

/// A JSON value to print.
package indirect enum JSON {
    /// A string.
    case string(String)
    /// An integer.
    case int(Int)
    /// A number (non-finite values print as strings "inf", "-inf", "nan").
    case number(Double)
    /// A bool.
    case bool(Bool)
    /// null.
    case null
    /// An array.
    case array([JSON])
    /// An object with keys in order.
    case object([(String, JSON)])

    /// Compact text.
    package var text: String {
        var out = JSONBytes()
        write(to: &out, pretty: false, level: 0)
        return out.string
    }

    /// Indented text (two spaces; arrays of scalars stay on one line).
    package var pretty: String {
        var out = JSONBytes()
        write(to: &out, pretty: true, level: 0)
        return out.string
    }

    /// `s` as a JSON string literal.
    package static func quote(_ s: String) -> String {
        var out = JSONBytes()
        out.quote(s)
        return out.string
    }

    private var isContainer: Bool {
        switch self {
        case .array, .object: return true
        default: return false
        }
    }

    private func write(to out: inout JSONBytes, pretty: Bool, level: Int) {
        switch self {
        case .string(let s): out.quote(s)
        case .int(let i): out.append(String(i))
        case .number(let d):
            if d.isNaN { out.append("\"nan\"") } else if d.isInfinite { out.append(d < 0 ? "\"-inf\"" : "\"inf\"") } else { out.append(d.description) }
        case .bool(let b): out.append(b ? "true" : "false")
        case .null: out.append("null")
        case .array(let a):
            if a.isEmpty { out.append("[]"); return }
            // Arrays of scalars stay on one line.
            if !pretty || !a.contains(where: \.isContainer) {
                out.byte(UInt8(ascii: "["))
                for (i, v) in a.enumerated() {
                    if i > 0 { out.byte(UInt8(ascii: ",")); if pretty { out.byte(UInt8(ascii: " ")) } }
                    v.write(to: &out, pretty: pretty, level: level + 1)
                }
                out.byte(UInt8(ascii: "]"))
                return
            }
            out.append("[\n")
            for (i, v) in a.enumerated() {
                out.indent(level + 1)
                v.write(to: &out, pretty: pretty, level: level + 1)
                if i + 1 < a.count { out.byte(UInt8(ascii: ",")) }
                out.byte(10)
            }
            out.indent(level)
            out.byte(UInt8(ascii: "]"))
        case .object(let o):
            if o.isEmpty { out.append("{}"); return }
            out.byte(UInt8(ascii: "{"))
            if pretty { out.byte(10) }
            for (i, (k, v)) in o.enumerated() {
                if pretty { out.indent(level + 1) }
                out.quote(k)
                out.byte(UInt8(ascii: ":"))
                if pretty { out.byte(UInt8(ascii: " ")) }
                v.write(to: &out, pretty: pretty, level: level + 1)
                if i + 1 < o.count { out.byte(UInt8(ascii: ",")) }
                if pretty { out.byte(10) }
            }
            if pretty { out.indent(level) }
            out.byte(UInt8(ascii: "}"))
        }
    }
}

/// The UTF-8 buffer JSON text is written into.
private struct JSONBytes {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(4096) }

    var string: String { String(decoding: bytes, as: UTF8.self) }

    mutating func byte(_ b: UInt8) { bytes.append(b) }
    mutating func append(_ s: String) { bytes.append(contentsOf: s.utf8) }
    mutating func indent(_ level: Int) { bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * level)) }

    /// Appends `s` quoted: `"` and `\` escaped, `\n` `\r` `\t` by name, other controls as `\u00XX`.
    mutating func quote(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(b)
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(b)
            case 10: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case 13: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
            case 9: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: "\\u00".utf8)
                bytes.append(hex[Int(b >> 4)])
                bytes.append(hex[Int(b & 15)])
            default: bytes.append(b) // ASCII and every byte of multi-byte UTF-8 sequences
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
