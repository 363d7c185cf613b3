// TinifyWeights: interprets a torch pickle's recorded calls as data. `_rebuild_tensor_v2` and
// kin become validated tensor views over shared storages; OrderedDict, torch.Size, bytes,
// sets and complex numbers become values. Nothing is executed.
import TinifyCore
import TinifyPickle

/// Finds the bytes behind a storage reference.
public protocol StorageResolver {
    /// The storage `key`, which must hold exactly `byteCount` bytes.
    func storage(key: String, byteCount: Int) throws -> TensorStorage
}

/// Limits on the decoded value tree.
public struct DecodeLimits: Sendable {
    /// Deepest nesting of values.
    public var maxDepth = 256
    /// Most nodes the tree may expand to (shared sub-trees count once per use).
    public var maxNodes = 8_000_000
    /// The defaults.
    public init() {}
}

/// Converts a torch pickle's `PickleValue` graph into a `Value` tree.
public final class TorchDecoder {
    private let resolver: StorageResolver
    private let limits: DecodeLimits
    private var storages: [String: (TensorStorage, Int)] = [:]
    private var converted: [ObjectIdentifier: (Value, Int)] = [:]
    private var inProgress: Set<ObjectIdentifier> = []
    private var depth = 0

    /// A decoder resolving storages through `resolver`.
    public init(resolver: StorageResolver, limits: DecodeLimits = DecodeLimits()) {
        self.resolver = resolver
        self.limits = limits
    }

    /// Decodes `root` into a value tree.
    public func decode(_ root: PickleValue) throws -> Value {
        let (v, _) = try value(root, path: "")
        return v
    }

    /// A decoded node: a value, a storage reference awaiting its rebuild call, or a global.
    private enum Node {
        case value(Value, Int)
        case storage(TensorStorage, DType?, path: String)
        case global(PickleGlobal)
    }

    private func value(_ p: PickleValue, path: String) throws -> (Value, Int) {
        switch try node(p, path: path) {
        case .value(let v, let n): return (v, n)
        case .storage: throw WeightError.badStorageReference("a storage used outside a tensor rebuild at '\(path)'")
        case .global(.dtype(let d)): return (.dtype(d), 1)
        case .global(let g): return (.string(g.qualifiedName), 1)
        }
    }

    private func count(_ a: Int, _ b: Int) throws -> Int {
        let (s, o) = a.addingReportingOverflow(b)
        guard !o, s <= limits.maxNodes else { throw WeightError.limitExceeded(what: "decoded value size", limit: limits.maxNodes) }
        return s
    }

    private func container(_ id: ObjectIdentifier, _ build: () throws -> (Value, Int)) throws -> (Value, Int) {
        if let done = converted[id] { return done }
        guard !inProgress.contains(id) else { throw WeightError.limitExceeded(what: "a value that contains itself; nesting", limit: limits.maxDepth) }
        inProgress.insert(id)
        defer { inProgress.remove(id) }
        let r = try build()
        converted[id] = r
        return r
    }

    private func items(_ list: [PickleValue], path: String) throws -> ([Value], Int) {
        var out: [Value] = []
        out.reserveCapacity(list.count)
        var n = 1
        for (i, item) in list.enumerated() {
            let (v, c) = try value(item, path: path.isEmpty ? String(i) : "\(path).\(i)")
            out.append(v)
            n = try count(n, c)
        }
        return (out, n)
    }

    private func node(_ p: PickleValue, path: String) throws -> Node {
        depth += 1
        defer { depth -= 1 }
        guard depth <= limits.maxDepth else { throw WeightError.limitExceeded(what: "value nesting depth", limit: limits.maxDepth) }
        switch p {
        case .none: return .value(.none, 1)
        case .bool(let b): return .value(.bool(b), 1)
        case .int(let i): return .value(.int(i), 1)
        case .bigInt(let b): return .value(.bigInt(BigDecimal.decimal(twosComplement: b)), 1)
        case .float(let f): return .value(.float(f), 1)
        case .string(let s): return .value(.string(s), 1)
        case .bytes(let b): return .value(.bytes(b), 1)
        case .global(let g): return .global(g)
        case .tuple(let t):
            let (v, n) = try items(t.items, path: path)
            return .value(.tuple(v), n)
        case .list(let l):
            let (v, n) = try container(ObjectIdentifier(l)) {
                let (v, n) = try items(l.items, path: path); return (.list(v), n)
            }
            return .value(v, n)
        case .set(let s):
            let (v, n) = try container(ObjectIdentifier(s)) {
                let (v, n) = try items(s.items, path: path); return (.set(v), n)
            }
            return .value(v, n)
        case .dict(let d):
            let (v, n) = try container(ObjectIdentifier(d)) {
                var entries: [(key: Value, value: Value)] = []
                entries.reserveCapacity(d.entries.count)
                var n = 1
                for (k, item) in d.entries {
                    let (kv, kc) = try value(k, path: path)
                    let (vv, vc) = try value(item, path: path.isEmpty ? kv.keyText : "\(path).\(kv.keyText)")
                    entries.append((kv, vv))
                    n = try count(n, try count(kc, vc))
                }
                return (.dict(entries), n)
            }
            return .value(v, n)
        case .persistentID(let pid):
            return try storage(pid, path: path)
        case .object(let o):
            let (v, n) = try container(ObjectIdentifier(o)) { try call(o, path: path) }
            return .value(v, n)
        }
    }

    // MARK: - Storages

    private func storage(_ pid: PickleValue, path: String) throws -> Node {
        guard case .tuple(let t) = pid, t.items.count >= 5, case .string("storage") = t.items[0] else {
            throw WeightError.badStorageReference("persistent id at '\(path)' is not a ('storage', …) tuple")
        }
        let dtype: DType?
        switch t.items[1] {
        case .global(.storageClass(_, let d)): dtype = d
        case .global(.untypedStorage): dtype = nil
        default: throw WeightError.badStorageReference("storage class at '\(path)' is \(t.items[1].kindName)")
        }
        guard case .string(let key) = t.items[2] else { throw WeightError.badStorageReference("storage key at '\(path)' is not a string") }
        guard !key.isEmpty, key.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw WeightError.badStorageReference("storage key '\(key.prefix(60))' is not a decimal number")
        }
        guard case .int(let numel64) = t.items[4], numel64 >= 0 else {
            throw WeightError.badStorageReference("storage '\(key)' has no valid element count")
        }
        let numel = Int(numel64)
        guard let bytes = Checked.mul(numel, dtype?.itemSize ?? 1) else { throw WeightError.badStorageReference("storage '\(key)' size overflows") }
        let s: TensorStorage
        if let (cached, cachedBytes) = storages[key] {
            guard cachedBytes == bytes else { throw WeightError.storageSize(key: key, declared: bytes, actual: cachedBytes) }
            s = cached
        } else {
            s = try resolver.storage(key: key, byteCount: bytes)
            storages[key] = (s, bytes)
        }
        // Legacy view metadata: (view_key, offset, size) in elements of the root storage.
        if t.items.count >= 6, case .tuple(let view) = t.items[5], view.items.count == 3 {
            guard case .int(let off) = view.items[1], case .int(let size) = view.items[2], let d = dtype,
                  let o = Checked.mul(Int(off), d.itemSize), let n = Checked.mul(Int(size), d.itemSize),
                  let r = s.bytes.slice(o, n) else {
                throw WeightError.badStorageReference("legacy view of storage '\(key)' lies outside it")
            }
            return .storage(TensorStorage(key: key, bytes: r, byteOrder: s.byteOrder), dtype, path: path)
        }
        return .storage(s, dtype, path: path)
    }

    // MARK: - Calls

    private func ints(_ v: PickleValue, _ what: String, _ f: String) throws -> [Int] {
        var v = v
        if case .object(let o) = v, o.callee == .torchSize, let a = o.args.first { v = a }
        guard case .tuple(let t) = v else { throw WeightError.badCall(f, reason: "\(what) is \(v.kindName), not a tuple") }
        return try t.items.map {
            guard case .int(let i) = $0, let n = Int(exactly: i) else { throw WeightError.badCall(f, reason: "\(what) holds \($0.kindName)") }
            return n
        }
    }

    private func tensor(from args: [PickleValue], dtype explicit: DType?, path: String, f: String) throws -> (Value, Int) {
        guard args.count >= 4 else { throw WeightError.badCall(f, reason: "\(args.count) arguments, expected at least 4") }
        guard case .storage(let s, let sd, _) = try node(args[0], path: path) else {
            throw WeightError.badCall(f, reason: "first argument is \(args[0].kindName), not a storage")
        }
        guard case .int(let off) = args[1] else { throw WeightError.badCall(f, reason: "storage offset is \(args[1].kindName)") }
        let shape = try ints(args[2], "size", f)
        let strides = try ints(args[3], "stride", f)
        guard let dtype = explicit ?? sd else { throw WeightError.badCall(f, reason: "an untyped storage needs _rebuild_tensor_v3's dtype") }
        do {
            let t = try Tensor(storage: s, dtype: dtype, shape: shape, strides: strides, offset: Int(off))
            return (.tensor(t), 1)
        } catch let e as TensorViewError {
            throw WeightError.badView(path: path, e)
        }
    }

    private func call(_ o: PickleObject, path: String) throws -> (Value, Int) {
        let f = o.callee.qualifiedName
        let a = o.args
        switch o.callee {
        case .rebuildTensor, .rebuildTensorV2:
            return try tensor(from: a, dtype: nil, path: path, f: f)
        case .rebuildTensorV3:
            guard a.count >= 7, case .global(.dtype(let d)) = a[6] else { throw WeightError.badCall(f, reason: "missing dtype argument") }
            return try tensor(from: a, dtype: d, path: path, f: f)
        case .rebuildParameter, .rebuildParameterWithState, .torchParameter:
            guard let first = a.first else { throw WeightError.badCall(f, reason: "no tensor argument") }
            let (v, n) = try value(first, path: path)
            guard case .tensor = v else { throw WeightError.badCall(f, reason: "argument is \(v.brief), not a tensor") }
            return (v, n)
        case .rebuildFromTypeV2:
            guard a.count >= 3, case .global(let fn) = a[0], case .tuple(let inner) = a[2] else {
                throw WeightError.badCall(f, reason: "expected (function, type, args, state)")
            }
            let obj = PickleObject(callee: fn, args: inner.items)
            guard [.rebuildTensor, .rebuildTensorV2, .rebuildTensorV3, .rebuildParameter].contains(fn) else {
                throw WeightError.badCall(f, reason: "cannot rebuild through \(fn.qualifiedName)")
            }
            return try call(obj, path: path)
        case .torchSize:
            let (v, n) = try value(a.first ?? .tuple(PickleTuple([])), path: path)
            return (v, n)
        case .torchDevice:
            guard case .string(let s) = a.first else { throw WeightError.badCall(f, reason: "device name is not a string") }
            if a.count > 1, case .int(let i) = a[1] { return (.device("\(s):\(i)"), 1) }
            return (.device(s), 1)
        case .codecsEncode:
            guard case .string(let s) = a.first else { throw WeightError.badCall(f, reason: "expected a string") }
            var out: [UInt8] = []
            for u in s.unicodeScalars {
                guard u.value < 256 else { throw WeightError.badCall(f, reason: "non-latin-1 character") }
                out.append(UInt8(u.value))
            }
            return (.bytes(out), 1)
        case .builtinBytearray:
            if let first = a.first {
                let (v, _) = try value(first, path: path)
                guard case .bytes(let b) = v else { throw WeightError.badCall(f, reason: "expected bytes") }
                return (.bytes(b), 1)
            }
            return (.bytes([]), 1)
        case .builtinComplex:
            func num(_ v: PickleValue?) -> Double? {
                switch v {
                case .float(let d): return d
                case .int(let i): return Double(i)
                case nil: return 0
                default: return nil
                }
            }
            guard let r = num(a.first), let i = num(a.count > 1 ? a[1] : nil) else { throw WeightError.badCall(f, reason: "expected numbers") }
            return (.complex(r, i), 1)
        default:
            throw WeightError.badCall(f, reason: "cannot be called")
        }
    }
}
