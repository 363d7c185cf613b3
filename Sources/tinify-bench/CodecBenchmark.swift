// tinify-bench codec: the whole `tinify compress` and `tinify decompress` (default and
// --bit-exact) processes, start-up and loading included, beside CompressAI's in-process compress()
// and decompress() with 2 threads, on zoo quality 3 models: bmshj2018-hyperprior at 768×512 and
// 300×200, mbt2018 at 768×512; and the models the zoo has no weights for, at their default sizes
// with random weights: cheng2020-anchor-checkerboard and elic2022-official at 768×512.
import Foundation

struct CodecBenchmark: Benchmark {
    let name = "codec"
    let summary = "tinify compress / decompress (whole process) vs CompressAI compress() / decompress() in-process, 2 threads [--arch NAME] [--size WxH]"
    let options = ["arch", "size"]

    /// Builds the model, compresses and decompresses once (warm-up), says "ready", then times one
    /// compress or decompress per request line ("compress" / "decompress").
    static let codecServer = """
    import sys, time, warnings, torch, numpy as np
    warnings.filterwarnings('ignore')
    from PIL import Image
    from compressai.zoo.image import model_architectures as MA
    from compressai.registry import MODELS
    torch.set_num_threads(2)
    m = (MA.get(sys.argv[2]) or MODELS[sys.argv[2]]).from_state_dict(torch.load(sys.argv[1], weights_only=True)).eval()
    x = torch.from_numpy(np.array(Image.open(sys.argv[3]))).permute(2, 0, 1)[None].float() / 255
    h, w = x.shape[2:]; H, W = (h + 63) // 64 * 64, (w + 63) // 64 * 64  # padded as codec.py pads
    x = torch.nn.functional.pad(x, ((W - w) // 2, W - w - (W - w) // 2, (H - h) // 2, H - h - (H - h) // 2))
    with torch.no_grad():
        c = m.compress(x); m.decompress(c["strings"], c["shape"])
        print("ready", flush=True)
        for line in sys.stdin:
            t = time.perf_counter()
            if line.strip() == "compress": c = m.compress(x)
            else: m.decompress(c["strings"], c["shape"])
            print(repr(time.perf_counter() - t), flush=True)
    """

    func run(_ options: BenchOptions) throws -> [Comparison] {
        guard Python.has(["torch", "compressai", "PIL"]) else {
            throw BenchError("torch, compressai and pillow are not importable by python3: neither the zoo-size models nor the anchor can be made")
        }
        let tinify = try Timing.sibling("tinify")
        // (architecture, height, width): the issue's sizes — 768×512 for every model, and a
        // 300×200 image, where the process start-up is most of the work, for the hyperprior one.
        // --size WxH: that size only (with --arch, or for the hyperprior model).
        var size: (h: Int, w: Int)? = nil
        if let text = options["size"] {
            let parts = text.split(separator: "x").compactMap { Int($0) }
            guard parts.count == 2, parts.allSatisfy({ (16...4096).contains($0) }) else {
                throw BenchError("--size must be WIDTHxHEIGHT, each 16 to 4096 (got '\(text)')")
            }
            size = (parts[1], parts[0])
        }
        let cases: [(String, Int, Int)] = size.map { [(options["arch"] ?? "bmshj2018-hyperprior", $0.h, $0.w)] }
            ?? options["arch"].map { [($0, 512, 768)] }
            ?? [("bmshj2018-hyperprior", 512, 768), ("bmshj2018-hyperprior", 200, 300), ("mbt2018", 512, 768),
                ("cheng2020-anchor-checkerboard", 512, 768), ("elic2022-official", 512, 768)]
        var out: [Comparison] = []
        for (arch, h, w) in cases {
            let image = try ZooCheckpoint.image(height: h, width: w)
            let checkpoint = try ZooCheckpoint.path(arch, quality: 3)
            let bin = ZooCheckpoint.directory + "/codec-\(arch)-\(w)x\(h).bin", png = ZooCheckpoint.directory + "/codec-\(arch).png"
            _ = try Timing.spawn(tinify, ["compress", "--force", "--checkpoint", checkpoint, image, "-o", bin])
            let python = try PythonSession(Self.codecServer, [checkpoint, arch, image])
            // decompress runs twice: the default (fast g_s) and --bit-exact (deterministic g_s).
            for (step, extra) in [("compress", [String]()), ("decompress", []), ("decompress", ["--bit-exact"])] {
                let args = step == "compress" ? ["compress", "--force", "--checkpoint", checkpoint, image, "-o", bin]
                                              : ["decompress", "--force"] + extra + ["--checkpoint", checkpoint, bin, "-o", png]
                let (ours, theirs) = try Timing.interleaved(runs: try options.runs(5), ours: {
                    try Timing.spawn(tinify, args)
                }, anchor: {
                    let reply = try python.ask(step)
                    guard let t = Double(reply) else { throw BenchError("the Python timing printed '\(reply.prefix(200))'") }
                    return t
                })
                let label = (["tinify", step] + extra).joined(separator: " ")
                let size = ["cheng2020-anchor-checkerboard", "elic2022-official", "elic2022-chandelier"].contains(arch) ? "default size, random weights" : "quality 3"
                out.append(Comparison(title: "\(step)\(extra.isEmpty ? "" : " " + extra[0]) \(arch) \(size), \(w)x\(h)",
                                      tinify: Timing.figure("\(label) (whole process)", ours),
                                      anchor: Timing.figure("CompressAI \(step)(), 2 threads (in-process)", theirs)))
            }
        }
        return out
    }
}
