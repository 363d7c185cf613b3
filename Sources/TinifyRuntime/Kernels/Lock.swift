// TinifyRuntime: a minimal mutex (pthread), so the runtime needs no Foundation.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A mutual-exclusion lock.
package final class Lock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    /// A new, unlocked lock.
    package init() { pthread_mutex_init(mutex, nil) }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` holding the lock.
    @inline(__always) package func withLock<R>(_ body: () throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}

/// A value computed on first use, once, under a lock (weight transforms that a command may never
/// need: `compress` never runs g_s, `decompress` never runs g_a).
final class Deferred<Value>: @unchecked Sendable {
    private enum State {
        case pending(() -> Value)
        case made(Value)
    }
    private let lock = Lock()
    private var state: State

    /// A value `make` computes when it is first asked for.
    init(_ make: @escaping () -> Value) { state = .pending(make) }

    /// The value (computed now if it has not been).
    var value: Value {
        lock.withLock {
            switch state {
            case .made(let v):
                return v
            case .pending(let make):
                let v = make()
                state = .made(v)
                return v
            }
        }
    }
}

/// A value read and written under a lock.
package final class Protected<Value>: @unchecked Sendable {
    private let lock = Lock()
    private var value: Value

    /// A protected `value`.
    package init(_ value: Value) { self.value = value }

    /// Runs `body` on the value, holding the lock.
    package func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        try lock.withLock { try body(&value) }
    }
}
