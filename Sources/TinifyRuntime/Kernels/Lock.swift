// TinifyRuntime: a minimal mutex (pthread), so the runtime needs no Foundation.
#if canImport(Glibc)
import Glibc
#endif

/// A mutual-exclusion lock.
final class Lock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    /// A new, unlocked lock.
    init() { pthread_mutex_init(mutex, nil) }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` holding the lock.
    @inline(__always) func withLock<R>(_ body: () throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}

/// Process environment and machine facts without Foundation.
enum Environment {
    /// The value of environment variable `name`.
    static func value(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }

    /// The number of online processors.
    static var processorCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// The contents of a small text file (such as /proc/cpuinfo), or nil.
    static func readText(_ path: String, limit: Int = 1 << 22) -> String? {
        guard let f = fopen(path, "r") else { return nil }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while bytes.count < limit {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
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
