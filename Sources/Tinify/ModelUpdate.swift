// Tinify: `tinify update`: what CompressAI's `update_model` does — build the model, run
// `update(force=True)` to compute the CDF tables, and write the updated checkpoint.
import TinifyCore
import TinifyWeights
import TinifyArchitectures
import TinifyRuntime
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `ModelUpdate.update` wrote: the report, the recomputed buffers and the output path.
public struct UpdateSummary {
    /// The verification report of the architecture whose tables were rebuilt.
    public let report: VerificationReport
    /// The buffers recomputed, by key.
    public let updatedKeys: [String]
    /// The final output path (with the hash suffix when asked for).
    public let output: String
}

/// Recomputes a checkpoint's CDF tables.
public enum ModelUpdate {
    /// Reads `input`, computes the CDF tables as CompressAI's `update(force=True)` does, and writes
    /// the model weights with the new tables to `output` (any format). With `hashName`, the first
    /// 8 hex digits of the output's SHA-256 are appended to its name (`model-1a2b3c4d.pth`).
    /// With `gainIndex` s (a VBR model with the variable-rate bottleneck), z's tables are built
    /// for rate level s: `update(force=True, scale=Gain[s])`.
    public static func update(input: String, output: String, architecture: Architecture? = nil, force: Bool = false,
                              hashName: Bool = false, gainIndex: Int? = nil, options: WeightReadOptions = WeightReadOptions()) throws -> UpdateSummary {
        guard OutputFormat(path: output) != nil else { throw ConversionError.unknownOutputFormat(output) }
        try AtomicFile.checkAbsent(output, replace: force)
        if WeightConversion.sameFile(input, output) { throw ConversionError.sameFile(output) }
        let store = try WeightFile.open(input, options: options)
        let stateDict = CheckpointWeights(store)
        let report: VerificationReport
        if let id = architecture {
            report = try id.verify(stateDict).report
        } else {
            report = try ArchitectureDetector.detect(stateDict)
        }
        // CDF buffers may be empty or stale; only the learned tensors must fit.
        let blocking = report.problems.filter { $0.kind != .inconsistentCDF }
        guard blocking.isEmpty else { throw ConversionError.doesNotFit(report) }
        let canonical = WeightStore(entries: stateDict.entries, container: store.container, path: input)
        // Only the entropy models are needed: the transforms are not built.
        let models = try DeclaredEntropyModels(report.architecture, store: canonical)
        var scale: Float?
        if let s = gainIndex {
            let name = report.architecture.rawValue
            guard let gains = models.gains else { throw RuntimeError.badInput("gain index \(s): \(name) is not a variable-rate model") }
            guard gains.indices.contains(s) else { throw RuntimeError.badInput("gain index \(s): \(name) has gains 0…\(gains.count - 1)") }
            guard models.zStep(scale: gains[s]) != nil else {
                throw RuntimeError.badInput("gain index \(s): this \(name) has no variable-rate entropy bottleneck (gayn2zqstep), so its tables do not depend on the rate")
            }
            scale = gains[s]
        }
        let buffers = try models.update(scaleTable: nil, force: true, scale: scale)
        let entries = stateDict.entries.map { e in (key: e.key, tensor: buffers[e.key] ?? e.tensor) }
        var final = output
        if hashName {
            let temp = output + ".tinify-unhashed" + String(getpid())
            try WeightWriting.write(entries: entries, to: temp + suffix(of: output), report: report,
                                    sourceContainer: store.container.rawValue, replace: true)
            let written = temp + suffix(of: output)
            let file = try MappedFile(path: written)
            let hash8 = String(SHA256Hasher.hex(of: file).prefix(8))
            final = hashedName(output, hash8)
            if !force, access(final, F_OK) == 0 { unlink(written); throw FileError.outputExists(path: final) }
            guard rename(written, final) == 0 else {
                unlink(written)
                throw FileError.cannotWrite(path: final, reason: String(cString: strerror(errno)))
            }
        } else {
            try WeightWriting.write(entries: entries, to: output, report: report, sourceContainer: store.container.rawValue,
                                    replace: force)
        }
        return UpdateSummary(report: report, updatedKeys: buffers.keys.sorted(), output: final)
    }

    /// The extension of `path` that names its format (`.pth.tar`, `.pth`, `.h5`, …).
    static func suffix(of path: String) -> String {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        for ext in [".pth.tar", ".safetensors", ".hdf5", ".pth", ".pt", ".h5"] where base.lowercased().hasSuffix(ext) {
            return String(base.suffix(ext.count))
        }
        return ""
    }

    /// `dir/model.pth.tar` + `1a2b3c4d` → `dir/model-1a2b3c4d.pth.tar`.
    public static func hashedName(_ path: String, _ hash8: String) -> String {
        let ext = suffix(of: path)
        return String(path.dropLast(ext.count)) + "-" + hash8 + ext
    }
}
