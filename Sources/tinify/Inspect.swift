// tinify inspect: list a checkpoint's tensors.
import ArgumentParser
import TinifyKit

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the tensors (key, dtype, shape, bytes) and values of a weights file.")

    @Argument(help: "A .pth/.pt/.pth.tar (zip or legacy), .h5 or .safetensors file.") var file: String
    @Flag(help: "Print one JSON object (schema: Schemas/inspect.schema.json).") var json = false
    @Flag(help: "Add each tensor's SHA-256 (C order, little-endian).") var digest = false

    func run() throws {
        try reportingErrors(file) {
            let store = try WeightFile.open(file)
            let report = InspectReport(store: store, digest: digest)
            let model = ArchitectureSummary(store)
            if json {
                print(report.json(file: file, extra: model.jsonFields).pretty)
            } else {
                print(report.table(file: file, extra: model.lines), terminator: "")
            }
        }
    }
}
