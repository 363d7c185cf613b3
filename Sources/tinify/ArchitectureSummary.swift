// tinify: the detected architecture in brief, for `inspect`.
import Tinify

/// The architecture a store's weights fit, if any, with N and M.
package struct ArchitectureSummary {
    /// The report of the fitting architecture (nil when none fits).
    package let report: VerificationReport?

    /// Detects the architecture of `store`'s model weights (no error when none fits).
    package init(_ store: WeightStore) {
        report = try? Architecture.detectReport(StateDict(store))
    }

    /// JSON fields: `architecture`, `N`, `M`, `updated` (null when no architecture fits).
    package var jsonFields: [(String, JSON)] {
        guard let r = report else { return [("architecture", .null), ("N", .null), ("M", .null)] }
        return [("architecture", .string(r.architecture.rawValue)), ("N", .int(r.hyperparameters.N)),
                ("M", .int(r.hyperparameters.M)), ("updated", .bool(r.updated))]
    }

    /// Lines for the human table.
    package var lines: [String] {
        guard let r = report else { return ["model:     no zoo architecture fits (see `tinify verify`)"] }
        return ["model:     \(r.architecture.rawValue) (\(r.architecture.className)), N=\(r.hyperparameters.N) M=\(r.hyperparameters.M)"
                + (r.updated ? "" : ", not updated")]
    }
}
