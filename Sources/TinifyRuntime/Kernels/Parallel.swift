// TinifyRuntime: work splitting over the machine's cores (DispatchQueue.concurrentPerform) and the
// OpenBLAS thread policy: each worker calls a single-threaded sgemm on its own tile.
import TinifyCore
import Dispatch

/// Parallel loops for the kernels.
package enum Parallel {
    /// The number of workers: `TINIFY_NUM_THREADS` when it is set to a number from 1 to 256 (read
    /// once, when the kernels first run), else the active processor count.
    package static let workers: Int = {
        if let text = Environment.value("TINIFY_NUM_THREADS"), let n = Int(text), (1...256).contains(n) { return n }
        return Environment.processorCount
    }()

    /// Calls `body(i)` for every `i` in `0..<n`, concurrently when `n > 1`.
    ///
    /// `body` is not `Sendable`: the kernels' bodies capture the buffers they write. The contract
    /// that makes this safe is the caller's and is kept by every kernel: the calls for different
    /// `i` write disjoint memory (and read only memory no call writes), and `forEach` returns
    /// only after every call has finished.
    @inline(__always) package static func forEach(_ n: Int, _ body: (Int) -> Void) {
        if n <= 0 { return }
        if n == 1 || workers == 1 {
            for i in 0..<n { body(i) }
        } else {
            withoutActuallyEscaping(body) { body in
                let shared = DisjointWork(body)
                DispatchQueue.concurrentPerform(iterations: n) { shared.run($0) }
            }
        }
    }

    /// Calls `body(i, scratch)` for every `i` in `0..<count`, from at most `workers` threads that
    /// each allocate `scratch` floats once and take the next index as they finish (so large
    /// temporary buffers are reused rather than freshly mapped per item).
    package static func forEach(_ count: Int, scratch: Int, _ body: (Int, UnsafeMutablePointer<Float>) -> Void) {
        if count <= 0 { return }
        let threads = min(workers, count)
        let lock = Lock()
        var next = 0
        func take() -> Int? {
            lock.withLock {
                if next >= count { return nil }
                next += 1
                return next - 1
            }
        }
        forEach(threads) { _ in
            withScratch(scratch) { buffer in
                while let i = take() { body(i, buffer) }
            }
        }
    }

    /// Calls `body(range)` over `0..<count` split into about `workers × 2` chunks of at least `grain`.
    package static func chunks(_ count: Int, grain: Int = 1 << 15, _ body: (Range<Int>) -> Void) {
        if count <= 0 { return }
        let pieces = max(1, min(workers * 2, count / max(grain, 1)))
        if pieces == 1 { body(0..<count); return }
        let step = (count + pieces - 1) / pieces
        forEach(pieces) { i in
            let lo = i * step, hi = min(count, lo + step)
            if lo < hi { body(lo..<hi) }
        }
    }
}

/// A loop body shared by the workers of `Parallel.forEach` (see its contract: each index writes
/// its own memory), for the duration of that call only.
private struct DisjointWork: @unchecked Sendable {
    let run: (Int) -> Void
    init(_ run: @escaping (Int) -> Void) { self.run = run }
}
