// TinifyWeights: interprets a torch pickle's recorded calls as data. `_rebuild_tensor_v2` and
// kin become validated tensor views over shared storages; OrderedDict, torch.Size, bytes,
// sets and complex numbers become values. Nothing is executed.
import TinifyCore
import TinifyPickle

/// Finds the bytes behind a storage reference.
package protocol StorageResolver {
    /// The storage `key`, which must hold exactly `byteCount` bytes.
    func storage(key: String, byteCount: Int) throws -> TensorStorage
}

/// Limits on the decoded value tree.
package struct DecodeLimits: Sendable {
    /// Deepest nesting of values.
    package var maxDepth = 256
    /// Most nodes the tree may expand to (shared sub-trees count once per use).
    package var maxNodes = 1 << 20
    /// Most tensors the tree may hold, a shared one counting once per use (each becomes a
    /// weight-store entry, so a memoised list of tensors fetched a thousand times must not).
    package var maxTensors = TensorLimits.maxTensors
    /// Most bytes of integers beyond 64 bits, summed over every use (converting one to decimal
    /// costs time quadratic in its size, so a memoised 4 KiB integer must not be reusable at will).
    package var maxBigIntBytes = 1 << 14
    /// Largest contiguous size, in bytes, of a view with more elements than its storage (stride 0,
    /// as `expand` makes): such a view costs nothing to load but its full size to materialise.
    package var maxExpandedViewBytes = 256 << 20
    /// The defaults.
    package init() {}
}

/// Converts a torch pickle's `PickleValue` graph into a `Value` tree.
package final class TorchDecoder {
    private let resolver: StorageResolver
    private let limits: DecodeLimits
    private var storages: [String: (TensorStorage, Int)] = [:]
    private var converted: [ObjectIdentifier: (value: Value, nodes: Int, tensors: Int)] = [:]
    private var inProgress: Set<ObjectIdentifier> = []
    private var depth = 0
    private var bigIntBytes = 0
    private var tensorUses = 0

    /// A decoder resolving storages through `resolver`.
    package init(resolver: StorageResolver, limits: DecodeLimits = DecodeLimits()) {
        self.resolver = resolver
        self.limits = limits
    }

    /// Decodes `root` into a value tree.
    package func decode(_ root: PickleValue) throws -> Value {
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

    private func useTensors(_ k: Int) throws {
        tensorUses += k
        guard tensorUses <= limits.maxTensors else {
            throw WeightError.limitExceeded(what: "number of tensors (a shared one counts once per use)", limit: limits.maxTensors)
        }
    }

    private func container(_ id: ObjectIdentifier, _ build: () throws -> (Value, Int)) throws -> (Value, Int) {
        if let done = converted[id] {
            try useTensors(done.tensors)
            return (done.value, done.nodes)
        }
        guard !inProgress.contains(id) else { throw WeightError.limitExceeded(what: "a value that contains itself; nesting", limit: limits.maxDepth) }
        inProgress.insert(id)
        defer { inProgress.remove(id) }
        let before = tensorUses
        let r = try build()
        converted[id] = (r.0, r.1, tensorUses - before)
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
        case .bigInt(let b):
            bigIntBytes += b.count
            guard bigIntBytes <= limits.maxBigIntBytes else {
                throw WeightError.limitExceeded(what: "total size of big integers (bytes) up to '\(path)'", limit: limits.maxBigIntBytes)
            }
            return .value(.bigInt(BigDecimal.decimal(twosComplement: b)), 1)
        case .float(let f): return .value(.float(f), 1)
        case .string(let s): return .value(.string(s), 1)
        case .bytes(let b): return .value(.bytes(b), 1)
        case .global(let g): return .global(g)
        case .tuple(let t):
            // Tuples are shared by reference too (a memoised tuple fetched a thousand times).
            let (v, n) = try container(ObjectIdentifier(t)) {
                let (v, n) = try items(t.items, path: path); return (.tuple(v), n)
            }
            return .value(v, n)
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
        try checkExtent(shape: shape, strides: strides, offset: Int(off), path: path)
        let t: Tensor
        do {
            t = try Tensor(storage: s, dtype: dtype, shape: shape, strides: strides, offset: Int(off))
        } catch let e as TensorViewError {
            throw WeightError.badView(path: path, e)
        }
        // In bounds is not enough: materialising computes the contiguous size, `offset × itemSize`
        // (even for an empty view, which nothing bounds-checks) and `stride × itemSize` (even for a
        // size-1 dimension, whose stride never moves), so all must be representable; and the size
        // must be bounded when the view has more elements than its storage (overlapping strides).
        guard let bytes = Checked.mul(t.count, dtype.itemSize), Checked.mul(t.offset, dtype.itemSize) != nil,
              t.strides.allSatisfy({ Checked.mul($0, dtype.itemSize) != nil }) else { throw WeightError.badView(path: path, .overflow) }
        if t.count > s.bytes.count / dtype.itemSize, bytes > limits.maxExpandedViewBytes {
            throw WeightError.limitExceeded(what: "tensor '\(path)': expanded view of \(bytes) bytes", limit: limits.maxExpandedViewBytes)
        }
        do { try t.validateElements(key: path) } catch let e as TensorValueError { throw WeightError.badValue(e) }
        try useTensors(1)
        return (.tensor(t), 1)
    }

    /// `Tensor` reports an out-of-bounds view as needing its last index plus one elements, which
    /// overflows when the last index is exactly Int.max (offset 2**62, size 2**62, stride 1):
    /// refuse that view before handing it over. Other malformed views are Tensor's to report.
    private func checkExtent(shape: [Int], strides: [Int], offset: Int, path: String) throws {
        guard offset >= 0, shape.count == strides.count, shape.allSatisfy({ $0 > 0 }), strides.allSatisfy({ $0 >= 0 }) else { return }
        var last = offset
        for (s, st) in zip(shape, strides) {
            guard let step = Checked.mul(s - 1, st), let l = Checked.add(last, step) else { return }
            last = l
        }
        guard last < Int.max else { throw WeightError.badView(path: path, .overflow) }
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
            // No synthetic PickleTuple for `torch.Size()`: containers are cached by identity, and
            // a temporary's address could be reused once it is freed.
            guard let first = a.first else { return (.tuple([]), 1) }
            return try value(first, path: path)
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
