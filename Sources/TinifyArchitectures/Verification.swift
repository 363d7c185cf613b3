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
        case .noArchitectureFits(nil): return "no architecture fits (no g_a.0 weight to infer N from)"
        case .unknownArchitecture(let n): return "unknown architecture '\(n)' (known: \(Architecture.allCases.map(\.rawValue).joined(separator: ", ")))"
        }
    }
}

extension Architecture {
    /// N and M as `from_state_dict` infers them; without g_a's first layer (a decoder's state
    /// dict, or a broken one), from the synthesis transform's first layer instead (`g_s.0.weight` is [M, N, 5, 5];
    /// `g_s.0.conv1.weight` is [N, N, 3, 3]).
    public func inferHyperparameters(_ tensors: [String: Tensor]) throws -> Hyperparameters {
        let (nKey, mKey) = probes
        if tensors[nKey] == nil {
            let key = mEqualsN ? "h_s.0.weight" : "g_s.0.weight"
            if let t = tensors[key], t.shape.count == 4 {
                return mEqualsN ? Hyperparameters(N: t.shape[0], M: t.shape[0]) : Hyperparameters(N: t.shape[1], M: t.shape[0])
            }
        }
        guard let n = tensors[nKey], n.shape.count == 4 else { throw ArchitectureError.cannotInferHyperparameters(architecture: rawValue, key: nKey) }
        guard let mKey else { return Hyperparameters(N: n.shape[0], M: n.shape[0]) }
        guard let m = tensors[mKey], m.shape.count == 4 else { throw ArchitectureError.cannotInferHyperparameters(architecture: rawValue, key: mKey) }
        return Hyperparameters(N: n.shape[0], M: m.shape[0])
    }

    /// Binds `stateDict` to this architecture (N, M inferred unless given) and reports every problem.
    package func verify(_ stateDict: CheckpointWeights, hyperparameters given: Hyperparameters? = nil) throws -> (report: VerificationReport, model: ModelDeclaration) {
        let tensors = stateDict.byKey
        let h = try given ?? inferHyperparameters(tensors)
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
    /// usual case binds one architecture, not seven). The order only saves time: every
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
            }
        }
        return Architecture.allCases.enumerated().sorted { a, b in
            let (sa, sb) = (score(a.element), score(b.element))
            return sa != sb ? sa > sb : a.offset < b.offset
        }.map(\.element)
    }
}

extension ArchitectureError: TinifyError {}
