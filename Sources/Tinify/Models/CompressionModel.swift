// Tinify: what the seven image models share, in the shape of compressai.models.base.CompressionModel
// (CompressAI 1.2.8): `from_state_dict`, `load_state_dict(strict=)`, `update(force=)`,
// `aux_loss()`, `forward`, `compress` / `decompress` and `state_dict()`.
import TinifyArchitectures
import TinifyRuntime

/// A learned image-compression model: a CompressAI architecture bound to its weights, runnable.
///
/// Models are reference types, as PyTorch modules are: `loadStateDict` and `update` change the
/// model in place, and every holder of the model sees the change.
public protocol CompressionModel: AnyObject, Sendable {
    /// The architecture (its zoo name is `architecture.rawValue`).
    var architecture: Architecture { get }
    /// N, the channels of the transforms, inferred from the weights.
    var N: Int { get }
    /// M, the channels of the latent y, inferred from the weights (N for the Cheng2020 models).
    var M: Int { get }
    /// Loads `stateDict` into the model. With `strict`, a state dict that does not fit exactly
    /// throws `ArchitectureError.mismatch` listing every missing, unexpected and mis-shaped key and
    /// leaves the model unchanged; without it, every tensor that fits is loaded and the report
    /// names the rest.
    @discardableResult
    func loadStateDict(_ stateDict: StateDict, strict: Bool) throws -> StateDictLoadReport
    /// Builds the CDF tables the entropy coder uses (CompressAI's `update(force=)`), in place.
    /// Returns whether any table changed: false when the tables were already built and `force`
    /// is false.
    @discardableResult
    func update(force: Bool) throws -> Bool
    /// The auxiliary loss: the sum over the entropy bottleneck's quantile losses.
    func auxLoss() -> Double
    /// The eval-mode forward pass of an N×3×H×W image in [0, 1] whose sides are multiples of 64
    /// (16 for the factorized models): x̂ and the likelihoods by name (`"y"`, and `"z"` for the
    /// hyperprior models).
    func callAsFunction(_ x: ImageTensor) throws -> ForwardResult
    /// Entropy-codes an image (sides multiples of 64, or 16 for the factorized models) to the
    /// rANS strings CompressAI's `compress` writes, byte for byte. Needs the CDF tables
    /// (`update`).
    func compress(_ x: ImageTensor) throws -> CompressedLatents
    /// Decodes strings `compress` wrote (by Tinify or CompressAI) to x̂, clamped to [0, 1].
    /// `bitExact` runs the synthesis transform on the deterministic kernels too, so that the
    /// pixels are the same bits on every machine (the decoded latent always is).
    func decompress(_ compressed: CompressedLatents, bitExact: Bool) throws -> ImageTensor
    /// The model's state dict under CompressAI's canonical keys, in CompressAI's order.
    func stateDict() -> StateDict
    /// Only what one side of the codec needs: the encoder drops the synthesis transform `g_s`,
    /// the decoder drops the analysis transforms `g_a` and `h_a`.
    func stateDict(for part: ModelPart) -> StateDict
}

extension CompressionModel {
    /// Decodes strings `compress` wrote to x̂ (see `decompress(_:bitExact:)`).
    public func decompress(_ compressed: CompressedLatents) throws -> ImageTensor {
        try decompress(compressed, bitExact: false)
    }
}

/// What a non-strict `loadStateDict` could not load, as PyTorch's `_IncompatibleKeys` reports it
/// (with the mis-shaped keys too, which PyTorch refuses outright).
public struct StateDictLoadReport: Sendable, CustomStringConvertible {
    /// Keys the model declares that the state dict lacks (the model kept its own tensors).
    public let missingKeys: [String]
    /// Keys of the state dict the model does not declare (ignored).
    public let unexpectedKeys: [String]
    /// Keys whose shape or dtype does not fit the model (ignored, the model kept its own).
    public let mismatchedKeys: [String]
    /// Every problem in full (expected and actual shapes, owning module).
    public let problems: [Problem]

    /// Whether every tensor of the state dict loaded and none was missing.
    public var isComplete: Bool { problems.isEmpty }

    /// `missing: […], unexpected: […], mismatched: […]`.
    public var description: String {
        "missing: \(missingKeys), unexpected: \(unexpectedKeys), mismatched: \(mismatchedKeys)"
    }

    init(_ problems: [Problem]) {
        self.problems = problems
        missingKeys = problems.filter { $0.kind == .missing }.map(\.key)
        unexpectedKeys = problems.filter { $0.kind == .unexpected }.map(\.key)
        mismatchedKeys = problems.filter { $0.kind != .missing && $0.kind != .unexpected }.map(\.key)
    }
}
