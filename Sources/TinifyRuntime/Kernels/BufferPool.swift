// TinifyRuntime: reusable float buffers. Every layer makes fresh activations; taking them from a
// pool of released buffers (best fit, up to twice the size asked) spares the kernel from mapping
// and zeroing hundreds of megabytes of new pages per forward pass.

/// A float buffer from `BufferPool.take`: malloc'd, or (`mappedBytes` > 0) a `LargePages` mapping.
struct PooledBuffer {
    /// The first float.
    let pointer: UnsafeMutablePointer<Float>
    /// The floats it holds.
    let capacity: Int
    /// The mapping's length in bytes, 0 for a malloc'd buffer.
    let mappedBytes: Int

    /// Frees the buffer (to the system, not the pool).
    func release() {
        if mappedBytes > 0 { LargePages.unmap(UnsafeMutableRawPointer(pointer), length: mappedBytes) } else { pointer.deallocate() }
    }
}

/// Float buffers kept for reuse, by capacity.
package enum BufferPool {
    private static let lock = Lock()
    nonisolated(unsafe) private static var free: [PooledBuffer] = []
    nonisolated(unsafe) private static var pooledBytes = 0
    /// The most memory kept idle in the pool.
    static let limit = 768 << 20

    /// A buffer of at least `count` floats (uninitialised): a pooled one, a fresh `LargePages`
    /// mapping from a megabyte up, or a malloc'd one.
    static func take(_ count: Int) -> PooledBuffer {
        let n = max(count, 1)
        let pooled: PooledBuffer? = lock.withLock {
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
        let (bytes, over) = n.multipliedReportingOverflow(by: MemoryLayout<Float>.stride)
        if !over, bytes >= LargePages.threshold, let (raw, length) = LargePages.map(bytes) {
            return PooledBuffer(pointer: raw.bindMemory(to: Float.self, capacity: length / 4), capacity: length / 4, mappedBytes: length)
        }
        return PooledBuffer(pointer: UnsafeMutablePointer<Float>.allocate(capacity: n), capacity: n, mappedBytes: 0)
    }

    /// The bytes kept idle for reuse.
    package static var idleBytes: Int { lock.withLock { pooledBytes } }

    /// Frees every idle buffer (buffers in use return to the pool, which starts empty again).
    package static func drain() {
        let idle = lock.withLock { () -> [PooledBuffer] in
            defer { free = []; pooledBytes = 0 }
            return free
        }
        for f in idle { f.release() }
    }

    /// Returns a buffer from `take`.
    static func give(_ buffer: PooledBuffer) {
        let kept: Bool = lock.withLock {
            guard pooledBytes + buffer.capacity * 4 <= limit else { return false }
            free.append(buffer)
            pooledBytes += buffer.capacity * 4
            return true
        }
        if !kept { buffer.release() }
    }
}

/// The elements of a FloatTensor: a pooled buffer, released to the pool when the last tensor
/// referring to it goes.
final class FloatStorage: @unchecked Sendable {
    /// The first element.
    let base: UnsafeMutablePointer<Float>
    /// The number of elements.
    let count: Int
    private let buffer: PooledBuffer

    /// Uninitialised storage for `count` floats.
    init(count: Int) {
        self.count = count
        buffer = BufferPool.take(count)
        base = buffer.pointer
    }

    /// A copy of `other`.
    convenience init(copying other: FloatStorage) {
        self.init(count: other.count)
        base.update(from: other.base, count: count)
    }

    deinit { BufferPool.give(buffer) }
}

/// A pooled scratch buffer for the duration of `body`.
@inline(__always) func withScratch<R>(_ count: Int, _ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
    let buffer = BufferPool.take(count)
    defer { BufferPool.give(buffer) }
    return try body(buffer.pointer)
}
