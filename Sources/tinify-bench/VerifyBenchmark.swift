// tinify-bench verify: building and verifying a zoo-size model beyond reading it, in-process,
// beside CompressAI's `from_state_dict` (instantiate + strict load_state_dict) in-process.
import Foundation
import Tinify
import TinifyWeights
import TinifyArchitectures

struct VerifyBenchmark: Benchmark {
    let name = "verify"
    let summary = "detect + verify + bind a model beyond reading it, in-process, vs CompressAI from_state_dict [--checkpoint PATH]"
    let options = ["checkpoint"]

    /// Loads the state dict once, then times one `from_state_dict` per request line.
    static let fromStateDictServer = """
    import sys, time, warnings, torch
    warnings.filterwarnings('ignore')
    from compressai.zoo.image import model_architectures as MA
    sd = torch.load(sys.argv[1], weights_only=True)
    cls = MA[sys.argv[2]]
    cls.from_state_dict(sd)
    print("ready", flush=True)
    for _ in sys.stdin:
        t = time.perf_counter(); m = cls.from_state_dict(sd); t = time.perf_counter() - t
        del m
        print(repr(t), flush=True)
    """

    func run(_ options: BenchOptions) throws -> [Comparison] {
        let path = try options["checkpoint"] ?? ZooCheckpoint.path("cheng2020-attn", quality: 6)
        let store = try WeightFile.open(path)
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        let runs = try options.runs(9)
        // Tinify: detection (binding every architecture until one fits) and the typed model's
        // binding of every tensor — all the work `verify` does beyond reading.
        var detected: VerificationReport?
        var ours: [Double] = []
        for i in 0...runs {
            let t = Timing.now()
            let report = try ArchitectureDetector.detect(CheckpointWeights(store))
            _ = try report.architecture.fromStateDict(CheckpointWeights(store))
            if i > 0 { ours.append(Timing.now() - t) }
            detected = report
        }
        guard let arch = detected?.architecture else { throw BenchError("no architecture fits \(path)") }
        let title = "verify \(URL(fileURLWithPath: path).lastPathComponent) (\(String(format: "%.1f", Double(size) / 1e6)) MB, \(arch.rawValue))"
        let mine = Timing.figure("detect + verify + fromStateDict (in-process)", ours)
        guard Python.has(["torch", "compressai"]) else {
            print(title + "\n  " + mine.label + String(format: " %.2f ms", mine.seconds * 1000)
                  + "\n  (torch/compressai not importable: the CompressAI anchor is not measured)")
            return []
        }
        let session = try PythonSession(Self.fromStateDictServer, [path, arch.rawValue])
        var theirs: [Double] = []
        for _ in 0..<runs {
            let reply = try session.ask("go")
            guard let t = Double(reply) else { throw BenchError("the Python timing printed '\(reply.prefix(200))'") }
            theirs.append(t)
        }
        let anchor = Timing.figure("CompressAI from_state_dict (in-process)", theirs)
        return [Comparison(title: title, tinify: mine, anchor: anchor)]
    }
}
