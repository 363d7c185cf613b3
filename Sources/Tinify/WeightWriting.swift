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
            let attrs = HDF5RootAttributes(architecture: report?.architecture.rawValue, N: report?.hyperparameters.N,
                                           M: report?.hyperparameters.M, sourceContainer: sourceContainer,
                                           producer: "Tinify \(TinifyVersion.string)")
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
            }
            try SafetensorsWriter.write(entries: entries, metadata: meta, to: path, replace: replace, progress: progress)
        }
    }
}
