// Tinify: `tinify convert`: model weights from any supported format to HDF5, safetensors or
// a torch zip, bit-exact, with canonical keys and the architecture recorded.
import Dispatch
import Synchronization
import TinifyCore
import TinifyContainer
import TinifyWeights
import TinifyArchitectures
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The output formats, chosen by the output's extension.
public enum OutputFormat: String, Sendable {
    /// `.h5` / `.hdf5`: Tinify's native format.
    case hdf5
    /// `.pth` / `.pt`: a torch zip `torch.load(weights_only=True)` reads.
    case torch
    /// `.safetensors`.
    case safetensors

    /// The format `path`'s extension names, if any.
    public init?(path: String) {
        let lower = path.lowercased()
        if lower.hasSuffix(".h5") || lower.hasSuffix(".hdf5") { self = .hdf5 }
        else if lower.hasSuffix(".pth") || lower.hasSuffix(".pt") || lower.hasSuffix(".pth.tar") { self = .torch }
        else if lower.hasSuffix(".safetensors") { self = .safetensors }
        else { return nil }
    }
}

/// Errors of the conversion step itself (each writer has its own error type).
public enum ConversionError: Error, CustomStringConvertible {
    /// The output's extension names no known format.
    case unknownOutputFormat(String)
    /// Input and output are the same file.
    case sameFile(String)
    /// `--arch` was given and the weights do not fit it.
    case doesNotFit(VerificationReport)
    /// One side of the codec was asked for, but the weights fit no architecture (or hold the other side).
    case partNeedsArchitecture(ModelPart)

    /// The fact, in one line, naming the path or the problems.
    public var description: String {
        switch self {
        case .unknownOutputFormat(let p): return "cannot tell the output format of '\(p)' (use .h5, .hdf5, .pth, .pt or .safetensors)"
        case .sameFile(let p): return "input and output are the same file '\(p)'"
        case .doesNotFit(let r): return ArchitectureError.mismatch(r).description
        case .partNeedsArchitecture(let p): return "the \(p.rawValue) part needs weights that fit an architecture and hold that side"
        }
    }
}

/// What a conversion wrote.
public struct ConversionSummary {
    /// The format written, from the output's extension.
    public let format: OutputFormat
    /// How many tensors were written.
    public let tensors: Int
    /// How many bytes of tensor data were written.
    public let bytes: Int
    /// The architecture recorded, if one fits.
    public let architecture: VerificationReport?
    /// The renaming rules applied to old key names, with their counts.
    public let renamed: [RenameRecord]
}

/// Converts weight files between formats.
public enum WeightConversion {
    /// Converts `input` to `output`. The model weights (a training checkpoint's `state_dict`) are
    /// written under canonical keys; `keepKeys` writes every tensor under its key as stored.
    /// An existing `output` is refused unless `force`. The write is atomic. With `part`, only what
    /// that side of the codec needs is written (the weights must fit an architecture).
    public static func convert(input: String, output: String, architecture: Architecture? = nil, part: ModelPart? = nil, keepKeys: Bool = false,
                               compress: Bool = false, force: Bool = false, progress: WriteProgress? = nil,
                               options: WeightReadOptions = WeightReadOptions()) throws -> ConversionSummary {
        guard let format = OutputFormat(path: output) else { throw ConversionError.unknownOutputFormat(output) }
        try AtomicFile.checkAbsent(output, replace: force)
        if sameFile(input, output) { throw ConversionError.sameFile(output) }

        // The input is mapped once and its tensors are views of that mapping. For HDF5 the file's
        // SHA-256 is computed on another core while the input is parsed and the output written;
        // the writer asks for it only once the tensor data is in the file.
        let file = try MappedFile(path: input)
        let sourceSHA = format == .hdf5 ? BackgroundHash(file) : nil
        defer { sourceSHA?.finish() }
        let store = try WeightFile.open(file: file, options: options)
        let stateDict = CheckpointWeights(store)
        var report: VerificationReport?
        if let id = architecture {
            let r = try id.verify(stateDict).report
            guard r.ok else { throw ConversionError.doesNotFit(r) }
            report = r
        } else {
            report = try? ArchitectureDetector.detect(stateDict)
        }
        var entries = keepKeys ? store.entries : stateDict.entries
        if let part {
            guard let r = report else { throw ConversionError.partNeedsArchitecture(part) }
            if let own = r.part, own != part { throw ConversionError.partNeedsArchitecture(part) }
            let canonical = Dictionary(stateDict.originalKeys.map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            entries = entries.filter { part.keeps(keepKeys ? canonical[$0.key] ?? $0.key : $0.key) }
        }
        var roles: [String: String] = [:]
        if let r = report {
            let byCanonical = Dictionary(r.architecture.declarations(r.hyperparameters).map { ($0.key, $0.role.torchRole) }, uniquingKeysWith: { a, _ in a })
            for (canonical, original) in stateDict.originalKeys {
                if let role = byCanonical[canonical] { roles[keepKeys ? original : canonical] = role }
            }
        }
        try WeightWriting.write(entries: entries, to: output, report: report, roles: roles, sourceContainer: store.container.rawValue,
                                sourceSHA256: sourceSHA?.wait, compress: compress, replace: force, progress: progress)
        return ConversionSummary(format: format, tensors: entries.count, bytes: entries.reduce(0) { $0 + $1.tensor.byteCount },
                                 architecture: report, renamed: keepKeys ? [] : stateDict.renamed)
    }

    /// The SHA-256 of a mapped file, computed on a background thread from the moment it is made.
    /// The thread is always joined (`finish`) before `convert` returns or throws, so no hashing
    /// (OpenSSL) runs while the process exits; `finish` on a failed conversion stops the hash at
    /// its next 8 MiB chunk.
    final class BackgroundHash: @unchecked Sendable {
        private let ready = DispatchSemaphore(value: 0)
        private let done = DispatchSemaphore(value: 0)
        private let stopped = Atomic<Bool>(false)
        private var value: String?

        init(_ file: MappedFile) {
            DispatchQueue.global().async { [self] in
                _ = SHA256Hasher.hex(of: file, stop: { self.stopped.load(ordering: .relaxed) }) { digest in
                    self.value = digest
                    self.ready.signal()
                }
                self.done.signal()
            }
        }

        /// Stops the hash if it is still running and waits until its thread has left it.
        func finish() {
            stopped.store(true, ordering: .relaxed)
            done.wait()
            done.signal()
        }

        /// Waits for the digest (64 lowercase hex digits).
        func wait() -> String? {
            ready.wait()
            ready.signal()
            return value
        }
    }

    /// Whether two paths name the same existing file.
    static func sameFile(_ a: String, _ b: String) -> Bool {
        var sa = stat(), sb = stat()
        guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return false }
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
    }
}

extension ConversionError: TinifyError {}
