// tinify eval: run a CompressAI model's forward pass on PNG images and report the estimated rate,
// the PSNR of the reconstruction and the time, as CompressAI's eval_model does (entropy
// estimation mode), padding each image to the model's multiple and cropping after.
import ArgumentParser
import Dispatch
import FoundationEssentials
import Tinify

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a model's forward pass on PNG images: estimated bpp, PSNR of x̂ and seconds per image.")

    @Option(help: "The checkpoint (.pth, .pth.tar, .pt; a training checkpoint's state_dict and old key names work).")
    var checkpoint: String
    @Argument(help: "8-bit PNG images (RGB, RGBA or grayscale).") var images: [String]
    @Flag(help: "Print one JSON object: {\"images\": [{\"file\", \"estimated_bpp\", \"forward_psnr\", \"seconds\"}]}.")
    var json = false
    @Option(help: "Write each reconstruction to this directory as <name>.png.") var output: String?
    @Option(help: "The architecture (zoo name); detected from the weights when absent.") var arch: Architecture?
    @OptionGroup var memory: MemoryOption

    func run() throws {
        let budget = try memory.budget()
        let model = try loadModel(checkpoint: checkpoint, arch: arch, memory: budget)
        if let output {
            try reportingErrors(output) {
                try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            }
        }
        if !json { print("\(checkpoint): \(model.architecture) (N=\(model.N), M=\(model.M))") }
        var rows: [JSON] = []
        var failed = false
        for file in images {
            do {
                try reportingErrors(file) {
                    let row = try evaluate(model, file, budget: budget)
                    if json {
                        rows.append(.object([("file", .string(file)), ("estimated_bpp", .number(row.bpp)),
                                             ("forward_psnr", .number(row.psnr)), ("seconds", .number(row.seconds))]))
                    } else {
                        print("\(file): \(decimal(row.bpp, 4)) bpp (estimated), PSNR \(decimal(row.psnr, 3)) dB, \(decimal(row.seconds, 3)) s")
                    }
                }
            } catch { failed = true }
        }
        if json { print(JSON.object([("images", .array(rows))]).pretty) }
        if failed { throw ExitCode(1) }
    }

    /// Pads, runs, crops and measures one image.
    private func evaluate(_ model: ZooModel, _ file: String, budget: MemoryBudget) throws -> (bpp: Double, psnr: Double, seconds: Double) {
        let x = try ImageCodec.read(file, for: model, budget: budget)
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try model(x.padded(toMultipleOf: model.downsamplingFactor))
        let xHat = result.xHat.cropped(toHeight: x.height, width: x.width)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if let output {
            let base = file.split(separator: "/").last.map(String.init) ?? file
            let stem = base.lastIndex(of: ".").map { String(base[..<$0]) } ?? base
            try xHat.write(toFile: (output.hasSuffix("/") ? output : output + "/") + (stem.isEmpty ? base : stem) + ".png", rounding: .nearest)
        }
        return (result.bits / Double(max(x.height * x.width, 1)), xHat.floatPSNR(to: x), seconds)
    }
}
