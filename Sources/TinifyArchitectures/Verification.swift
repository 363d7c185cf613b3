// TinifyArchitectures: verifying a state dict against an architecture's declaration, reporting
// every problem at once, and building typed models from it (`fromStateDict`).
import TinifyCore
import TinifyWeights

/// The complete result of checking a state dict against one architecture.
public struct VerificationReport: Sendable {
    /// The architecture checked against.
    public let architecture: Architecture
    /// N and M inferred (or given).
    public let hyperparameters: Hyperparameters
    /// Every problem, in declaration order, then unexpected keys in file order.
    public let problems: [Problem]
    /// Whether the CDF buffers are filled (`update()` has run).
    public let updated: Bool
    /// Renaming rules that fired.
    public let renamed: [RenameRecord]
    /// The side of the codec the state dict holds, when it holds one side only (every tensor of
    /// the other side's transforms absent, everything else fitting); nil for a whole model.
    public let part: ModelPart?

    /// Whether the state dict fits.
    public var ok: Bool { problems.isEmpty }
}

/// Errors building a model from a state dict.
public enum ArchitectureError: Error, CustomStringConvertible {
    /// N or M cannot be inferred: the probe key is missing or has no dimensions.
    case cannotInferHyperparameters(architecture: String, key: String)
    /// The state dict does not fit; the report says why.
    case mismatch(VerificationReport)
    /// No architecture fits; the closest and why.
    case noArchitectureFits(closest: VerificationReport?)
    /// An unknown architecture name.
    case unknownArchitecture(String)

    /// A one-line description naming every offending key.
    public var description: String {
        switch self {
        case .cannotInferHyperparameters(let a, let k): return "cannot infer N/M for \(a): '\(k)' is missing or not a weight"
        case .mismatch(let r):
            return "does not fit \(r.architecture.rawValue) (\(r.hyperparameters)): \(r.problems.count) problem\(r.problems.count == 1 ? "" : "s"): " + r.problems.map(\.description).joined(separator: "; ")
        case .noArchitectureFits(let c?):
            return "no architecture fits; closest is \(c.architecture.rawValue) (\(c.hyperparameters)) with \(c.problems.count) problems: "
                + c.problems.prefix(12).map(\.description).joined(separator: "; ") + (c.problems.count > 12 ? "; …" : "")
        case .noArchitectureFits(nil): return "no architecture fits (no key any architecture infers N from: g_a.0.weight, g_a.0.conv1.weight or a decoder's g_s/h_s)"
        case .unknownArchitecture(let n): return "unknown architecture '\(n)' (known: \(Architecture.allCases.map(\.rawValue).joined(separator: ", ")))"
        }
    }
}

extension Architecture {
    /// N and M as `from_state_dict` infers them; without g_a's first layer (a decoder's state
    /// dict, or a broken one), from the synthesis side instead (`decoderProbe`). For ELIC, the
    /// channel groups too (from each group's context model), and for the VBR models whether
    /// the bottleneck is the variable-rate one (its `gayn2zqstep`, `lower_bound_zqstep` or
    /// `_matrixK` keys).
    public func inferHyperparameters(_ tensors: [String: Tensor]) throws -> Hyperparameters {
        var h = try inferWidths(tensors)
        if self == .bmshj2018HyperpriorVbr || self == .mbt2018MeanVbr {
            h.variableRateBottleneck = tensors.keys.contains {
                $0.hasPrefix("gayn2zqstep.") || $0.hasPrefix("lower_bound_zqstep.") || $0.hasPrefix("entropy_bottleneck._matrix")
            }
        }
        if hasChannelGroups { h.groups = Self.inferGroups(tensors, M: h.M) }
        return h
    }

    /// The decoder-side key N and M are read from when g_a's is absent: its shape and the
    /// dimensions that hold N and M.
    var decoderProbe: (key: String, n: Int, m: Int) {
        switch self {
        case .cheng2020Anchor, .cheng2020Attention: return ("h_s.0.weight", 0, 0)
        case .cheng2020AnchorCheckerboard: return ("latent_codec.hyper.h_s.0.weight", 0, 0)
        case .elic2022Official, .elic2022Chandelier: return ("g_s.1.weight", 1, 0)
        default: return ("g_s.0.weight", 1, 0)
        }
    }

    private func inferWidths(_ tensors: [String: Tensor]) throws -> Hyperparameters {
        let (nKey, mKey) = probes
        if tensors[nKey] == nil {
            let probe = decoderProbe
            if let t = tensors[probe.key], t.shape.count == 4 { return Hyperparameters(N: t.shape[probe.n], M: t.shape[probe.m]) }
        }
        guard let n = tensors[nKey], n.shape.count == 4 else { throw ArchitectureError.cannotInferHyperparameters(architecture: rawValue, key: nKey) }
        guard let mKey else { return Hyperparameters(N: n.shape[0], M: n.shape[0]) }
        guard let m = tensors[mKey], m.shape.count == 4 else { throw ArchitectureError.cannotInferHyperparameters(architecture: rawValue, key: mKey) }
        return Hyperparameters(N: n.shape[0], M: m.shape[0])
    }

    /// ELIC's groups: as many as there are consecutive `latent_codec.y.latent_codec.y{k}.` codecs
    /// from k = 0, each as wide as its context model's input (or half its outputs); CompressAI's
    /// default `[16, 16, 32, 64, M − 128]` when the state dict has no group codec at all.
    static func inferGroups(_ tensors: [String: Tensor], M: Int) -> [Int] {
        let maxGroups = Architecture.maxChannelGroups
        let marker = "latent_codec.y.latent_codec.y"
        var present = Set<Int>()
        for key in tensors.keys where key.hasPrefix(marker) {
            let digits = key.dropFirst(marker.count).prefix { $0.isASCII && $0.isNumber }
            if digits.count <= 6, let k = Int(digits), key.dropFirst(marker.count + digits.count).hasPrefix(".") { present.insert(k) }
        }
        // At most `maxGroups`: a file declaring more names them as unexpected keys, and the
        // declaration's size (and its channel-context sums, quadratic in the count) stays bounded.
        var count = 0
        while present.contains(count) && count < maxGroups { count += 1 }
        guard count > 0 else { return defaultGroups(M: M) }
        return (0..<count).map { k in
            let codec = "\(marker)\(k)."
            for (key, dim, divisor) in [("context_prediction.weight", 1, 1), ("context_prediction.mask", 1, 1), ("context_prediction.weight", 0, 2),
                                        ("entropy_parameters.4.weight", 0, 2)] {
                if let t = tensors[codec + key], t.shape.count == 4 { return t.shape[dim] / divisor }
            }
            if let t = tensors["latent_codec.y.channel_context.y\(k).4.weight"], t.shape.count == 4 { return t.shape[0] / 2 }
            return 0
        }
    }

    /// Binds `stateDict` to this architecture (N, M inferred unless given) and reports every problem.
    ///
    /// When the inferred N and M leave problems, the decoder side's reading of them is tried too,
    /// and the reading with fewer problems is reported: a mis-shaped `g_a.0.weight` is then one
    /// problem, not every N-wide tensor of the model.
    package func verify(_ stateDict: CheckpointWeights, hyperparameters given: Hyperparameters? = nil) throws -> (report: VerificationReport, model: ModelDeclaration) {
        if let given { return bind(stateDict, given) }
        let tensors = stateDict.byKey
        let inferred = try inferHyperparameters(tensors)
        let first = bind(stateDict, inferred)
        let probe = decoderProbe
        guard !first.report.ok, let t = tensors[probe.key], t.shape.count == 4 else { return first }
        var other = inferred
        (other.N, other.M) = (t.shape[probe.n], t.shape[probe.m])
        if hasChannelGroups { other.groups = Self.inferGroups(tensors, M: other.M) }
        guard other != inferred else { return first }
        let second = bind(stateDict, other)
        return second.report.problems.count < first.report.problems.count ? second : first
    }

    /// Binds `stateDict` to this architecture at `h` and reports every problem.
    private func bind(_ stateDict: CheckpointWeights, _ h: Hyperparameters) -> (report: VerificationReport, model: ModelDeclaration) {
        let tensors = stateDict.byKey
        let scope = ParameterScope(binding: tensors, h)
        let model = declare(scope)
        var problems = scope.problems
        let declared = Set(scope.declarations.map(\.key))
        for e in stateDict.entries where !declared.contains(e.key) {
            problems.append(Problem(.unexpected, e.key, actual: shapeText(e.tensor.shape)))
        }
        let part = ModelPart.allCases.first { part in
            !problems.isEmpty && problems.allSatisfy { $0.kind == .missing && !part.keeps($0.key) }
                && stateDict.entries.allSatisfy { part.keeps($0.key) }
        }
        let report = VerificationReport(architecture: self, hyperparameters: h, problems: part == nil ? problems : [],
                                        updated: scope.emptyDynamicKeys.isEmpty, renamed: stateDict.renamed, part: part)
        return (report, model)
    }

    /// `from_state_dict`: the typed model, or `ArchitectureError.mismatch` with the full report.
    package func fromStateDict(_ stateDict: CheckpointWeights) throws -> ModelDeclaration {
        let (report, model) = try verify(stateDict)
        guard report.ok else { throw ArchitectureError.mismatch(report) }
        return model
    }
}

/// Finds which architecture a state dict is.
package enum ArchitectureDetector {
    /// The architecture that fits `stateDict` with no problems; otherwise throws
    /// `noArchitectureFits` with the closest candidate's report.
    public static func detect(_ stateDict: CheckpointWeights) throws -> VerificationReport {
        var best: VerificationReport? = nil
        for id in likelyOrder(stateDict) {
            guard let (report, _) = try? id.verify(stateDict) else { continue }
            if report.ok { return report }
            if let b = best, b.problems.count <= report.problems.count { continue }
            best = report
        }
        throw ArchitectureError.noArchitectureFits(closest: best)
    }

    /// Every architecture, the ones whose fingerprint keys the state dict has first (so the
    /// usual case binds one architecture, not thirteen). The order only saves time: every
    /// candidate is still checked in full until one fits.
    static func likelyOrder(_ stateDict: CheckpointWeights) -> [Architecture] {
        let keys = Set(stateDict.entries.map(\.key))
        func score(_ id: Architecture) -> Int {
            switch id {
            case .cheng2020Attention: return keys.contains("g_a.3.conv_a.0.conv.0.weight") ? 3 : 0
            case .cheng2020Anchor: return keys.contains("g_a.0.conv1.weight") ? 2 : 0
            case .mbt2018: return keys.contains("context_prediction.weight") && keys.contains("g_a.0.weight") ? 2 : 0
            case .mbt2018Mean, .bmshj2018Hyperprior: return keys.contains("h_s.4.weight") ? 1 : 0
            case .bmshj2018Factorized: return keys.contains("g_a.1.beta") && !keys.contains("h_a.0.weight") ? 1 : 0
            case .bmshj2018FactorizedReLU: return !keys.contains("g_a.1.beta") && !keys.contains("h_a.0.weight") ? 1 : 0
            case .mbt2018Vbr: return keys.contains("Gain") && keys.contains("context_prediction.weight") ? 4 : 0
            case .bmshj2018HyperpriorVbr, .mbt2018MeanVbr: return keys.contains("Gain") ? 3 : 0
            case .cheng2020AnchorCheckerboard: return keys.contains("latent_codec.y.context_prediction.weight") ? 4 : 0
            case .elic2022Official, .elic2022Chandelier: return keys.contains("latent_codec.y.latent_codec.y0.context_prediction.weight") ? 4 : 0
            }
        }
        return Architecture.allCases.enumerated().sorted { a, b in
            let (sa, sb) = (score(a.element), score(b.element))
            return sa != sb ? sa > sb : a.offset < b.offset
        }.map(\.element)
    }
}

extension ArchitectureError: TinifyError {}
