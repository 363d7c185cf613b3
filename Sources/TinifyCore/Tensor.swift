// TinifyCore: tensors as (storage, dtype, shape, strides, offset), exactly PyTorch's view model.
// A view is validated once, when it is made; materialising it is then always in bounds.

/// The byte order of a storage's elements.
public enum ByteOrder: String, Sendable { case little, big }

/// One storage: the raw bytes a checkpoint record holds. Tensors that share a storage share this object.
public final class TensorStorage: @unchecked Sendable {
    /// The record key (`"0"`, `"94633897359232"`, …) or a synthetic name.
    public let key: String
    /// The bytes, usually a zero-copy slice of a mapped file.
    public let bytes: ByteRegion
    /// How multi-byte elements are ordered in `bytes`.
    public let byteOrder: ByteOrder

    /// A storage over `bytes`.
    public init(key: String, bytes: ByteRegion, byteOrder: ByteOrder = .little) {
        self.key = key
        self.bytes = bytes
        self.byteOrder = byteOrder
    }
}

/// Why a view cannot be made over a storage.
public enum TensorViewError: Error, CustomStringConvertible, Equatable {
    /// Shape, strides or offset are negative or of different ranks.
    case malformed(String)
    /// The element count or extent overflows.
    case overflow
    /// The view reaches past the storage.
    case outOfBounds(needed: Int, available: Int)

    /// The fact, in one line, with the sizes involved.
    public var description: String {
        switch self {
        case .malformed(let s): return "malformed view: \(s)"
        case .overflow: return "view size overflows"
        case .outOfBounds(let n, let a): return "view needs \(n) elements but its storage holds \(a)"
        }
    }
}

/// A tensor: a validated view (shape, strides, offset, all in elements) of a storage.
public struct Tensor: @unchecked Sendable {
    /// The storage the view reads.
    public let storage: TensorStorage
    /// The type of every element (float32, int64, …).
    public let dtype: DType
    /// The size of each dimension.
    public let shape: [Int]
    /// The step, in elements, of each dimension.
    public let strides: [Int]
    /// The first element's index in the storage.
    public let offset: Int
    /// The number of elements.
    public let count: Int

    /// Makes a view, checking with overflow-safe arithmetic that it lies inside the storage.
    public init(storage: TensorStorage, dtype: DType, shape: [Int], strides: [Int], offset: Int) throws {
        guard shape.count == strides.count else { throw TensorViewError.malformed("\(shape.count) sizes but \(strides.count) strides") }
        guard offset >= 0 else { throw TensorViewError.malformed("negative storage offset \(offset)") }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw TensorViewError.malformed("negative size in \(shape)") }
        guard strides.allSatisfy({ $0 >= 0 }) else { throw TensorViewError.malformed("negative stride in \(strides)") }
        guard let n = Checked.product(shape) else { throw TensorViewError.overflow }
        let available = storage.bytes.count / dtype.itemSize
        if n > 0 {
            var last = offset
            for (s, st) in zip(shape, strides) {
                guard let step = Checked.mul(s - 1, st), let l = Checked.add(last, step) else { throw TensorViewError.overflow }
                last = l
            }
            guard last < available else { throw TensorViewError.outOfBounds(needed: last == Int.max ? last : last + 1, available: available) }
        }
        // Byte sizes of the view must be representable (an expanded view can count more elements than its storage).
        guard Checked.mul(n, dtype.itemSize) != nil, Checked.mul(offset, dtype.itemSize) != nil else { throw TensorViewError.overflow }
        self.storage = storage
        self.dtype = dtype
        self.shape = shape
        self.strides = strides
        self.offset = offset
        self.count = n
    }

    /// A contiguous little-endian tensor over `bytes` (its own storage).
    public init(dtype: DType, shape: [Int], bytes: ByteRegion, key: String = "") throws {
        guard let n = Checked.product(shape), let b = Checked.mul(n, dtype.itemSize) else { throw TensorViewError.overflow }
        guard b == bytes.count else { throw TensorViewError.outOfBounds(needed: n, available: bytes.count / dtype.itemSize) }
        try self.init(storage: TensorStorage(key: key, bytes: bytes), dtype: dtype, shape: shape,
                      strides: Tensor.contiguousStrides(shape), offset: 0)
    }

    /// The bytes the tensor's elements occupy when contiguous.
    public var byteCount: Int { count * dtype.itemSize }

    /// Row-major strides for `shape`.
    public static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[i] = acc
            acc = acc &* Swift.max(shape[i], 1)
        }
        return strides
    }

    /// Whether the elements lie in C order with no gaps (sizes 0 and 1 ignore their stride).
    public var isContiguous: Bool {
        var expected = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) where shape[i] != 1 {
            if shape[i] == 0 { return true }
            if strides[i] != expected { return false }
            expected &*= shape[i]
        }
        return true
    }

    /// The elements in C order, little-endian: a zero-copy slice when the view already is,
    /// otherwise a fresh copy (gathered and byte-swapped as needed).
    public func contiguousBytes() -> ByteRegion {
        let item = dtype.itemSize
        if count == 0 { return .empty }
        if isContiguous && (storage.byteOrder == .little || dtype.swapUnit == 1) {
            return storage.bytes.slice(offset * item, count * item) ?? .empty
        }
        let block = HeapBlock(count: count * item)
        guard let dst = block.pointer, let src = storage.bytes.base else { return ByteRegion(block: block) }
        withExtendedLifetime(storage) {
            gather(from: src, to: dst, item: item)
            if storage.byteOrder == .big { Tensor.byteSwap(dst, count: count * item, unit: dtype.swapUnit) }
        }
        return ByteRegion(block: block)
    }

    private func gather(from src: UnsafeRawPointer, to dst: UnsafeMutableRawPointer, item: Int) {
        if count == 0 { return }
        if isContiguous {
            dst.copyMemory(from: src + offset * item, byteCount: count * item)
            return
        }
        let rank = shape.count
        var index = [Int](repeating: 0, count: rank)
        var out = 0
        // Innermost dimension copied in a tight loop.
        let innerSize = shape[rank - 1], innerStride = innerSize == 1 ? 0 : strides[rank - 1] * item
        let outer = count / innerSize
        for _ in 0..<outer {
            var base = offset
            for d in 0..<(rank - 1) where index[d] != 0 { base += index[d] * strides[d] }
            var s = src + base * item
            for _ in 0..<innerSize {
                (dst + out).copyMemory(from: s, byteCount: item)
                out += item
                s += innerStride
            }
            var d = rank - 2
            while d >= 0 {
                index[d] += 1
                if index[d] < shape[d] { break }
                index[d] = 0
                d -= 1
            }
        }
    }

    /// Reverses the bytes of each `unit`-byte element in place.
    public static func byteSwap(_ p: UnsafeMutableRawPointer, count: Int, unit: Int) {
        guard unit > 1 else { return }
        var i = 0
        while i + unit <= count {
            var a = i, b = i + unit - 1
            while a < b {
                let t = p.load(fromByteOffset: a, as: UInt8.self)
                p.storeBytes(of: p.load(fromByteOffset: b, as: UInt8.self), toByteOffset: a, as: UInt8.self)
                p.storeBytes(of: t, toByteOffset: b, as: UInt8.self)
                a += 1; b -= 1
            }
            i += unit
        }
    }
}

extension TensorViewError: TinifyError {}
