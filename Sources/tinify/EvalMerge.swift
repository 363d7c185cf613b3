// tinify eval merge: joins the partial results of `tinify eval --shard I/N -o PART.json` into the
// result document one run over all the work gives (exactly: the same per-image figures, averaged
// in the same order).
import ArgumentParser
import Tinify

struct EvalMerge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the partial results of `tinify eval --shard I/N` into one result document.")

    @Argument(help: "The partial results (one per shard, any order).") var parts: [String]
    @Option(name: [.customShort("o"), .customLong("output")], help: "The result document to write.") var output: String
    @Flag(help: "Replace an existing output file.") var force = false
    @Flag(help: "Also print the result document.") var json = false

    func run() throws {
        try reportingErrors(output) { try refuseExisting(output, replace: force) }
        var records: [(path: String, record: EvaluationRecord)] = []
        for path in parts {
            try reportingErrors(path) { records.append((path, try EvaluationRecord(contentsOfFile: path))) }
        }
        var document = EvaluationResult(name: "", description: "", results: [])
        try reportingErrors(parts.first ?? output) { document = try EvaluationRecord.merge(records).result() }
        try reportingErrors(output) { try document.write(toFile: output, replace: force) }
        if json { print(document.json) }
    }
}
