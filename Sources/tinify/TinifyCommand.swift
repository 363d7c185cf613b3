// tinify: the command-line tool.
import ArgumentParser
import Tinify
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@main
struct TinifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tinify",
        abstract: "Read, verify, convert and run CompressAI checkpoints without Python.",
        version: TinifyVersion.string,
        subcommands: [Inspect.self, Verify.self, Convert.self, Diff.self, Update.self, Eval.self, Compress.self, Decompress.self, BDRate.self, Plot.self])

    /// `inspect` in its plain form runs directly (ArgumentParser's parsing costs milliseconds of
    /// start-up); every other command line goes through ArgumentParser.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let status = runHDF5ScanHelper(arguments) { processExit(status) }
        // Plain `inspect` exits within milliseconds, before OpenBLAS's idle threads matter
        // (joining them costs ~5 ms).
        if let inspect = InspectRequest(arguments: arguments) { inspect.runAndExit() }
        // OpenBLAS starts worker threads at load that spin for ~0.1 s; only eval, compress and decompress do BLAS work
        // (and they manage the threads themselves), so every other command stops them at once.
        if ["eval", "compress", "decompress"].contains(arguments.first ?? "") {
            // The command owns its process: OpenBLAS runs one thread per call (the kernels
            // spread tiles over the cores), set up when a kernel first loads it.
            try? ProcessSettings.configureOpenBLAS(whenFirstUsed: true)
            // Loaded while the checkpoint and the image are read.
            ProcessSettings.preloadOpenBLAS()
            if arguments.first != "eval" {
                // One image per process: its start-up costs are most of the run.
                useLargeHeapPages()
                if let request = CodecRequest(arguments: arguments) { request.runAndExit() }
            }
        } else {
            stopIdleBLASThreads()
        }
        main(nil)
    }
}

/// C's `exit` (ParsableCommand's own `exit` shadows it inside the command).
func processExit(_ status: Int32) -> Never { exit(status) }
