// TinifyRuntime: the dense float32 NCHW tensor the kernels pass between layers (pooled storage,
// copy on write).

import TinifyCore

/// A dense float32 tensor in C order (NCHW for images).
public struct FloatTensor: @unchecked Sendable {
    /// The size of each dimension.
    public private(set) var shape: [Int]
    var storage: FloatStorage

    /// A tensor holding a copy of `data` (which must have the product of `shape` elements).
    public init(shape: [Int], data: [Float]) throws {
        guard Checked.product(shape) == data.count else {
            throw RuntimeError.layerMismatch("\(data.count) values for a tensor of shape \(shape)")
        }
        self.shape = shape
        storage = FloatStorage(count: data.count)
        if !data.isEmpty { data.withUnsafeBufferPointer { storage.base.update(from: $0.baseAddress!, count: data.count) } }
    }

    /// A tensor of `shape` filled with `value`.
    public init(shape: [Int], repeating value: Float) {
        self.shape = shape
        storage = FloatStorage(count: shape.reduce(1, *))
        storage.base.update(repeating: value, count: storage.count)
    }

    /// A tensor of `shape` whose elements `fill` must all write.
    public init(shape: [Int], fill: (UnsafeMutablePointer<Float>) -> Void) {
        self.shape = shape
        storage = FloatStorage(count: shape.reduce(1, *))
        fill(storage.base)
    }

    /// The number of elements.
    public var count: Int { storage.count }
    /// Batch size (dimension 0 of an NCHW tensor).
    public var n: Int { shape[0] }
    /// The number of channels: dimension 1 of an NCHW tensor.
    public var c: Int { shape[1] }
    /// The height: dimension 2 of an NCHW tensor.
    public var h: Int { shape[2] }
    /// The width: dimension 3 of an NCHW tensor.
    public var w: Int { shape[3] }

    /// The elements as an array (a copy).
    public var data: [Float] { Array(UnsafeBufferPointer(start: storage.base, count: storage.count)) }

    /// Element `i` in C order.
    public subscript(i: Int) -> Float {
        get { storage.base[i] }
        set { makeUnique(); storage.base[i] = newValue }
    }

    /// Calls `body` with the elements.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try withExtendedLifetime(storage) { try body(UnsafeBufferPointer(start: storage.base, count: storage.count)) }
    }

    /// Calls `body` with the elements, writable (copied first if shared).
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        makeUnique()
        return try withExtendedLifetime(storage) { try body(UnsafeMutableBufferPointer(start: storage.base, count: storage.count)) }
    }

    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = FloatStorage(copying: storage) }
    }

    /// A tensor of the same shape with `f` applied to every element.
    public func map(_ f: (Float) -> Float) -> FloatTensor {
        FloatTensor(shape: shape) { out in
            let src = storage.base
            for i in 0..<storage.count { out[i] = f(src[i]) }
        }
    }

    /// Channels `range` of an NCHW tensor (a copy), as `chunk` does.
    public func channels(_ range: Range<Int>) -> FloatTensor {
        let plane = h * w
        return FloatTensor(shape: [n, range.count, h, w]) { dst in
            for b in 0..<n {
                (dst + b * range.count * plane).update(from: storage.base + (b * c + range.lowerBound) * plane, count: range.count * plane)
            }
        }
    }

    /// `torch.cat([a, b], dim=1)` for NCHW tensors of equal N, H, W.
    public static func concatChannels(_ a: FloatTensor, _ b: FloatTensor) throws -> FloatTensor {
        guard a.shape.count == 4, b.shape.count == 4, a.n == b.n, a.h == b.h, a.w == b.w else {
            throw RuntimeError.layerMismatch("channel concatenation of \(a.shape) and \(b.shape)")
        }
        let plane = a.h * a.w
        return FloatTensor(shape: [a.n, a.c + b.c, a.h, a.w]) { dst in
            for i in 0..<a.n {
                let out = dst + i * (a.c + b.c) * plane
                out.update(from: a.storage.base + i * a.c * plane, count: a.c * plane)
                (out + a.c * plane).update(from: b.storage.base + i * b.c * plane, count: b.c * plane)
            }
        }
    }
}
