// tinify diff: compare two weight files of any formats key by key.
import ArgumentParser
import Tinify

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two weight files (any formats) key by key.",
        discussion: """
            Reports keys only in one file, dtype and shape differences, and the largest absolute \
            difference per tensor. Exits 0 when identical or, element by element, |a-b| <= atol + rtol*|b|; \
            1 otherwise.
            """)

    @Argument(help: "The first weights file (.pth/.pt/.pth.tar, .h5, .safetensors).") var a: String
    @Argument(help: "The second weights file.") var b: String
    @Flag(help: "Print one JSON object.") var json = false
    @Option(help: "Absolute tolerance.") var atol: Double = 0
    @Option(help: "Relative tolerance (relative to B).") var rtol: Double = 0
    @OptionGroup var memory: MemoryOption

    func validate() throws {
        guard atol >= 0, atol.isFinite else { throw ValidationError("--atol must be a finite number >= 0") }
        guard rtol >= 0, rtol.isFinite else { throw ValidationError("--rtol must be a finite number >= 0") }
    }

    func run() throws {
        var storeA: WeightStore?
        var storeB: WeightStore?
        let options = readOptions(try memory.budget())
        try reportingErrors(a) { storeA = try WeightStore(contentsOfFile: a, options: options) }
        try reportingErrors(b) { storeB = try WeightStore(contentsOfFile: b, options: options) }
        guard let storeA, let storeB else { throw ExitCode(1) }
        let diff = WeightDiff(a: storeA, b: storeB, atol: atol, rtol: rtol)
        if json {
            print(diff.json(fileA: a, fileB: b, storeA: storeA, storeB: storeB).pretty)
        } else {
            print(diff.text(fileA: a, fileB: b, storeA: storeA, storeB: storeB), terminator: "")
        }
        if !diff.passes { throw ExitCode(1) }
    }
}
