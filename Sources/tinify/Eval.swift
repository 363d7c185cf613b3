// tinify eval: checkpoints over an image dataset as CompressAI's `compressai.utils.eval_model
// checkpoint DATASET -a ARCH -p CKPT… --no-update` evaluates them — real coding by default (pad
// to 64, compress, decompress, crop; bpp of the strings; PSNR and MS-SSIM on 0…255 levels), or
// the forward pass with --entropy-estimation — printing its result document with --json.
// `--jobs` runs images in parallel, `--shard I/N` does a deterministic 1/N of the work and writes
// a partial result that `tinify eval merge` joins into the document one run gives.
import ArgumentParser
import Dispatch
import FoundationEssentials
import Tinify
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate checkpoints on images as CompressAI's eval_model does (real coding by default).",
        subcommands: [EvalRun.self, EvalMerge.self], defaultSubcommand: EvalRun.self)
}

struct EvalRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Evaluate checkpoints on PNG/JPEG images or folders (the default `eval` command).",
        discussion: """
        Per image, as eval_model's `inference`: pad to a multiple of 64 (centred, zeros), compress, \
        decompress, crop; bpp from the strings' lengths over the original pixels; psnr-rgb and \
        ms-ssim-rgb on 0–255 rounded values; encoding and decoding seconds. The result holds, per \
        checkpoint, each figure's mean over the images. The stored CDF tables code (eval_model's \
        --no-update); --update rebuilds them first, as eval_model does without it.
        """)

    @Option(name: [.customLong("checkpoint"), .customShort("p")],
            help: "A checkpoint (.pth, .pth.tar, .h5, .safetensors); repeat for an RD curve (one result entry each).")
    var checkpoints: [String] = []
    @Argument(help: "PNG or JPEG images, or folders searched recursively as eval_model's collect_images does.")
    var images: [String]
    @Option(name: [.customLong("arch"), .customShort("a")], help: "The architecture (zoo name); detected from the weights when absent.")
    var arch: Architecture?
    @Option(name: [.customLong("metric"), .customShort("m")], help: "What the checkpoints were trained for (mse or ms-ssim): the result is named <arch>-<metric>.")
    var metric = "mse"
    @Flag(help: "The forward pass's estimated rate instead of real coding (each time is then half the forward time).")
    var entropyEstimation = false
    @Flag(help: "Rebuild the CDF tables from the weights before coding (eval_model without --no-update).")
    var update = false
    @Flag(help: "Run the synthesis transform on the deterministic kernels (the same pixels on every machine).")
    var bitExact = false
    @Flag(help: "Print eval_model's result document (JSON) instead of text.")
    var json = false
    @Flag(help: "Print each image's figures as JSON instead: {\"images\": [{\"file\", \"checkpoint\", …}]} (with --entropy-estimation: \"estimated_bpp\", \"forward_psnr\", \"seconds\" as before eval coded).")
    var perImageJson = false
    @Option(name: [.customShort("o"), .customLong("output")], help: "Also write the result document (or with --shard, the partial result) to this file.")
    var output: String?
    @Flag(help: "Replace an existing --output file.")
    var force = false
    @Option(help: "Write eval_model's per-image result files (<stem>-<checkpoint>-<ans|entropy-estimation>.json) under this folder.")
    var perImage: String?
    @Option(help: "Write each reconstruction as a PNG under this folder (<stem>-<checkpoint>.png).")
    var reconstructions: String?
    @Option(help: "Images evaluated at a time (default: one per core). The figures do not depend on it.")
    var jobs: Int?
    @Option(name: .customLong("vbr-quantstep"),
            help: "Variable-rate models (one checkpoint): the quantisation steps, comma-separated, as eval_model's --vbr_quantstep (default 10.0000,7.1715,5.1832,3.7211,2.6833,1.9305,1.3897,1.0000). One result entry per step, by increasing gain 1/step; with the variable-rate bottleneck, its tables are rebuilt at each gain.")
    var vbrQuantstep = "10.0000,7.1715,5.1832,3.7211,2.6833,1.9305,1.3897,1.0000"
    @Option(name: .customLong("vbr-tr-stage"), help: "eval_model's --vbr_tr_stage: 2, the variable-rate path (stage 1 is not run here).")
    var vbrTrStage = 2
    @Option(help: "Evaluate shard I of N (I from 0) of the checkpoint × image pairs and write a partial result with -o; join the parts with `tinify eval merge`.")
    var shard: String?
    @OptionGroup var memory: MemoryOption

    func validate() throws {
        if checkpoints.isEmpty { throw ValidationError("give at least one --checkpoint") }
        if !["mse", "ms-ssim"].contains(metric) { throw ValidationError("--metric must be mse or ms-ssim") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if json && perImageJson { throw ValidationError("--json and --per-image-json print different documents: choose one") }
        if vbrTrStage != 2 { throw ValidationError("--vbr-tr-stage: only stage 2 (the variable-rate path) is run") }
        if gains == nil { throw ValidationError("--vbr-quantstep must be positive numbers separated by commas, e.g. 10.0,3.7211,1.0") }
        if let shard {
            guard EvaluationShard(shard) != nil else { throw ValidationError("--shard must be I/N with 0 ≤ I < N, e.g. 0/4") }
            if output == nil { throw ValidationError("--shard writes a partial result: give it a file with -o PART.json") }
        }
    }

    /// eval_model's gains: 1/step in double precision, then float32, in increasing order.
    private var gains: [Float]? {
        let steps = vbrQuantstep.split(separator: ",").map { Double(String($0.filter { $0 != " " })) }
        guard !steps.isEmpty, steps.allSatisfy({ ($0 ?? 0) > 0 && $0?.isFinite == true }) else { return nil }
        return steps.compactMap { $0 }.map { Float(1 / $0) }.sorted()
    }

    func run() throws {
        let budget = try memory.budget()
        let mode: ImageEvaluation.Mode = entropyEstimation ? .entropyEstimation : .coding
        // A variable-rate model is evaluated at every gain, one result entry each, as eval_model
        // does (which takes one checkpoint for it).
        var checkpoints = self.checkpoints
        var entryGains: [Float?] = checkpoints.map { _ in nil }
        // (Detected quietly here: a file that does not load is reported once, where it is loaded below.)
        let detected = arch ?? checkpoints.first.flatMap { try? StateDict(contentsOfFile: $0, options: readOptions(budget)) }.flatMap { try? Architecture.detect($0) }
        if let first = checkpoints.first, detected?.isVariableRate == true {
            guard checkpoints.count == 1 else {
                try reportingErrors(checkpoints[1]) { throw EvaluationError.badRequest("a variable-rate model is evaluated from one checkpoint, at every --vbr-quantstep") }
                return
            }
            let gains = self.gains ?? []
            checkpoints = gains.map { _ in first }
            entryGains = gains
        }
        let part = shard.flatMap(EvaluationShard.init) ?? .all
        if let output { try reportingErrors(output) { try refuseExisting(output, replace: force) } }
        var dataset: [DatasetImage] = []
        try reportingErrors(images.first ?? "images") { dataset = try DatasetImages.collect(images) }
        for folder in [perImage, reconstructions].compactMap({ $0 }) {
            try reportingErrors(folder) { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        }

        var record = EvaluationRecord(name: "", description: mode.documentDescription, checkpoints: checkpoints,
                                      images: dataset.map(\.path), shard: part)
        var architecture = arch
        var failed = false
        var imageRows: [JSON] = []
        let progress = ImageProgress(total: record.units.count, unit: "images")
        var loaded: (checkpoint: String, model: ZooModel)?
        for (c, checkpoint) in checkpoints.enumerated() {
            let units = record.units.filter { $0 / dataset.count == c }
            // The name comes from the first checkpoint, whichever shard runs.
            guard !units.isEmpty || architecture == nil else { continue }
            // A VBR model's entries all read one checkpoint: it is loaded once.
            let model = try loaded.flatMap { $0.checkpoint == checkpoint ? $0.model : nil } ?? loadModel(checkpoint: checkpoint, arch: arch, memory: budget)
            loaded = (checkpoint, model)
            if let architecture, model.architecture != architecture {
                try reportingErrors(checkpoint) {
                    throw EvaluationError.badRequest("is a \(model.architecture) model, but the result is \(architecture)'s (one result names one architecture; evaluate them separately)")
                }
            }
            architecture = model.architecture
            if units.isEmpty { continue }
            if let gain = entryGains[c] {
                // eval_model: update(force=True, scale=gain) with the variable-rate bottleneck, then inputscale=gain.
                model.gain = gain
                if update || model.hyperparameters.variableRateBottleneck {
                    try reportingErrors(checkpoint) { _ = try model.update(force: true, scale: model.hyperparameters.variableRateBottleneck ? gain : nil) }
                } else if mode == .coding {
                    try reportingErrors(checkpoint) { try model.checkCodingTables() }
                }
            } else if update {
                try reportingErrors(checkpoint) { _ = try model.update(force: true) }
            } else if mode == .coding {
                try reportingErrors(checkpoint) { try model.checkCodingTables() }
            }
            if !json && !perImageJson && part == .all {
                print("\(checkpoint): \(model.architecture) (N=\(model.N), M=\(model.M))" + (entryGains[c].map { " at quantisation step \(decimal(Double(1 / $0), 4))" } ?? ""))
            }

            let picked = units.map { dataset[$0 % dataset.count] }
            let name = checkpointStem(checkpoint)
            let (perImage, reconstructions, word, arch) = (perImage, reconstructions, mode.perImageWord, model.architecture.rawValue)
            var evaluation = DatasetEvaluation(model: model, mode: mode, jobs: jobs, budget: budget)
            evaluation.bitExact = bitExact
            let floatPSNR = FloatSlots(count: picked.count)
            let results = evaluation.run(picked.map(\.path)) { i, figures, x, xHat in
                floatPSNR.set(i, xHat.floatPSNR(to: x))
                let image = picked[i]
                if let perImage {
                    try writePerImage(figures, image: image, folder: perImage, checkpoint: name, word: word, arch: arch)
                }
                if let reconstructions {
                    try xHat.write(toFile: join(reconstructions, "\(image.stem)-\(name).png"), rounding: .nearest)
                }
                progress.advance()
            }
            var lines: [String] = []
            var rows: [JSON] = []
            for (i, (k, result)) in zip(units, results).enumerated() {
                let image = dataset[k % dataset.count]
                switch result {
                case .success(let figures):
                    record.figures[k] = figures
                    lines.append(line(image.path, figures, estimated: mode == .entropyEstimation))
                    rows.append(row(image.path, checkpoint, figures, floatPSNR: floatPSNR.get(i), mode: mode))
                case .failure(let error):
                    failed = true
                    progress.advance()
                    do { try reportingErrors(image.path) { throw error } } catch {}
                }
            }
            imageRows += rows
            if !json && !perImageJson && part == .all {
                lines.forEach { print($0) }
                if let mean = try? EvaluationRecord(name: "", description: "", checkpoints: [checkpoint], images: dataset.map(\.path),
                                                    shard: .all, figures: Dictionary(uniqueKeysWithValues: units.compactMap { k in record.figures[k].map { (k % dataset.count, $0) } })).result(),
                   let figures = ImageFigures(named: Dictionary(uniqueKeysWithValues: mean.results.map { ($0.metric, $0.values[0]) })) {
                    print(line("mean of \(dataset.count) images", figures, estimated: mode == .entropyEstimation))
                }
            }
        }
        progress.finish()
        if failed { throw ExitCode(1) }
        record.name = "\((architecture ?? arch).map(\.rawValue) ?? "unknown")-\(metric)"

        if part != .all {
            try reportingErrors(output ?? "") { try record.write(toFile: output ?? "", replace: force) }
            return
        }
        var document = EvaluationResult(name: record.name, description: record.description, results: [])
        try reportingErrors(output ?? "result") { document = try record.result() }
        if json { print(document.json) }
        if perImageJson { print(JSON.object([("images", .array(imageRows))]).pretty) }
        if let output { try reportingErrors(output) { try document.write(toFile: output, replace: force) } }
    }


    /// One image's figures as a JSON object (`--per-image-json`).
    private func row(_ file: String, _ checkpoint: String, _ f: ImageFigures, floatPSNR: Double, mode: ImageEvaluation.Mode) -> JSON {
        var members: [(String, JSON)] = [("file", .string(file)), ("checkpoint", .string(checkpoint))]
        if mode == .entropyEstimation {
            members += [("estimated_bpp", .number(f.bpp)), ("forward_psnr", .number(floatPSNR)),
                        ("seconds", .number(f.encodingTime + f.decodingTime))]
        }
        return .object(members + f.named.map { ($0.metric, JSON.number($0.value)) })
    }

    /// One image's (or the mean's) figures as a line of text.
    private func line(_ what: String, _ f: ImageFigures, estimated: Bool) -> String {
        "\(what): \(decimal(f.bpp, 4)) bpp\(estimated ? " (estimated)" : ""), PSNR \(decimal(f.psnr, 3)) dB, "
            + "MS-SSIM \(decimal(f.msssim, 5)), encode \(decimal(f.encodingTime, 3)) s, decode \(decimal(f.decodingTime, 3)) s"
    }
}

/// One number per image, written by the workers.
final class FloatSlots: @unchecked Sendable {
    private var values: [Double]
    private var mutex = pthread_mutex_t()

    init(count: Int) {
        values = Array(repeating: .nan, count: count)
        pthread_mutex_init(&mutex, nil)
    }

    func set(_ i: Int, _ v: Double) {
        pthread_mutex_lock(&mutex); values[i] = v; pthread_mutex_unlock(&mutex)
    }

    func get(_ i: Int) -> Double {
        pthread_mutex_lock(&mutex); defer { pthread_mutex_unlock(&mutex) }
        return values[i]
    }
}

/// eval_model's name for a checkpoint in per-image files: the file name without its last eight
/// characters (`Path(ckpt).name[: -len(".tar.pth")]`, whatever the extension really is).
func checkpointStem(_ path: String) -> String {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    return String(name.dropLast(8))
}

/// `folder/name`.
func join(_ folder: String, _ name: String) -> String { folder.hasSuffix("/") ? folder + name : folder + "/" + name }

/// Writes eval_model's per-image file: `<folder>/<relative folder>/<stem>-<checkpoint>-<word>.json`
/// holding `{"source", "name", "description", "results"}`.
func writePerImage(_ figures: ImageFigures, image: DatasetImage, folder: String, checkpoint: String, word: String, arch: String) throws {
    let sub = image.relativeFolder.isEmpty ? folder : join(folder, image.relativeFolder)
    if !image.relativeFolder.isEmpty { try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true) }
    try figures.writePerImageFile(toFile: join(sub, "\(image.stem)-\(checkpoint)-\(word).json"), source: image.stem,
                                  name: arch, description: "Inference (\(word))")
}
