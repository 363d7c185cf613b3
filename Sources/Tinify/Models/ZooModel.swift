// Tinify: the one implementation behind the thirteen model classes. A model holds its state dict
// (canonical keys, verified against the architecture's declaration) and the runtime engine built
// from it; `loadStateDict` and `update` replace tensors and rebuild the engine, as loading into a
// PyTorch module replaces its parameters.
import TinifyCore
import TinifyArchitectures
import TinifyRuntime

/// The base class of the thirteen model classes (`ScaleHyperprior`, `Cheng2020Anchor`, …): each is
/// this class bound to one `Architecture`. Build one with `fromStateDict` on the class you want,
/// or with `loadModel(contentsOfFile:)` when the architecture is to be detected.
public class ZooModel: CompressionModel, @unchecked Sendable {
    /// The architecture the model's class stands for.
    public let architecture: Architecture
    /// N and M as inferred from the weights' shapes.
    public let hyperparameters: Hyperparameters
    /// The side of the codec the model holds when it was built from one side's state dict
    /// (`stateDict(for:)`, `tinify convert --part`); nil for a whole model. A decoder cannot
    /// `compress` or run the forward pass, an encoder cannot `decompress`.
    public let part: ModelPart?
    private let lock = Lock()
    private var state: StateDict
    private var builtEngine: (any CompressionRuntimeModel)?
    private var storedGain: Float?

    /// A VBR model's gain for the forward pass, `compress` and `decompress`: CompressAI's
    /// `inputscale` (eval_model's 1 / quantisation step); nil codes at `Gain[1]`, CompressAI's
    /// default `s=1`. Other models ignore it. (A codec file's quality picks a rate level instead.)
    public var gain: Float? {
        get { lock.withLock { storedGain } }
        set { lock.withLock { storedGain = newValue; builtEngine = nil } }
    }

    /// How many models are alive: when the last one goes, the buffers its runs left for reuse
    /// are freed.
    private static let alive = Protected(0)

    deinit {
        let last = ZooModel.alive.withLock { n -> Bool in n -= 1; return n == 0 }
        if last { BufferPool.drain() }
    }

    /// The architecture a class stands for (nil for `ZooModel` itself).
    class var declaredArchitecture: Architecture? { nil }

    /// Builds the model of `architecture` from `stateDict`, strictly (see `fromStateDict`).
    required convenience init(architecture: Architecture, strict stateDict: StateDict) throws {
        try self.init(stateDict, verified: try architecture.verify(stateDict))
    }

    /// Builds the model `report` (the verification of `stateDict`) names; throws
    /// `ArchitectureError.mismatch` when the report has problems.
    required init(_ stateDict: StateDict, verified report: VerificationReport) throws {
        guard report.ok else { throw ArchitectureError.mismatch(report) }
        architecture = report.architecture
        hyperparameters = report.hyperparameters
        part = report.part
        state = ZooModel.canonicalOrder(stateDict, report.architecture, report.hyperparameters)
        ZooModel.alive.withLock { $0 += 1 }
    }

    /// CompressAI's `from_state_dict`: the model with N and M inferred from the weights' shapes,
    /// verified against the architecture's declaration. A state dict that does not fit throws
    /// `ArchitectureError.mismatch` naming every missing, unexpected and mis-shaped key.
    public class func fromStateDict(_ stateDict: StateDict) throws -> Self {
        guard let architecture = declaredArchitecture else {
            // The base class names no architecture (`loadModel` detects one).
            throw ArchitectureError.unknownArchitecture(String(describing: self))
        }
        return try Self(architecture: architecture, strict: stateDict)
    }

    /// N, the channels of the transforms.
    public var N: Int { hyperparameters.N }
    /// M, the channels of the latent y.
    public var M: Int { hyperparameters.M }

    /// The runtime engine over the current state dict, built on first use after each change
    /// (the state dict was verified when it was built or loaded, and `update` only replaces CDF
    /// buffers with the ones the engine computed).
    private func engine() throws -> any CompressionRuntimeModel {
        try lock.withLock {
            if let e = builtEngine { return e }
            let e = try RuntimeModels.build(architecture, verified: state.store, gain: storedGain)
            builtEngine = e
            return e
        }
    }

    /// `state` with the declaration's keys first, in declaration order (CompressAI's `state_dict()` order).
    private static func canonicalOrder(_ s: StateDict, _ a: Architecture, _ h: Hyperparameters) -> StateDict {
        var ordered = StateDict()
        for d in a.declarations(h) { if let t = s[d.key] { ordered[d.key] = t } }
        return ordered
    }

    /// Loads `stateDict` into the model in place; see `CompressionModel.loadStateDict(_:strict:)`.
    @discardableResult
    public func loadStateDict(_ stateDict: StateDict, strict: Bool = true) throws -> StateDictLoadReport {
        let (report, _) = try architecture.verify(stateDict.checkpointWeights, hyperparameters: hyperparameters)
        if strict && !report.ok { throw ArchitectureError.mismatch(report) }
        let refused = Set(report.problems.filter { $0.kind != .missing }.map(\.key))
        try lock.withLock {
            var merged = state
            for (key, tensor) in stateDict where merged[key] != nil && !refused.contains(key) { merged[key] = tensor }
            // Tensors that fit one by one can still disagree with each other (one CDF buffer of a
            // table): the merged whole must fit too, or nothing changes.
            let (whole, _) = try architecture.verify(merged.checkpointWeights, hyperparameters: hyperparameters)
            guard whole.ok else { throw ArchitectureError.mismatch(whole) }
            state = merged
            builtEngine = nil
        }
        return StateDictLoadReport(report.problems)
    }

    /// Builds the CDF tables in place; see `CompressionModel.update(force:)`.
    @discardableResult
    public func update(force: Bool = false) throws -> Bool {
        try update(force: force, scale: nil)
    }

    /// A VBR model's `update(force, scale=…)`: with the variable-rate entropy bottleneck, the
    /// bottleneck's tables are built for z's quantisation step at gain `scale` (CompressAI's zoo
    /// and `eval_model` pass `Gain[s]` for rate level s; see `gains`). `scale` nil is `update(force:)`.
    @discardableResult
    public func update(force: Bool, scale: Float?) throws -> Bool {
        let buffers = try DeclaredEntropyModels(architecture, store: lock.withLock { state.store }).update(scaleTable: nil, force: force, scale: scale)
        guard !buffers.isEmpty else { return false }
        lock.withLock {
            for (key, tensor) in buffers { state[key] = tensor }
            builtEngine = nil
        }
        return true
    }

    /// A VBR model's gains (`Gain`: one per rate level, the inverse quantisation steps); nil for
    /// the other models.
    public var gains: [Float]? { try? DeclaredEntropyModels(architecture, store: lock.withLock { state.store }).gains }

    /// The entropy bottleneck's quantile loss (NaN only if its tensors cannot be read; 0 for an
    /// `EntropyBottleneckVbr`, which CompressAI's `aux_loss` does not count).
    public func auxLoss() -> Double { (try? DeclaredEntropyModels(architecture, store: lock.withLock { state.store }).auxLoss()) ?? .nan }

    /// The eval-mode forward pass; see `CompressionModel.callAsFunction(_:)`.
    public func callAsFunction(_ x: ImageTensor) throws -> ForwardResult { try engine().forward(x) }

    /// CompressAI's `compress`; see `CompressionModel.compress(_:)`.
    public func compress(_ x: ImageTensor) throws -> CompressedLatents { try engine().compress(x) }

    /// CompressAI's `decompress`; see `CompressionModel.decompress(_:bitExact:)`.
    public func decompress(_ compressed: CompressedLatents, bitExact: Bool) throws -> ImageTensor {
        try engine().decompress(compressed, bitExact: bitExact)
    }

    /// The model's tensors under their canonical keys, in CompressAI's order.
    public func stateDict() -> StateDict { lock.withLock { state } }

    /// The tensors one side of the codec needs (see `ModelPart`).
    public func stateDict(for part: ModelPart) -> StateDict {
        StateDict(stateDict().entries.filter { part.keeps($0.key) })
    }

    /// The factor the sides of an image must be multiples of for `callAsFunction` and
    /// `compress` (64, or 16 for the factorized models; `ImageCodec` pads to 64 for all).
    public var downsamplingFactor: Int { architecture.downsamplingFactor }

    /// The memory budget images are checked against unless another is given: enough for a
    /// 2048×2048 image with every zoo model at its largest quality, or what this process may use.
    public static var defaultMemoryBudget: MemoryBudget { ImageMemory.defaultBudget() }

    /// Throws `MemoryBudgetError` when running the model on a `height` × `width` image would need
    /// more than `budget` (estimated from N, M and the padded size, before anything is allocated).
    public func checkMemory(height: Int, width: Int, budget: MemoryBudget = ZooModel.defaultMemoryBudget) throws {
        try runtime.checkMemory(height: height, width: width, budget: budget)
    }

    /// Throws the reason the model's CDF tables cannot code (`update` has not run, or a table is
    /// malformed), before any image is read.
    public func checkCodingTables() throws { try runtime.checkCodingTables() }

    /// The runtime engine (for the codec file and the command).
    package var runtime: any CompressionRuntimeModel { get throws { try engine() } }
}
