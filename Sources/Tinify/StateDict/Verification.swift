// Tinify: verifying a state dict against an architecture's declaration — every missing,
// unexpected, mis-shaped or mistyped tensor at once — and finding the architecture it fits.
import TinifyArchitectures

extension Architecture {
    /// Checks every tensor of `stateDict` against this architecture's declaration, with N and M
    /// inferred from the shapes unless given, and reports every problem at once (missing,
    /// unexpected, shape or dtype mismatches, CDF buffers that disagree), not just the first.
    /// Throws `ArchitectureError.cannotInferHyperparameters` only when N or M cannot be read.
    public func verify(_ stateDict: StateDict, hyperparameters: Hyperparameters? = nil) throws -> VerificationReport {
        try verify(stateDict.checkpointWeights, hyperparameters: hyperparameters).report
    }

    /// The report of the architecture `stateDict` fits; when none fits, throws
    /// `ArchitectureError.noArchitectureFits` carrying the closest architecture's report.
    public static func detectReport(_ stateDict: StateDict) throws -> VerificationReport {
        try ArchitectureDetector.detect(stateDict.checkpointWeights)
    }
}
