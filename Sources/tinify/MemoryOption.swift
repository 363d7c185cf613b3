// tinify: the memory budget of every command (`--max-memory SIZE`, or the TINIFY_MAX_MEMORY
// environment variable; the option wins): images and models for eval, compress and decompress,
// and what reading a weights file may hold in memory (inflated records, expanded views, HDF5 data).
import ArgumentParser
import Tinify
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--max-memory SIZE`.
struct MemoryOption: ParsableArguments {
    @Option(name: .customLong("max-memory"),
            help: "Memory budget (e.g. 4G, 512M). Default: enough for a 2048×2048 image with any zoo model, at most what this process may use; also TINIFY_MAX_MEMORY.")
    var maxMemory: String?

    /// The budget: the option, else TINIFY_MAX_MEMORY, else the default.
    func budget() throws -> MemoryBudget { try MemoryOption.budget(option: maxMemory) }

    /// The budget for `option` (the `--max-memory` value, if any), else TINIFY_MAX_MEMORY, else the default.
    static func budget(option: String?) throws -> MemoryBudget {
        if let text = option ?? getenv("TINIFY_MAX_MEMORY").map({ String(cString: $0) }) {
            guard let bytes = MemoryBudget.parse(text) else { throw ValidationError("--max-memory: '\(text)' is not a size (e.g. 4G, 512M)") }
            return MemoryBudget(bytes: bytes)
        }
        return ZooModel.defaultMemoryBudget
    }
}
