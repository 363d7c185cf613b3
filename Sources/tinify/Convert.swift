// tinify convert: .pth / .h5 / .safetensors to any of them, atomically and bit-exact.
import ArgumentParser
import Tinify
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert weights between .pth/.pt (torch zip), .h5 (Tinify HDF5) and .safetensors; the format follows OUT's extension.")

    @Argument(help: "Input weights file (any supported format).") var input: String
    @Argument(help: "Output file: .h5/.hdf5, .pth/.pt or .safetensors.") var output: String
    @Option(help: "Require this architecture (zoo name); detected when absent.") var arch: Architecture?
    @Option(help: "Write only one side of the codec: encoder (no g_s) or decoder (no g_a, h_a).") var part: ModelPart?
    @Flag(help: "Write every tensor under its key as stored (no renames, training state kept).") var keepKeys = false
    @Option(help: "HDF5 compression: gzip (chunked, shuffle + deflate).") var compress: String?
    @Flag(help: "Replace OUT if it exists.") var force = false
    @OptionGroup var memory: MemoryOption

    func run() throws {
        try reportingErrors(input) {
            if let c = compress, c != "gzip" { throw ValidationError("--compress supports only gzip") }
            let bar = isatty(2) != 0 ? ProgressBar() : nil
            let summary = try WeightConversion.convert(input: input, output: output, architecture: arch, part: part, keepKeys: keepKeys,
                                                       compress: compress == "gzip", force: force, progress: bar?.update,
                                                       options: readOptions(try memory.budget()))
            bar?.finish()
            let arch = summary.architecture.map { " as \($0.architecture.rawValue) (\($0.hyperparameters))" + (part.map { ", \($0.rawValue) only" } ?? "") } ?? ""
            let renames = summary.renamed.isEmpty ? "" : ", renamed: " + summary.renamed.map { "\($0.rule) (\($0.count))" }.joined(separator: ", ")
            print("\(output): \(summary.tensors) tensors, \(summary.bytes) bytes\(arch)\(renames)")
        }
    }
}

/// OpenBLAS (linked for `eval`) starts its worker threads when the program loads, and each spins
/// on `sched_yield` for about 0.1 s waiting for work: on two cores that is a core the command
/// needs (`convert` hashes its source on the other). Commands that do no BLAS shut the idle pool
/// down (OpenBLAS starts it again on its next call). Nothing happens when the symbol is absent.
func stopIdleBLASThreads() {
    typealias Shutdown = @convention(c) () -> Int32
    guard let symbol = dlsym(nil, "blas_thread_shutdown_") else { return }  // nil handle: RTLD_DEFAULT
    _ = unsafeBitCast(symbol, to: Shutdown.self)()
}

/// A one-line progress bar on stderr, for terminals.
final class ProgressBar {
    private var last = -1
    /// Shows `done` of `total` bytes.
    func update(_ done: Int, _ total: Int) {
        guard total > 1 << 20 else { return }
        let pct = Int(Double(done) / Double(total) * 100)
        guard pct != last else { return }
        last = pct
        let filled = pct / 4
        Console.error("\r[" + String(repeating: "#", count: filled) + String(repeating: " ", count: 25 - filled) + "] \(pct)%")
    }
    /// Clears the bar.
    func finish() { if last >= 0 { Console.error("\r" + String(repeating: " ", count: 34) + "\r") } }
}
