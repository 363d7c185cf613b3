// TinifyRuntime: the CompressionModel-style interface every architecture offers (mirrors
// compressai.models.base.CompressionModel: forward in eval mode, aux_loss, update), and the
// factory from an architecture name.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TinifyCore
import TinifyWeights
import TinifyArchitectures

/// What `forward` returns: the reconstruction, the latent and the likelihoods by name (`y`, `z`).
public struct ForwardResult: Sendable {
    /// The reconstruction x̂ (not clamped).
    public var xHat: FloatTensor
    /// The latent y = g_a(x).
    public var y: FloatTensor
    /// The likelihoods, keyed as CompressAI's `likelihoods` dict (`y`, and `z` for hyperpriors).
    public var likelihoods: [String: FloatTensor]

    /// A result from its parts.
    public init(xHat: FloatTensor, y: FloatTensor, likelihoods: [String: FloatTensor]) {
        self.xHat = xHat; self.y = y; self.likelihoods = likelihoods
    }

    /// The estimated rate in bits: Σ −log2 of every likelihood.
    public var bits: Double {
        likelihoods.values.reduce(0.0) { acc, t in t.withUnsafeBufferPointer { $0.reduce(acc) { $0 - CLibrary.log2(Double($1)) } } }
    }
}

/// What `compress` returns (CompressAI's `{"strings", "shape"}`).
public struct CompressedLatents: Sendable, Equatable {
    /// One group per entropy model in CompressAI's order (`[y]`, or `[y, z]` for hyperpriors),
    /// each with one rANS string per batch item.
    public var strings: [[[UInt8]]]
    /// The height and width of the latent decoded first: y for the factorized models, z otherwise.
    public var shape: [Int]

    /// Latents from their strings (one group per entropy model) and the first-decoded latent's shape.
    public init(strings: [[[UInt8]]], shape: [Int]) {
        self.strings = strings
        self.shape = shape
    }
}

/// A CompressAI image model that runs on the CPU.
package protocol CompressionRuntimeModel: AnyObject, Sendable {
    /// The architecture.
    var architecture: Architecture { get }
    /// N (channels of the transforms).
    var n: Int { get }
    /// M (channels of the latent y).
    var m: Int { get }
    /// The factor the input's height and width must be a multiple of (16 or 64).
    var downsamplingFactor: Int { get }
    /// The eval-mode forward pass on an NCHW float tensor in [0, 1].
    func forward(_ x: FloatTensor) throws -> ForwardResult
    /// `aux_loss()`: the sum of every EntropyBottleneck's quantile loss.
    func auxLoss() -> Double
    /// `update(scale_table, force)`: the buffers that change, keyed exactly as the checkpoint's keys
    /// (int32 `_offset`, `_quantized_cdf`, `_cdf_length`; float32 `scale_table`). Empty when the
    /// checkpoint's CDFs are already built and `force` is false (CompressAI's no-op).
    func update(scaleTable: [Float]?, force: Bool) throws -> [String: Tensor]
    /// `compress(x)`: the rANS strings of an NCHW float tensor in [0, 1] whose sides are
    /// multiples of `downsamplingFactor`, coded with the checkpoint's stored CDF tables.
    func compress(_ x: FloatTensor) throws -> CompressedLatents
    /// The first half of `decompress`: ŷ, decoded from the strings. The CDF indexes and means come
    /// from the deterministic kernels, so ŷ is the same bits on every machine and every stream
    /// decodes wherever it was written.
    func decodeLatent(_ latents: CompressedLatents) throws -> FloatTensor
    /// The second half of `decompress`: x̂ = g_s(ŷ) clamped to [0, 1]; `bitExact` runs g_s on the
    /// deterministic kernels, so that x̂ too is the same bits on every machine.
    func synthesize(_ yHat: FloatTensor, bitExact: Bool) throws -> FloatTensor
    /// Throws the reason the checkpoint's CDF tables cannot code (missing before `update()`, or
    /// malformed), so a command can name the checkpoint before it reads any image.
    func checkCodingTables() throws
    /// The model that codes at rate level `s` (a VBR model at gain `Gain[s]`: codec files record
    /// s + 1 as their quality); every other model is the same at every level and returns itself.
    func atRateLevel(_ s: Int) throws -> any CompressionRuntimeModel
}

extension CompressionRuntimeModel {
    /// Every model but the VBR ones codes the same at every level.
    package func atRateLevel(_ s: Int) throws -> any CompressionRuntimeModel { self }
}

extension CompressionRuntimeModel {
    /// `decompress(strings, shape)`: x̂ = g_s(ŷ) clamped to [0, 1] (see `decodeLatent` and
    /// `synthesize`).
    public func decompress(_ latents: CompressedLatents, bitExact: Bool = false) throws -> FloatTensor {
        try synthesize(try decodeLatent(latents), bitExact: bitExact)
    }
}

/// The entropy models a model owns, for `auxLoss` and `update`.
protocol EntropyModelOwner {
    var entropyBottleneck: EntropyBottleneck { get }
    var gaussianConditional: GaussianConditional? { get }
}

extension EntropyModelOwner {
    func entropyAuxLoss() -> Double { entropyBottleneck.auxLoss() }

    /// Throws if a stored CDF table cannot code.
    func entropyCodingTablesCheck() throws {
        _ = try entropyBottleneck.codingTable.get()
        _ = try gaussianConditional?.codingTable.get()
        _ = try gaussianConditional?.storedScaleTable()
    }

    func entropyUpdate(scaleTable: [Float]?, force: Bool) throws -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        if let eb = try entropyBottleneck.update(force: force) {
            for (k, v) in eb { out[k] = try TensorFactory.int32(v.values, shape: v.shape) }
        }
        if let gc = gaussianConditional, let buffers = try gc.update(scaleTable: scaleTable, force: force) {
            for (k, v) in buffers {
                if let ints = v.ints { out[k] = try TensorFactory.int32(ints, shape: v.shape) }
                if let floats = v.floats { out[k] = try TensorFactory.float32(floats, shape: v.shape) }
            }
        }
        return out
    }
}

/// Builds the runtime model of an architecture.
package enum RuntimeModels {
    /// The model for `id` over `store` (canonical CompressAI keys; N and M come from the tensor
    /// shapes).
    ///
    /// The store is verified against the architecture's declaration first (every key, shape and
    /// dtype, as `from_state_dict` does), so no tensor reaches a kernel with a shape the kernel
    /// was not declared for; a store that does not fit throws `RuntimeError.doesNotFit` naming
    /// its problems. OpenBLAS is loaded when a fast kernel first needs it (a coding run on the
    /// deterministic kernels never does); a library that cannot be loaded is a thrown error there.
    package static func make(_ id: Architecture, store: WeightStore) throws -> any CompressionRuntimeModel {
        let report = try id.verify(CheckpointWeights(store)).report
        guard report.ok else { throw RuntimeError.doesNotFit(report) }
        return try build(id, verified: store)
    }

    /// The model for `id` over a store already verified against `id` (`make` without the check).
    /// `gain` is a VBR model's gain (nil: CompressAI's default `Gain[1]`); other models ignore it.
    package static func build(_ id: Architecture, verified store: WeightStore, gain: Float? = nil) throws -> any CompressionRuntimeModel {
        let w = WeightReader(store)
        switch id {
        case .bmshj2018Factorized: return try FactorizedPriorEngine(w)
        case .bmshj2018FactorizedReLU: return try FactorizedPriorReLUEngine(w)
        case .bmshj2018Hyperprior: return try ScaleHyperpriorEngine(w)
        case .mbt2018Mean: return try MeanScaleHyperpriorEngine(w)
        case .mbt2018: return try JointAutoregressiveHierarchicalPriorsEngine(w)
        case .cheng2020Anchor: return try Cheng2020AnchorEngine(w)
        case .cheng2020Attention: return try Cheng2020AttentionEngine(w)
        case .bmshj2018HyperpriorVbr, .mbt2018MeanVbr: return try VariableRateHyperpriorEngine(w, id, scale: gain)
        case .cheng2020AnchorCheckerboard: return try Cheng2020CheckerboardEngine(w)
        case .elic2022Official, .elic2022Chandelier: return try Elic2022Engine(w, id)
        case .mbt2018Vbr: return try VariableRateAutoregressiveEngine(w, scale: gain)
        }
    }
}

/// Checks an input tensor: NCHW with three channels and sides that are multiples of `factor`.
func checkInput(_ x: FloatTensor, factor: Int) throws {
    guard x.shape.count == 4, x.c == 3, x.n >= 1, x.h > 0, x.w > 0 else {
        throw RuntimeError.badInput("expected an N×3×H×W tensor, got \(x.shape)")
    }
    guard x.h % factor == 0, x.w % factor == 0 else {
        throw RuntimeError.badInput("height and width must be multiples of \(factor), got \(x.h)×\(x.w) (pad the image)")
    }
}
