// tinify compress / decompress: real entropy coding of PNG images with a checkpoint's model,
// in the file format of CompressAI's examples/codec.py.
import ArgumentParser
import Dispatch
import Tinify

struct Compress: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compress a PNG image to a codec.py bitstream file with a checkpoint's model (rANS, CompressAI's exact bytes).")

    @Option(help: "The checkpoint (updated: its CDF tables are used to code).") var checkpoint: String
    @Argument(help: "An 8-bit PNG image.") var image: String
    @Option(name: .shortAndLong, help: "The compressed file to write.") var output: String
    @Option(help: "The architecture (zoo name); detected from the weights when absent.") var arch: Architecture?
    @Option(help: "The zoo quality recorded in the header (1–16).") var quality = 1
    @Option(help: "The metric recorded in the header: mse or ms-ssim.") var metric = "mse"
    @Flag(help: "Accepted for symmetry with decompress: the stream is the same either way (the entropy parameters are always computed by the deterministic kernels).")
    var bitExact = false
    @Flag(help: "Replace OUTPUT if it exists.") var force = false
    @OptionGroup var memory: MemoryOption

    func run() throws {
        try CompressJob(checkpoint: checkpoint, image: image, output: output, arch: arch, quality: quality, metric: metric,
                        force: force, maxMemory: memory.maxMemory).run()
    }
}

/// One `tinify compress`, however its command line was parsed.
struct CompressJob {
    var checkpoint: String, image: String, output: String
    var arch: Architecture? = nil
    var quality = 1
    var metric = "mse"
    var force = false
    var maxMemory: String? = nil

    func run() throws {
        let budget = try MemoryOption.budget(option: maxMemory)
        guard let metricID = ["mse": 0, "ms-ssim": 1][metric] else { throw ValidationError("--metric must be mse or ms-ssim") }
        guard (1...16).contains(quality) else { throw ValidationError("--quality must be 1…16") }
        let model = try loadModel(checkpoint: checkpoint, arch: arch, coding: true, memory: budget)
        try reportingErrors(output) { try refuseExisting(output, replace: force) }
        var pixels: FloatTensor?
        try reportingErrors(image) { pixels = try ImageCodec.read(image, for: model, budget: budget) }
        guard let pixels else { throw ExitCode(1) }
        // What goes wrong from here on comes from the model's weights (a latent no symbol can hold).
        try reportingErrors(checkpoint) {
            let c = try ImageCodec.compress(model, pixels: pixels, metric: metricID, quality: quality)
            try reportingErrors(output) { try c.file.write(toFile: output, replace: force) }
            print("\(output): \(model.architecture), \(c.file.width)×\(c.file.height), \(c.bytes.count) bytes, "
                  + "\(decimal(c.bitsPerPixel, 4)) bpp, \(decimal(c.seconds, 3)) s")
        }
        // The model's memory goes back with the process (releasing it buffer by buffer takes longer).
        keepUntilExit(model)
    }
}

struct Decompress: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decode a codec.py bitstream file with a checkpoint's model to a PNG image.")

    @Option(help: "The checkpoint the file was compressed with.") var checkpoint: String
    @Argument(help: "The compressed file.") var input: String
    @Option(name: .shortAndLong, help: "The PNG image to write.") var output: String
    @Option(help: "The architecture (zoo name); detected from the weights when absent.") var arch: Architecture?
    @Flag(help: "Run the synthesis transform on the deterministic kernels too and write the PNG uncompressed: the file is then identical byte for byte on every machine, whatever its zlib (slower, larger; without it pixels may differ by a level between machines, decoding never fails).")
    var bitExact = false
    @Option(help: "The original PNG: also print the PSNR of the decoded image against it (on the 8-bit levels the PNG holds).")
    var reference: String?
    @Flag(help: "Also print the SHA-256 of the decoded latent ŷ (its float32 bits), which is the same on every machine: two machines that print the same digest decoded the same symbols with the same CDF indexes and means.")
    var latentDigest = false
    @Flag(help: "Replace OUTPUT if it exists.") var force = false
    @OptionGroup var memory: MemoryOption

    func run() throws {
        try DecompressJob(checkpoint: checkpoint, input: input, output: output, arch: arch, bitExact: bitExact,
                          reference: reference, latentDigest: latentDigest, force: force, maxMemory: memory.maxMemory).run()
    }
}

/// One `tinify decompress`, however its command line was parsed.
struct DecompressJob {
    var checkpoint: String, input: String, output: String
    var arch: Architecture? = nil
    var bitExact = false
    var reference: String? = nil
    var latentDigest = false
    var force = false
    var maxMemory: String? = nil

    func run() throws {
        let budget = try MemoryOption.budget(option: maxMemory)
        let model = try loadModel(checkpoint: checkpoint, arch: arch, coding: true, memory: budget)
        try reportingErrors(output) { try refuseExisting(output, replace: force) }
        try reportingErrors(input) {
            let file = try CompressedImageFile(contentsOfFile: input)
            let start = DispatchTime.now().uptimeNanoseconds
            let (xHat, yHat) = try ImageCodec.decompressWithLatent(model, file: file, budget: budget, bitExact: bitExact)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            try reportingErrors(output) { try xHat.write(toFile: output, uncompressed: bitExact) }
            print("\(output): \(file.width)×\(file.height), \(decimal(seconds, 3)) s")
            if let reference {
                try reportingErrors(reference) {
                    let original = try ImageTensor(contentsOfFile: reference)
                    guard original.shape == xHat.shape else {
                        throw CodingError.badContainer("is \(original.width)×\(original.height), the decoded image \(file.width)×\(file.height)")
                    }
                    print("psnr \(xHat.psnr(to: original)) dB")
                }
            }
            if latentDigest {
                print("latent sha256 \(yHat.sha256())")
            }
        }
        keepUntilExit(model)
    }
}
