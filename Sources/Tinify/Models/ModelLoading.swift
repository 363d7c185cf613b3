// Tinify: the registry from an architecture to its model class, and loading a model whose
// architecture is detected from the weights.
import TinifyArchitectures

extension Architecture {
    /// The model class of this architecture.
    public var modelType: ZooModel.Type {
        switch self {
        case .bmshj2018Factorized: return FactorizedPrior.self
        case .bmshj2018FactorizedReLU: return FactorizedPriorReLU.self
        case .bmshj2018Hyperprior: return ScaleHyperprior.self
        case .mbt2018Mean: return MeanScaleHyperprior.self
        case .mbt2018: return JointAutoregressiveHierarchicalPriors.self
        case .cheng2020Anchor: return Cheng2020Anchor.self
        case .cheng2020Attention: return Cheng2020Attention.self
        case .bmshj2018HyperpriorVbr: return ScaleHyperpriorVbr.self
        case .mbt2018MeanVbr: return MeanScaleHyperpriorVbr.self
        case .mbt2018Vbr: return JointAutoregressiveHierarchicalPriorsVbr.self
        case .cheng2020AnchorCheckerboard: return Cheng2020AnchorCheckerboard.self
        case .elic2022Official: return Elic2022Official.self
        case .elic2022Chandelier: return Elic2022Chandelier.self
        }
    }

    /// The model of this architecture built from `stateDict` (strict, N and M inferred).
    public func model(_ stateDict: StateDict) throws -> ZooModel {
        try modelType.init(stateDict, verified: try verify(stateDict))
    }

    /// The architecture `stateDict` fits (keys and shapes); throws
    /// `ArchitectureError.noArchitectureFits` with the closest one's problems otherwise.
    public static func detect(_ stateDict: StateDict) throws -> Architecture {
        try detectReport(stateDict).architecture
    }
}

/// The model the file at `path` holds, its architecture detected from the weights' keys and
/// shapes, N and M inferred: what `torch.load` then `<Class>.from_state_dict` gives in CompressAI.
public func loadModel(contentsOfFile path: String, options: WeightReadOptions = WeightReadOptions()) throws -> ZooModel {
    try loadModel(StateDict(contentsOfFile: path, options: options))
}

/// The model `stateDict` holds, its architecture detected from the keys and shapes (verified
/// once, by the detection), N and M inferred.
public func loadModel(_ stateDict: StateDict) throws -> ZooModel {
    let report = try Architecture.detectReport(stateDict)
    return try report.architecture.modelType.init(stateDict, verified: report)
}
