// tinify-bench eval: the whole `tinify eval --checkpoint F IMAGE` process (start-up and loading
// included) beside CompressAI's in-process forward pass with 2 threads, on a 768×512 image with
// zoo quality 3 models (issue 5's goal: no slower than CompressAI).
import Foundation

struct EvalBenchmark: Benchmark {
    let name = "eval"
    let summary = "tinify eval --entropy-estimation (whole process) vs CompressAI forward in-process, 2 threads, 768x512, quality 3 [--arch NAME]"
    let options = ["arch"]

    /// Builds the model once and runs one warm-up forward, says "ready", then times one forward per line.
    static let forwardServer = """
    import sys, time, warnings, torch, numpy as np
    warnings.filterwarnings('ignore')
    from PIL import Image
    from compressai.zoo.image import model_architectures as MA
    torch.set_num_threads(2)
    sd = torch.load(sys.argv[1], weights_only=True)
    m = MA[sys.argv[2]].from_state_dict(sd).eval()
    x = torch.from_numpy(np.array(Image.open(sys.argv[3]))).permute(2, 0, 1)[None].float() / 255
    with torch.no_grad():
        m(x)
        print("ready", flush=True)
        for _ in sys.stdin:
            t = time.perf_counter(); m(x); t = time.perf_counter() - t
            print(repr(t), flush=True)
    """

    func run(_ options: BenchOptions) throws -> [Comparison] {
        guard Python.has(["torch", "compressai", "PIL"]) else {
            throw BenchError("torch, compressai and pillow are not importable by python3: neither the zoo-size models nor the anchor can be made")
        }
        let image = try ZooCheckpoint.image(height: 512, width: 768)
        let tinify = try Timing.sibling("tinify")
        let archs = options["arch"].map { [$0] } ?? ["bmshj2018-factorized", "cheng2020-anchor"]
        return try archs.map { arch in
            let checkpoint = try ZooCheckpoint.path(arch, quality: 3)
            let python = try PythonSession(Self.forwardServer, [checkpoint, arch, image])
            let (ours, theirs) = try Timing.interleaved(runs: try options.runs(5), ours: {
                try Timing.spawn(tinify, ["eval", "--entropy-estimation", "--checkpoint", checkpoint, image])
            }, anchor: {
                let reply = try python.ask("forward")
                guard let t = Double(reply) else { throw BenchError("the Python timing printed '\(reply.prefix(200))'") }
                return t
            })
            return Comparison(title: "eval \(arch) quality 3, 768x512",
                              tinify: Timing.figure("tinify eval (whole process)", ours),
                              anchor: Timing.figure("CompressAI forward, 2 threads (in-process)", theirs))
        }
    }
}
