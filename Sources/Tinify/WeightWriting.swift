// Tinify: writes a flat state dict in the format an output path's extension names.
import TinifyCore
import TinifyArchitectures
import TinifyHDF5
import TinifySafetensors
import TinifyTorchWriter

/// Writes state dicts as HDF5, torch zip or safetensors.
package enum WeightWriting {
    /// Writes `entries` to `path` (format from its extension) atomically, recording the
    /// architecture of `report` when given. An existing `path` is replaced only with `replace`.
    /// `roles` (HDF5 `role` attributes by key) default to the architecture's declarations.
    package static func write(entries: [(key: String, tensor: Tensor)], to path: String, report: VerificationReport?,
                             roles given: [String: String]? = nil, sourceContainer: String?, sourceSHA256: (() -> String?)? = nil, compress: Bool = false,
                             replace: Bool, progress: WriteProgress? = nil) throws {
        guard let format = OutputFormat(path: path) else { throw ConversionError.unknownOutputFormat(path) }
        switch format {
        case .hdf5:
            var roles = given ?? [:]
            if given == nil, let r = report {
                for d in r.architecture.declarations(r.hyperparameters) { roles[d.key] = d.role.torchRole }
            }
            var attrs = HDF5RootAttributes(architecture: report?.architecture.rawValue, N: report?.hyperparameters.N,
                                           M: report?.hyperparameters.M, sourceContainer: sourceContainer,
                                           producer: "Tinify \(TinifyVersion.string)")
            attrs.hyperparameters = report.map { hyperparameterAttributes($0.hyperparameters) } ?? [:]
            try HDF5WeightWriter.write(entries: entries, attributes: attrs, roles: roles, to: path, compress: compress,
                                       replace: replace, progress: progress, sourceSHA256: sourceSHA256)
        case .torch:
            try TorchZipWriter.write(entries: entries, to: path, replace: replace, progress: progress)
        case .safetensors:
            var meta = ["format": "pt", "producer": "Tinify \(TinifyVersion.string)"]
            if let r = report {
                meta["architecture"] = r.architecture.rawValue
                meta["N"] = String(r.hyperparameters.N)
                meta["M"] = String(r.hyperparameters.M)
                meta.merge(hyperparameterAttributes(r.hyperparameters)) { a, _ in a }
            }
            try SafetensorsWriter.write(entries: entries, metadata: meta, to: path, replace: replace, progress: progress)
        }
    }

    /// The hyperparameters beyond N and M, as string attributes: ELIC's `groups` (`16,16,32,64,192`)
    /// and a VBR model's `vr_entbttlnck` (`true`), each only when set.
    static func hyperparameterAttributes(_ h: Hyperparameters) -> [String: String] {
        var out: [String: String] = [:]
        if !h.groups.isEmpty { out["groups"] = h.groups.map(String.init).joined(separator: ",") }
        if h.variableRateBottleneck { out["vr_entbttlnck"] = "true" }
        return out
    }
}
