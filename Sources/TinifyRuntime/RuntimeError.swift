// TinifyRuntime: running CompressAI image-compression models (Ballé 2018, Minnen 2018, Cheng 2020)
// on the CPU. Errors are values: nothing here traps on data read from a file.
import TinifyCore
import TinifyArchitectures

/// Why a model cannot be built or run.
public enum RuntimeError: Error, CustomStringConvertible {
    /// A tensor the architecture needs is not in the weight store.
    case missingTensor(key: String)
    /// A tensor has a shape the architecture cannot use.
    case badShape(key: String, shape: [Int], expected: String)
    /// A tensor has an element type that cannot be read as numbers here.
    case badDType(key: String, dtype: String)
    /// The architecture name is not one of the seven supported ones.
    case unknownArchitecture(name: String)
    /// The input tensor cannot be fed to the model.
    case badInput(String)
    /// A scale table for `update` is empty, unsorted or not positive.
    case badScaleTable(String)
    /// A probability table cannot be quantised (negative, non-finite or all-zero mass).
    case invalidDistribution(key: String, reason: String)
    /// The weights do not fit the architecture's declaration (the report lists every problem).
    case doesNotFit(VerificationReport)
    /// A system library (OpenBLAS, libpng, libjpeg) cannot be loaded; the loader's reason.
    case libraryUnavailable(String)
    /// An image file cannot be read or written (the description is the reason; the path is carried).
    case image(path: String, reason: String)
    /// A layer given a tensor it was not built for (channels, element count); names the layer.
    case layerMismatch(String)
    /// The model holds one side of the codec only (`ModelPart`): this transform is not in it.
    case transformAbsent(String)

    /// A one-line, lowercase description naming the key involved.
    public var description: String {
        switch self {
        case .missingTensor(let k): return "missing tensor \(k)"
        case .badShape(let k, let s, let e): return "tensor \(k) has shape \(s), expected \(e)"
        case .badDType(let k, let d): return "tensor \(k) has dtype \(d), expected a floating-point type"
        case .unknownArchitecture(let n): return "unknown architecture \(n)"
        case .badInput(let s): return "bad input: \(s)"
        case .badScaleTable(let s): return "bad scale table: \(s)"
        case .invalidDistribution(let k, let r): return "cannot build the cdf of \(k): \(r)"
        case .image(_, let r): return r
        case .libraryUnavailable(let r): return r
        case .layerMismatch(let r): return "layer mismatch: \(r)"
        case .transformAbsent(let t): return "\(t) is not in this model (its state dict holds one side of the codec only)"
        case .doesNotFit(let r):
            return "weights do not fit \(r.architecture.rawValue) (\(r.hyperparameters)): \(r.problems.count) problems: "
                + r.problems.map(\.description).joined(separator: "; ")
        }
    }
}

extension RuntimeError: TinifyError {}
