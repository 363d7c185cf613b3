// tinify-bench convert: the whole `tinify convert --force FILE OUT.h5` process beside torch.load
// + h5py writing the same tensors in-process (issue 4's goal: at most half of Python's time).
import Foundation
import TinifyCore

struct ConvertBenchmark: Benchmark {
    let name = "convert"
    let summary = "tinify convert --force FILE OUT.h5 (whole process) vs torch.load + h5py write in-process [--checkpoint PATH]"
    let options = ["checkpoint"]

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

    func run(_ options: BenchOptions) throws -> [Comparison] {
        let path = try options["checkpoint"] ?? ZooCheckpoint.path("mbt2018", quality: 8)
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
        // The layout's `source_sha256` is one SHA-256 over the whole source: a sequential hash that
        // no second core can share. Its cost alone, in-process, bounds what `convert` can reach.
        let hashOnly = try (0..<5).map { _ -> Double in
            let file = try MappedFile(path: path)
            let start = DispatchTime.now().uptimeNanoseconds
            _ = SHA256Hasher.hex(of: file)
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        let hash = Timing.figure("SHA-256 of the source alone", hashOnly)
        // The kernel's share: copying the source's bytes into a new file and renaming it over the
        // previous output, in-process, with nothing parsed, hashed or synced.
        let copyOnly = try (0..<6).map { _ in try Self.copyAndReplace(path, to: scratch + "/copy.out") }.dropFirst()
        let copy = Timing.figure("copy + rename over the old output", Array(copyOnly))
        func note(_ label: String, _ f: Figure) -> String {
            label.padding(toLength: 44, withPad: " ", startingAt: 0)
                + String(format: "%8.2f ms   = %.2f of the anchor", f.seconds * 1000, f.seconds / anchor.seconds)
        }
        return [Comparison(title: title, tinify: mine, anchor: anchor,
                           notes: [note("SHA-256 of the source (in-process)", hash), note("copy + rename over old output", copy)])]
    }

    /// Seconds to copy `source` into a new file beside `target` (`copy_file_range`) and rename it
    /// over `target`.
    static func copyAndReplace(_ source: String, to target: String) throws -> Double {
        typealias CopyFileRange = @convention(c) (Int32, UnsafeMutablePointer<Int64>?, Int32, UnsafeMutablePointer<Int64>?, Int, UInt32) -> Int
        guard let symbol = dlsym(nil, "copy_file_range") else { throw BenchError("no copy_file_range in the C library") }
        let copy = unsafeBitCast(symbol, to: CopyFileRange.self)
        let start = DispatchTime.now().uptimeNanoseconds
        let input = open(source, O_RDONLY), output = open(target + ".tmp", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        defer { close(input) }
        guard input >= 0, output >= 0 else { throw BenchError("cannot open \(source) or \(target).tmp") }
        while copy(input, nil, output, nil, 1 << 30, 0) > 0 {}
        close(output)
        guard rename(target + ".tmp", target) == 0 else { throw BenchError("cannot rename onto \(target)") }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
