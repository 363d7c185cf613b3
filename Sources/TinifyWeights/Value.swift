// TinifyWeights: the typed value tree a checkpoint decodes to. Tensors are leaves; everything
// else a training checkpoint holds (epoch, optimizer, scheduler state) is kept as data.
import TinifyCore
import TinifyPickle

/// A decoded checkpoint value.
public indirect enum Value {
    /// `None`.
    case none
    /// A bool.
    case bool(Bool)
    /// An integer that fits in 64 bits.
    case int(Int64)
    /// A larger integer, in decimal.
    case bigInt(String)
    /// A float, including inf and nan.
    case float(Double)
    /// A complex number.
    case complex(Double, Double)
    /// A string.
    case string(String)
    /// Bytes.
    case bytes([UInt8])
    /// A tensor.
    case tensor(Tensor)
    /// A list.
    case list([Value])
    /// A tuple (also `torch.Size`).
    case tuple([Value])
    /// A set or frozenset.
    case set([Value])
    /// A dict or OrderedDict, in order.
    case dict([(key: Value, value: Value)])
    /// A dtype object.
    case dtype(DType)
    /// A device, e.g. `cpu`.
    case device(String)

    /// The text a key path uses for this value as a dict key (strings as written, integers in decimal).
    public var keyText: String {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .bigInt(let s): return s
        case .bool(let b): return b ? "True" : "False"
        case .float(let f): return String(f)
        case .none: return "None"
        default: return brief
        }
    }

    /// A one-line summary, e.g. `int 12`, `dict (6 entries)`.
    public var brief: String {
        switch self {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .bigInt(let s): return s
        case .float(let f): return f.isNaN ? "nan" : f.isInfinite ? (f < 0 ? "-inf" : "inf") : String(f)
        case .complex(let r, let i): return "(\(r)+\(i)j)"
        case .string(let s): return "'\(s.count > 40 ? String(s.prefix(40)) + "…" : s)'"
        case .bytes(let b): return "bytes (\(b.count))"
        case .tensor(let t): return "tensor \(t.dtype.name) \(t.shape)"
        case .list(let l): return "list (\(l.count) items)"
        case .tuple(let t): return "tuple (\(t.count) items)"
        case .set(let s): return "set (\(s.count) items)"
        case .dict(let d): return "dict (\(d.count) entries)"
        case .dtype(let d): return "torch.\(d.name)"
        case .device(let s): return "device '\(s)'"
        }
    }

    /// The value under `key` when this is a dict with string keys.
    public subscript(key: String) -> Value? {
        guard case .dict(let d) = self else { return nil }
        return d.first { if case .string(key) = $0.key { return true } else { return false } }?.value
    }

    /// Whether this is a tensor or a container (which may hold tensors).
    private var mayHoldTensors: Bool {
        switch self {
        case .tensor, .list, .tuple, .set, .dict: return true
        default: return false
        }
    }

    /// Calls `visit` for every tensor with its dotted key path, in order. Scalar leaves cost no
    /// key path (a memo-shared tree can hold millions of them).
    public func forEachTensor(prefix: String = "", _ visit: (String, Tensor) throws -> Void) rethrows {
        func join(_ s: String) -> String { prefix.isEmpty ? s : prefix + "." + s }
        switch self {
        case .tensor(let t): try visit(prefix, t)
        case .list(let items), .tuple(let items), .set(let items):
            for (i, v) in items.enumerated() where v.mayHoldTensors { try v.forEachTensor(prefix: join(String(i)), visit) }
        case .dict(let entries):
            for (k, v) in entries where v.mayHoldTensors { try v.forEachTensor(prefix: join(k.keyText), visit) }
        default: break
        }
    }

    /// Calls `visit` for every leaf that is not a tensor and not a container, with its key path.
    public func forEachScalar(prefix: String = "", _ visit: (String, Value) throws -> Void) rethrows {
        func join(_ s: String) -> String { prefix.isEmpty ? s : prefix + "." + s }
        switch self {
        case .tensor: break
        case .list(let items), .tuple(let items), .set(let items):
            if items.isEmpty { try visit(prefix, self) }
            for (i, v) in items.enumerated() { try v.forEachScalar(prefix: join(String(i)), visit) }
        case .dict(let entries):
            if entries.isEmpty { try visit(prefix, self) }
            for (k, v) in entries { try v.forEachScalar(prefix: join(k.keyText), visit) }
        default: try visit(prefix, self)
        }
    }
}
