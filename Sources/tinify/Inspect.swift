// tinify inspect: list a checkpoint's tensors.
import ArgumentParser
import Tinify
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the tensors (key, dtype, shape, bytes) and values of a weights file.")

    @Argument(help: "A .pth/.pt/.pth.tar (zip or legacy), .h5 or .safetensors file.") var file: String
    @Flag(help: "Print one JSON object (schema: Schemas/inspect.schema.json).") var json = false
    @Flag(help: "Add each tensor's SHA-256 (C order, little-endian).") var digest = false
    @OptionGroup var memory: MemoryOption

    func run() throws {
        try InspectRequest(file: file, json: json, digest: digest, maxMemory: memory.maxMemory).run(exitWhenDone: false)
    }
}

/// The work of `tinify inspect`, shared by ArgumentParser's path and the start-up fast path.
struct InspectRequest {
    let file: String
    let json: Bool
    let digest: Bool
    let maxMemory: String?

    init(file: String, json: Bool, digest: Bool, maxMemory: String? = nil) {
        self.file = file
        self.json = json
        self.digest = digest
        self.maxMemory = maxMemory
    }

    /// Recognises the plain form `inspect [--json] [--digest] FILE` (flags in any order, each at most
    /// once, FILE not starting with `-`). Anything else (help, unknown or repeated options, `--`)
    /// gives nil, and ArgumentParser parses it and reports any mistake as usual.
    init?(arguments: [String]) {
        guard arguments.first == "inspect" else { return nil }
        var file: String?
        var json = false, digest = false
        for a in arguments.dropFirst() {
            if a == "--json", !json { json = true; continue }
            if a == "--digest", !digest { digest = true; continue }
            guard file == nil, !a.hasPrefix("-") else { return nil }
            file = a
        }
        guard let file else { return nil }
        self.init(file: file, json: json, digest: digest)
    }

    /// Reads the file and prints the report; on error prints one line and throws `ExitCode(1)`.
    /// With `exitWhenDone` the process exits (status 0) right after printing, leaving the weight
    /// store and its value tree to the OS instead of releasing them object by object.
    func run(exitWhenDone: Bool) throws {
        try reportingErrors(file) {
            let store = try WeightStore(contentsOfFile: file, options: readOptions(try MemoryOption.budget(option: maxMemory)))
            let report = InspectReport(store: store, digest: digest)
            let model = ArchitectureSummary(store)
            if json {
                print(report.json(file: file, extra: model.jsonFields).pretty)
            } else {
                print(report.table(file: file, extra: model.lines), terminator: "")
            }
            if exitWhenDone {
                Console.flushOutput()
                withExtendedLifetime(store) { exit(0) }
            }
        }
    }

    /// Runs and exits the process with 0 or 1, without ArgumentParser's parsing work.
    func runAndExit() -> Never {
        do { try run(exitWhenDone: true) } catch { exit(1) }
        exit(0)
    }
}
