// tinify-bench eval: the whole `tinify eval --checkpoint F IMAGE` process (start-up and loading
// included) beside CompressAI's in-process forward pass with 2 threads, on a 768×512 image with
// zoo quality 3 models (issue 5's goal: no slower than CompressAI).
import Foundation

struct EvalBenchmark: Benchmark {
    let name = "eval"
    let summary = "tinify eval (whole process) vs CompressAI forward in-process, 2 threads, 768x512, quality 3 [--arch NAME]"
    let options = ["arch"]

    static let makeImage = """
    import sys, numpy as np
    from PIL import Image
    r = np.random.default_rng(0); y, x = np.mgrid[0:512, 0:768]
    a = np.stack([x / 768, y / 512, (x + y) / 1280], -1) * 200 + r.integers(0, 55, (512, 768, 3))
    Image.fromarray(a.clip(0, 255).astype('uint8')).save(sys.argv[1])
    """

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
        try FileManager.default.createDirectory(atPath: ZooCheckpoint.directory, withIntermediateDirectories: true)
        let image = ZooCheckpoint.directory + "/kodak-size-768x512.png"
        if !FileManager.default.fileExists(atPath: image) { _ = try Python.run(Self.makeImage, [image]) }
        let tinify = try Timing.sibling("tinify")
        let archs = options["arch"].map { [$0] } ?? ["bmshj2018-factorized", "cheng2020-anchor"]
        return try archs.map { arch in
            let checkpoint = try ZooCheckpoint.path(arch, quality: 3)
            let python = try PythonSession(Self.forwardServer, [checkpoint, arch, image])
            let (ours, theirs) = try Timing.interleaved(runs: try options.runs(5), ours: {
                try Timing.spawn(tinify, ["eval", "--checkpoint", checkpoint, image])
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
