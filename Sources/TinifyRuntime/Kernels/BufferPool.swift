// TinifyRuntime: reusable float buffers. Every layer makes fresh activations; taking them from a
// pool of released buffers (best fit, up to twice the size asked) spares the kernel from mapping
// and zeroing hundreds of megabytes of new pages per forward pass.

/// Float buffers kept for reuse, by capacity.
package enum BufferPool {
    private static let lock = Lock()
    nonisolated(unsafe) private static var free: [(pointer: UnsafeMutablePointer<Float>, capacity: Int)] = []
    nonisolated(unsafe) private static var pooledBytes = 0
    /// The most memory kept idle in the pool.
    static let limit = 768 << 20

    /// A buffer of at least `count` floats (uninitialised) and its capacity.
    static func take(_ count: Int) -> (pointer: UnsafeMutablePointer<Float>, capacity: Int) {
        let n = max(count, 1)
        let pooled: (pointer: UnsafeMutablePointer<Float>, capacity: Int)? = lock.withLock {
            var best = -1
            for (i, f) in free.enumerated() where f.capacity >= n && f.capacity <= 2 * n + 1024 {
                if best < 0 || f.capacity < free[best].capacity { best = i }
            }
            guard best >= 0 else { return nil }
            let f = free.remove(at: best)
            pooledBytes -= f.capacity * 4
            return f
        }
        if let pooled { return pooled }
        return (UnsafeMutablePointer<Float>.allocate(capacity: n), n)
    }

    /// The bytes kept idle for reuse.
    package static var idleBytes: Int { lock.withLock { pooledBytes } }

    /// Frees every idle buffer (buffers in use return to the pool, which starts empty again).
    package static func drain() {
        let idle = lock.withLock { () -> [(pointer: UnsafeMutablePointer<Float>, capacity: Int)] in
            defer { free = []; pooledBytes = 0 }
            return free
        }
        for f in idle { f.pointer.deallocate() }
    }

    /// Returns a buffer of `capacity` floats from `take`.
    static func give(_ p: UnsafeMutablePointer<Float>, capacity: Int) {
        let kept: Bool = lock.withLock {
            guard pooledBytes + capacity * 4 <= limit else { return false }
            free.append((p, capacity))
            pooledBytes += capacity * 4
            return true
        }
        if !kept { p.deallocate() }
    }
}

/// The elements of a FloatTensor: a pooled buffer, released to the pool when the last tensor
/// referring to it goes.
final class FloatStorage: @unchecked Sendable {
    /// The first element.
    let base: UnsafeMutablePointer<Float>
    /// The number of elements.
    let count: Int
    private let capacity: Int

    /// Uninitialised storage for `count` floats.
    init(count: Int) {
        self.count = count
        (base, capacity) = BufferPool.take(count)
    }

    /// A copy of `other`.
    convenience init(copying other: FloatStorage) {
        self.init(count: other.count)
        base.update(from: other.base, count: count)
    }

    deinit { BufferPool.give(base, capacity: capacity) }
}

/// A pooled scratch buffer for the duration of `body`.
@inline(__always) func withScratch<R>(_ count: Int, _ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
    let (p, capacity) = BufferPool.take(count)
    defer { BufferPool.give(p, capacity: capacity) }
    return try body(p)
}
