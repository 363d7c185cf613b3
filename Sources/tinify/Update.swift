// tinify update: recompute the CDF tables, as CompressAI's update_model does.
import ArgumentParser
import Tinify

struct Update: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compute the CDF tables (CompressAI's update(force=True)) and write the updated checkpoint (any output format).")

    @Argument(help: "The checkpoint (any supported format; a training checkpoint's state_dict is used).") var input: String
    @Argument(help: "Output file: .pth/.pt, .h5/.hdf5 or .safetensors.") var output: String
    @Option(help: "The architecture (zoo name); detected when absent.") var arch: Architecture?
    @Flag(help: "Replace OUT if it exists.") var force = false
    @Flag(help: "Append the first 8 hex digits of the output's SHA-256 to its name.") var hashName = false
    @Option(help: ArgumentHelp("VBR models with the variable-rate entropy bottleneck: build z's tables for rate level S (update(force=True, scale=Gain[S]), as CompressAI's zoo and eval_model do).",
                               valueName: "S")) var gainIndex: Int?
    @OptionGroup var memory: MemoryOption

    func run() throws {
        try reportingErrors(input) {
            let s = try ModelUpdate.update(input: input, output: output, architecture: arch, force: force, hashName: hashName,
                                           gainIndex: gainIndex, options: readOptions(try memory.budget()))
            print("\(s.output): \(s.report.architecture.rawValue) (\(s.report.hyperparameters)), updated \(s.updatedKeys.count) buffers")
        }
    }
}
