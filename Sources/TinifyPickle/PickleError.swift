// TinifyPickle: what can go wrong while running a pickle, always with the byte offset.
import TinifyCore

/// An error from the restricted pickle machine. Every case carries the offset of the opcode.
public enum PickleError: Error, CustomStringConvertible, Equatable {
    /// The stream ended (or a declared length runs) past the bytes available.
    case truncated(offset: Int, needed: Int, available: Int)
    /// A byte that is not a pickle opcode.
    case unknownOpcode(UInt8, offset: Int)
    /// An opcode that a data pickle never needs (extension registry, out-of-band buffers, …).
    case unsupportedOpcode(String, offset: Int)
    /// A global outside the allow-list (e.g. `os.system`, `builtins.eval`).
    case forbiddenGlobal(String, offset: Int)
    /// An opcode needed more stack items than there were.
    case stackUnderflow(opcode: String, offset: Int)
    /// A limit (stack size, memo size, nesting depth, integer size) was exceeded.
    case limitExceeded(what: String, limit: Int, offset: Int)
    /// `GET` of a memo index never `PUT`.
    case missingMemo(index: Int, offset: Int)
    /// An opcode was applied to a value of the wrong type (`SETITEM` on a list, `REDUCE` on a string).
    case typeMismatch(opcode: String, expected: String, found: String, offset: Int)
    /// A malformed literal: bad UTF-8, a bad decimal, a bad quoted string.
    case invalidLiteral(String, offset: Int)
    /// An opcode needing a `MARK` found none.
    case missingMark(opcode: String, offset: Int)
    /// A protocol number above 5.
    case unsupportedProtocol(Int, offset: Int)

    /// A one-line, lowercase description (names quoted from the file have their control
    /// characters escaped, see `ErrorText.oneLine`).
    public var description: String { ErrorText.oneLine(text) }

    private var text: String {
        switch self {
        case .truncated(let o, let n, let a): return "pickle truncated at offset \(o): needs \(n) bytes, \(a) remain"
        case .unknownOpcode(let b, let o): return "unknown pickle opcode 0x\(String(b, radix: 16)) at offset \(o)"
        case .unsupportedOpcode(let n, let o): return "unsupported pickle opcode \(n) at offset \(o)"
        case .forbiddenGlobal(let g, let o): return "forbidden global '\(g)' at offset \(o) (not a weights checkpoint, or a malicious one: nothing was executed)"
        case .stackUnderflow(let op, let o): return "pickle stack underflow in \(op) at offset \(o)"
        case .limitExceeded(let w, let l, let o): return "\(w) exceeds the limit of \(l) at offset \(o)"
        case .missingMemo(let i, let o): return "memo index \(i) read before it was written, at offset \(o)"
        case .typeMismatch(let op, let e, let f, let o): return "\(op) expects \(e) but found \(f) at offset \(o)"
        case .invalidLiteral(let s, let o): return "invalid pickle literal at offset \(o): \(s)"
        case .missingMark(let op, let o): return "\(op) without a MARK at offset \(o)"
        case .unsupportedProtocol(let p, let o): return "unsupported pickle protocol \(p) at offset \(o)"
        }
    }
}

/// Keeps error messages one line, whatever the file they quote holds.
package enum ErrorText {
    /// `text` with line breaks and other control characters escaped (`\n`, `\u{1b}`), so that a
    /// name quoted from a hostile file (a zip entry, a dict key, a global) can neither break an
    /// error across lines, forge a second `error:` line, nor send terminal control codes.
    public static func oneLine(_ text: String) -> String {
        func unsafe(_ u: Unicode.Scalar) -> Bool { u.value < 0x20 || (0x7F...0x9F).contains(u.value) || u.value == 0x2028 || u.value == 0x2029 }
        guard text.unicodeScalars.contains(where: unsafe) else { return text }
        var out = String.UnicodeScalarView()
        for u in text.unicodeScalars {
            guard unsafe(u) else { out.append(u); continue }
            switch u {
            case "\n": out.append(contentsOf: "\\n".unicodeScalars)
            case "\r": out.append(contentsOf: "\\r".unicodeScalars)
            case "\t": out.append(contentsOf: "\\t".unicodeScalars)
            default: out.append(contentsOf: "\\u{\(String(u.value, radix: 16))}".unicodeScalars)
            }
        }
        return String(out)
    }
}

extension PickleError: TinifyError {}
