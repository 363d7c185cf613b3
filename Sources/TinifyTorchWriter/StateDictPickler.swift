// TinifyTorchWriter: the `data.pkl` of a state dict, pickled with protocol 2 exactly as
// `torch.save` does: an `OrderedDict` of `_rebuild_tensor_v2(storage, offset, size, stride,
// requires_grad, OrderedDict())` calls with `('storage', torch.<Type>Storage, key, 'cpu', numel)`
// persistent ids (`_rebuild_tensor_v3` with `torch.storage.UntypedStorage` and a dtype for the
// unsigned types that have no typed storage class). Only opcodes `weights_only=True` accepts.
import TinifyCore

/// Builds the pickle of an ordered dict of contiguous tensors, each with its own storage.
struct StateDictPickler {
    private(set) var bytes: [UInt8] = [0x80, 0x02]  // PROTO 2
    private var memo: [String: Int] = [:]
    private var nextMemo = 0

    /// One tensor to pickle: its key, dtype, shape and storage record key.
    struct Item {
        let key: String
        let dtype: DType
        let shape: [Int]
        let numel: Int
        let storageKey: String
    }

    /// The legacy typed storage class of a dtype (nil for the unsigned types without one).
    static func storageClass(_ d: DType) -> String? {
        switch d {
        case .float64: return "DoubleStorage"
        case .float32: return "FloatStorage"
        case .float16: return "HalfStorage"
        case .bfloat16: return "BFloat16Storage"
        case .int64: return "LongStorage"
        case .int32: return "IntStorage"
        case .int16: return "ShortStorage"
        case .int8: return "CharStorage"
        case .uint8: return "ByteStorage"
        case .bool: return "BoolStorage"
        case .complex64: return "ComplexFloatStorage"
        case .complex128: return "ComplexDoubleStorage"
        case .uint16, .uint32, .uint64: return nil
        }
    }

    /// The pickle of `items` as an `OrderedDict`.
    static func pickle(_ items: [Item]) -> [UInt8] {
        var p = StateDictPickler()
        p.global("collections", "OrderedDict")
        p.emit(0x29)  // EMPTY_TUPLE
        p.emit(0x52)  // REDUCE
        p.put()
        var start = 0
        while start < items.count {
            let batch = items[start..<min(start + 1000, items.count)]
            p.emit(0x28)  // MARK
            for item in batch { p.entry(item) }
            p.emit(0x75)  // SETITEMS
            start += batch.count
        }
        p.emit(0x2E)  // STOP
        return p.bytes
    }

    private mutating func entry(_ item: Item) {
        unicode(item.key)
        let storageClass = StateDictPickler.storageClass(item.dtype)
        global("torch._utils", storageClass == nil ? "_rebuild_tensor_v3" : "_rebuild_tensor_v2")
        emit(0x28)  // MARK (arguments)
        emit(0x28)  // MARK (persistent id)
        memoString("storage")
        if let storageClass { global("torch", storageClass) } else { global("torch.storage", "UntypedStorage") }
        unicode(item.storageKey)
        memoString("cpu")
        int(storageClass == nil ? Checked.mul(item.numel, item.dtype.itemSize) ?? 0 : item.numel)
        emit(0x74)  // TUPLE
        emit(0x51)  // BINPERSID
        int(0)      // storage offset
        intTuple(item.shape)
        intTuple(Tensor.contiguousStrides(item.shape))
        emit(0x89)  // NEWFALSE: requires_grad
        global("collections", "OrderedDict")
        emit(0x29)  // EMPTY_TUPLE
        emit(0x52)  // REDUCE: backward_hooks = OrderedDict()
        if storageClass == nil { global("torch", item.dtype.name) }
        emit(0x74)  // TUPLE
        emit(0x52)  // REDUCE
    }

    // MARK: - Opcodes

    private mutating func emit(_ op: UInt8) { bytes.append(op) }

    private mutating func le32(_ v: UInt32) {
        for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) }
    }

    /// BINPUT / LONG_BINPUT of the next memo slot; returns the slot.
    @discardableResult private mutating func put() -> Int {
        let slot = nextMemo
        nextMemo += 1
        if slot < 256 { bytes += [0x71, UInt8(slot)] } else { emit(0x72); le32(UInt32(truncatingIfNeeded: slot)) }
        return slot
    }

    /// BINGET / LONG_BINGET.
    private mutating func get(_ slot: Int) {
        if slot < 256 { bytes += [0x68, UInt8(slot)] } else { emit(0x6A); le32(UInt32(truncatingIfNeeded: slot)) }
    }

    /// GLOBAL `module\nname\n`, memoised.
    private mutating func global(_ module: String, _ name: String) {
        let id = "g:" + module + "." + name
        if let slot = memo[id] { get(slot); return }
        emit(0x63)
        bytes += Array(module.utf8) + [0x0A] + Array(name.utf8) + [0x0A]
        memo[id] = put()
    }

    /// BINUNICODE.
    private mutating func unicode(_ s: String) {
        let u = Array(s.utf8)
        emit(0x58)
        le32(UInt32(truncatingIfNeeded: u.count))
        bytes += u
    }

    /// A memoised string constant.
    private mutating func memoString(_ s: String) {
        let id = "s:" + s
        if let slot = memo[id] { get(slot); return }
        unicode(s)
        memo[id] = put()
    }

    /// The smallest integer opcode for `v`: BININT1, BININT2, BININT or LONG1.
    private mutating func int(_ v: Int) {
        if v >= 0 && v < 256 {
            bytes += [0x4B, UInt8(v)]
        } else if v >= 0 && v < 65536 {
            bytes += [0x4D, UInt8(v & 0xFF), UInt8(v >> 8)]
        } else if v >= Int(Int32.min) && v <= Int(Int32.max) {
            emit(0x4A)
            le32(UInt32(bitPattern: Int32(v)))
        } else {
            // LONG1: minimal little-endian two's complement.
            var out: [UInt8] = []
            var x = v
            repeat {
                out.append(UInt8(truncatingIfNeeded: x))
                x >>= 8
            } while !((x == 0 && out[out.count - 1] & 0x80 == 0) || (x == -1 && out[out.count - 1] & 0x80 != 0))
            bytes += [0x8A, UInt8(out.count)] + out
        }
    }

    private mutating func intTuple(_ values: [Int]) {
        switch values.count {
        case 0: emit(0x29)
        case 1: int(values[0]); emit(0x85)
        case 2: int(values[0]); int(values[1]); emit(0x86)
        case 3: int(values[0]); int(values[1]); int(values[2]); emit(0x87)
        default:
            emit(0x28)
            for v in values { int(v) }
            emit(0x74)
        }
    }
}
