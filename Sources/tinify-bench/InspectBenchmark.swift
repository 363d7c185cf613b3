// tinify-bench inspect: the whole `tinify inspect FILE` process beside torch.load(mmap=True) in-process.
import Foundation

struct InspectBenchmark: Benchmark {
    let name = "inspect"
    let summary = "tinify inspect (whole process) vs torch.load(weights_only=True, mmap=True) in-process [--checkpoint PATH]"
    let options = ["checkpoint"]

    /// Loads once (warm-up), says "ready", then times one in-process load per request line.
    static let torchLoadServer = """
    import sys, time, torch
    p = sys.argv[1]
    torch.load(p, weights_only=True, mmap=True)
    print("ready", flush=True)
    for _ in sys.stdin:
        t = time.perf_counter(); sd = torch.load(p, weights_only=True, mmap=True); t = time.perf_counter() - t
        del sd
        print(repr(t), flush=True)
    """

    func run(_ options: BenchOptions) throws -> [Comparison] {
        let path = try options["checkpoint"] ?? ZooCheckpoint.path("cheng2020-attn", quality: 6)
        let tinify = try Timing.sibling("tinify")
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        let title = "inspect \(URL(fileURLWithPath: path).lastPathComponent) (\(String(format: "%.1f", Double(size) / 1e6)) MB)"

        guard Python.has(["torch"]) else {
            throw BenchError("torch is not importable by python3: the anchor cannot be measured; install torch (CPU) to compare")
        }
        // Interleaved: one tinify process, then one torch.load in the waiting Python, and so on.
        let torch = try PythonSession(Self.torchLoadServer, [path])
        let (ours, theirs) = try Timing.interleaved(runs: try options.runs(9), ours: {
            try Timing.spawn(tinify, ["inspect", path])
        }, anchor: {
            let reply = try torch.ask("load")
            guard let t = Double(reply) else { throw BenchError("the Python timing printed '\(reply.prefix(200))'") }
            return t
        })
        let anchor = Timing.figure("torch.load(mmap=True) (in-process)", theirs)
        let mine = Timing.figure("tinify inspect FILE (whole process)", ours)
        return [Comparison(title: title, tinify: mine, anchor: anchor)]
    }
}
