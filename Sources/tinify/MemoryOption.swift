// tinify: the memory budget of the commands that run a model on images (`--max-memory SIZE`, or
// the TINIFY_MAX_MEMORY environment variable; the option wins).
import ArgumentParser
import TinifyCore
import TinifyRuntime

/// `--max-memory SIZE`.
struct MemoryOption: ParsableArguments {
    @Option(name: .customLong("max-memory"),
            help: "Memory budget (e.g. 4G, 512M). Default: enough for a 2048×2048 image with any zoo model, at most what this process may use; also TINIFY_MAX_MEMORY.")
    var maxMemory: String?

    /// The budget: the option, else TINIFY_MAX_MEMORY, else the default.
    func budget() throws -> MemoryBudget {
        if let text = maxMemory ?? Environment.value("TINIFY_MAX_MEMORY") {
            guard let bytes = MemoryBudget.parse(text) else { throw ValidationError("--max-memory: '\(text)' is not a size (e.g. 4G, 512M)") }
            return MemoryBudget(bytes: bytes)
        }
        return ImageMemory.defaultBudget()
    }
}
