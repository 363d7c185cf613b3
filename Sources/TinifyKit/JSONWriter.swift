// TinifyKit: a small JSON writer (no Foundation, so the command starts fast).

/// A JSON value to print.
public indirect enum JSON {
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
    public var text: String {
        var out = ""
        write(to: &out, indent: nil, level: 0)
        return out
    }

    /// Indented text.
    public var pretty: String {
        var out = ""
        write(to: &out, indent: "  ", level: 0)
        return out
    }

    /// `s` as a JSON string literal.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    private func write(to out: inout String, indent: String?, level: Int) {
        let nl = indent == nil ? "" : "\n"
        func pad(_ l: Int) -> String { indent.map { String(repeating: $0, count: l) } ?? "" }
        switch self {
        case .string(let s): out += JSON.quote(s)
        case .int(let i): out += String(i)
        case .number(let d):
            if d.isNaN { out += "\"nan\"" } else if d.isInfinite { out += d < 0 ? "\"-inf\"" : "\"inf\"" } else { out += "\(d)" }
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .array(let a):
            if a.isEmpty { out += "[]"; return }
            // Arrays of scalars stay on one line.
            let flat = a.allSatisfy { if case .array = $0 { return false }; if case .object = $0 { return false }; return true }
            if flat || indent == nil {
                out += "["
                for (i, v) in a.enumerated() { if i > 0 { out += indent == nil ? "," : ", " }; v.write(to: &out, indent: indent, level: level + 1) }
                out += "]"
                return
            }
            out += "[" + nl
            for (i, v) in a.enumerated() {
                out += pad(level + 1)
                v.write(to: &out, indent: indent, level: level + 1)
                out += (i + 1 < a.count ? "," : "") + nl
            }
            out += pad(level) + "]"
        case .object(let o):
            if o.isEmpty { out += "{}"; return }
            out += "{" + nl
            for (i, (k, v)) in o.enumerated() {
                out += pad(level + 1) + JSON.quote(k) + (indent == nil ? ":" : ": ")
                v.write(to: &out, indent: indent, level: level + 1)
                out += (i + 1 < o.count ? "," : "") + nl
            }
            out += pad(level) + "}"
        }
    }
}
