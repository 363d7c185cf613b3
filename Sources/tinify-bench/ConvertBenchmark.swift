// tinify-bench convert: the whole `tinify convert --force FILE OUT.h5` process beside torch.load
// + h5py writing the same tensors in-process (issue 4's goal: at most half of Python's time).
import Foundation

struct ConvertBenchmark: Benchmark {
    let name = "convert"
    let summary = "tinify convert --force FILE OUT.h5 (whole process) vs torch.load + h5py write in-process [--checkpoint PATH]"
    let options = ["checkpoint"]

    /// The zoo-size checkpoint made when none is given (mbt2018 quality 8, 123 MB).
    static let defaultPath = "/tmp/tinify-bench/mbt2018-q8.pth"

    static let makeCheckpoint = """
    import os, sys, torch
    from compressai.zoo import image_models
    m = image_models['mbt2018'](quality=8, pretrained=False).eval()
    m.update(force=True)
    os.makedirs(os.path.dirname(sys.argv[1]), exist_ok=True)
    torch.save(m.state_dict(), sys.argv[1] + '.tmp')
    os.replace(sys.argv[1] + '.tmp', sys.argv[1])
    """

    /// Converts once (warm-up), says "ready", then times one in-process torch.load + h5py write
    /// of every tensor (dots become groups, as the perf contract does) per request line.
    /// bfloat16 has no numpy dtype, so it is written as its 16-bit pattern (same bytes).
    static let torchLoadH5pyServer = """
    import sys, time, torch, h5py
    p, out = sys.argv[1], sys.argv[2]
    def once():
        sd = torch.load(p, weights_only=True)
        with h5py.File(out, 'w') as f:
            for k, v in sd.items():
                a = v.view(torch.int16).numpy() if v.dtype == torch.bfloat16 else v.numpy()
                f.create_dataset(k.replace('.', '/'), data=a)
    once()
    print("ready", flush=True)
    for _ in sys.stdin:
        t = time.perf_counter(); once(); t = time.perf_counter() - t
        print(repr(t), flush=True)
    """

    /// The default zoo-size checkpoint, made with Python when missing.
    static func checkpoint() throws -> String {
        let path = defaultPath
        if !FileManager.default.fileExists(atPath: path) {
            guard Python.has(["torch", "compressai"]) else {
                throw BenchError("torch and compressai are not importable by python3, so no checkpoint can be made; pass --checkpoint PATH (a zoo-size torch.save file)")
            }
            FileHandle.standardError.write(Data("making \(path) (mbt2018 quality 8, pretrained=False)…\n".utf8))
            _ = try Python.run(makeCheckpoint, [path])
        }
        return path
    }

    func run(_ options: BenchOptions) throws -> [Comparison] {
        let path = try options["checkpoint"] ?? Self.checkpoint()
        guard FileManager.default.fileExists(atPath: path) else { throw BenchError("\(path): no such file") }
        let tinify = try Timing.sibling("tinify")
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        let title = "convert \(URL(fileURLWithPath: path).lastPathComponent) → .h5 (\(String(format: "%.1f", Double(size) / 1e6)) MB)"

        guard Python.has(["torch", "h5py"]) else {
            throw BenchError("torch and h5py are not importable by python3: the anchor cannot be measured; install torch (CPU) and h5py to compare")
        }
        // Both outputs in one scratch directory (one file system); each run replaces the last one's
        // output, as `--force` and h5py's 'w' mode do.
        let scratch = NSTemporaryDirectory() + "tinify-bench-convert-\(getpid())"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        // Interleaved: one tinify process, then one conversion in the waiting Python, and so on.
        // Dirty pages are written out (untimed) before every run: h5py leaves its 123 MB output
        // for the kernel to write back, and Tinify's fsync would otherwise queue behind it.
        let python = try PythonSession(Self.torchLoadH5pyServer, [path, scratch + "/python.h5"])
        let (ours, theirs) = try Timing.interleaved(runs: try options.runs(9), ours: {
            sync()
            return try Timing.spawn(tinify, ["convert", "--force", path, scratch + "/tinify.h5"])
        }, anchor: {
            sync()
            let reply = try python.ask("convert")
            guard let t = Double(reply) else { throw BenchError("the Python timing printed '\(reply.prefix(200))'") }
            return t
        })
        let mine = Timing.figure("tinify convert --force (whole process)", ours)
        let anchor = Timing.figure("torch.load + h5py write (in-process)", theirs)
        return [Comparison(title: title, tinify: mine, anchor: anchor)]
    }
}
