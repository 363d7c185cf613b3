// Tinify: one checkpoint over a dataset's images, several images at a time. Each worker reads an
// image (PNG or JPEG, as PIL's convert("RGB") reads it), waits until the memory its pass is
// estimated to need fits in what the budget has left, and measures it (ImageEvaluation). The
// figures do not depend on the number of workers: every image runs the same kernels with the
// same work split (Parallel.workers is fixed per process), whatever runs beside it.
import Dispatch
import TinifyCore
import TinifyRuntime
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Measures a dataset's images with one model, `jobs` images at a time.
public struct DatasetEvaluation: Sendable {
    /// The model (its engine is shared by the workers; a model is safe to run concurrently).
    public let model: ZooModel
    /// Real coding or entropy estimation.
    public var mode: ImageEvaluation.Mode
    /// Runs the synthesis transform on the deterministic kernels.
    public var bitExact = false
    /// Images measured at a time (at least 1).
    public var jobs: Int
    /// The memory the concurrent passes may take together (an image over it alone is refused).
    public var budget: MemoryBudget

    /// An evaluation of `model` in `mode`, `jobs` images at a time (default: one per core), within `budget`.
    public init(model: ZooModel, mode: ImageEvaluation.Mode, jobs: Int? = nil, budget: MemoryBudget = ZooModel.defaultMemoryBudget) {
        self.model = model
        self.mode = mode
        self.jobs = Swift.max(1, jobs ?? Environment.processorCount)
        self.budget = budget
    }

    /// Measures every image of `paths`, returning its figures or its error, in order.
    /// `completed(index, figures, original, reconstruction)` runs on the worker that measured
    /// image `index`, as soon as it is done (to write per-image files, draw progress); an error it
    /// throws becomes that image's error.
    public func run(_ paths: [String],
                    completed: @escaping @Sendable (Int, ImageFigures, ImageTensor, ImageTensor) throws -> Void = { _, _, _, _ in })
        -> [Result<ImageFigures, any Error>]
    {
        let runtime: any CompressionRuntimeModel
        do {
            runtime = try model.runtime
            if mode == .coding { try model.checkCodingTables() }
        } catch {
            return paths.map { _ in .failure(error) }
        }
        let results = ResultSlots(count: paths.count)
        let gate = MemoryGate(bytes: Swift.max(0, budget.bytes - ImageMemory.baseBytes))
        let next = Counter()
        let workers = Swift.min(jobs, paths.count)
        let (model, mode, bitExact, budget) = (self.model, self.mode, self.bitExact, self.budget)
        DispatchQueue.concurrentPerform(iterations: Swift.max(workers, 1)) { _ in
            while let i = next.take(below: paths.count) {
                let outcome: Result<ImageFigures, any Error>
                do {
                    let x = try ImageCodec.read(paths[i], for: runtime, budget: budget)
                    let need = ImageMemory.estimate(n: runtime.n, m: runtime.m, factor: runtime.downsamplingFactor,
                                                    height: x.height, width: x.width) - ImageMemory.baseBytes
                    let measured = try gate.holding(need) {
                        try ImageEvaluation.run(model, image: x, mode: mode, bitExact: bitExact)
                    }
                    try completed(i, measured.figures, x, measured.reconstruction)
                    outcome = .success(measured.figures)
                } catch {
                    outcome = .failure(error)
                }
                results.set(i, outcome)
            }
        }
        return results.values
    }
}

/// The next index to take, shared by the workers.
private final class Counter: @unchecked Sendable {
    private let lock = Lock()
    private var value = 0

    func take(below limit: Int) -> Int? {
        lock.withLock {
            guard value < limit else { return nil }
            value += 1
            return value - 1
        }
    }
}

/// One result per image, written by the workers.
private final class ResultSlots: @unchecked Sendable {
    private let lock = Lock()
    private var slots: [Result<ImageFigures, any Error>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: Result<ImageFigures, any Error>) { lock.withLock { slots[i] = value } }

    var values: [Result<ImageFigures, any Error>] {
        lock.withLock { slots.map { $0 ?? .failure(EvaluationError.badRequest("image not evaluated")) } }
    }
}

/// Memory shared by concurrent passes: a pass waits until its estimated need fits in what is
/// left, and gives it back when done. A need over the whole amount runs alone.
package final class MemoryGate: @unchecked Sendable {
    private let lock = Lock()
    private let total: Int
    private var used = 0
    private var running = 0

    /// A gate over `bytes`.
    package init(bytes: Int) { total = bytes }

    /// Runs `body` once `need` bytes are free (or nothing else runs), holding them meanwhile.
    package func holding<R>(_ need: Int, _ body: () throws -> R) throws -> R {
        let amount = Swift.max(0, need)
        while true {
            let admitted: Bool = lock.withLock {
                guard running == 0 || used + amount <= total else { return false }
                used += amount
                running += 1
                return true
            }
            if admitted { break }
            usleep(2000)
        }
        defer { lock.withLock { used -= amount; running -= 1 } }
        return try body()
    }
}
