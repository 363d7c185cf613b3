// TinifyPickle: the allow-list. A global outside it is an error that names it; nothing is imported.
import TinifyCore

/// The globals a weights checkpoint may reference. Each is data to the machine, never code.
package enum PickleGlobal: Equatable, Sendable {
    /// `collections.OrderedDict`.
    case orderedDict
    /// `torch._utils._rebuild_tensor` (0.3-era).
    case rebuildTensor
    /// `torch._utils._rebuild_tensor_v2`.
    case rebuildTensorV2
    /// `torch._utils._rebuild_tensor_v3`.
    case rebuildTensorV3
    /// `torch._utils._rebuild_parameter`.
    case rebuildParameter
    /// `torch._utils._rebuild_parameter_with_state`.
    case rebuildParameterWithState
    /// `torch._tensor._rebuild_from_type_v2`.
    case rebuildFromTypeV2
    /// A typed storage class, `torch.FloatStorage` and kin (any module under `torch`).
    case storageClass(name: String, dtype: DType)
    /// `torch.storage.UntypedStorage` (numel in bytes).
    case untypedStorage
    /// A dtype, `torch.float32` and kin.
    case dtype(DType)
    /// `torch.Size`.
    case torchSize
    /// `torch.device`.
    case torchDevice
    /// `torch.Tensor`.
    case torchTensor
    /// `torch.nn.parameter.Parameter`.
    case torchParameter
    /// `_codecs.encode` (how protocol 2 pickles bytes).
    case codecsEncode
    /// `builtins.set`.
    case builtinSet
    /// `builtins.frozenset`.
    case builtinFrozenset
    /// `builtins.complex`.
    case builtinComplex
    /// `builtins.bytearray`.
    case builtinBytearray

    /// Looks `module.name` up in the allow-list.
    package init?(module: String, name: String) {
        switch (module, name) {
        case ("collections", "OrderedDict"): self = .orderedDict
        case ("torch._utils", "_rebuild_tensor"): self = .rebuildTensor
        case ("torch._utils", "_rebuild_tensor_v2"): self = .rebuildTensorV2
        case ("torch._utils", "_rebuild_tensor_v3"): self = .rebuildTensorV3
        case ("torch._utils", "_rebuild_parameter"): self = .rebuildParameter
        case ("torch._utils", "_rebuild_parameter_with_state"): self = .rebuildParameterWithState
        case ("torch._tensor", "_rebuild_from_type_v2"): self = .rebuildFromTypeV2
        case ("torch.storage", "UntypedStorage"), ("torch", "UntypedStorage"): self = .untypedStorage
        case ("torch", "Size"): self = .torchSize
        case ("torch", "device"): self = .torchDevice
        case ("torch", "Tensor"), ("torch._tensor", "Tensor"): self = .torchTensor
        case ("torch.nn.parameter", "Parameter"), ("torch.nn", "Parameter"): self = .torchParameter
        case ("_codecs", "encode"): self = .codecsEncode
        case ("builtins", "set"), ("__builtin__", "set"): self = .builtinSet
        case ("builtins", "frozenset"), ("__builtin__", "frozenset"): self = .builtinFrozenset
        case ("builtins", "complex"), ("__builtin__", "complex"): self = .builtinComplex
        case ("builtins", "bytearray"), ("__builtin__", "bytearray"): self = .builtinBytearray
        default:
            if module == "torch" || module == "torch.cuda" || module == "torch.storage" {
                if let d = DType(storageClass: name) { self = .storageClass(name: name, dtype: d); return }
                if module == "torch", let d = DType(torchAttribute: name) { self = .dtype(d); return }
            }
            return nil
        }
    }

    /// The dotted name, e.g. `torch._utils._rebuild_tensor_v2`.
    package var qualifiedName: String {
        switch self {
        case .orderedDict: return "collections.OrderedDict"
        case .rebuildTensor: return "torch._utils._rebuild_tensor"
        case .rebuildTensorV2: return "torch._utils._rebuild_tensor_v2"
        case .rebuildTensorV3: return "torch._utils._rebuild_tensor_v3"
        case .rebuildParameter: return "torch._utils._rebuild_parameter"
        case .rebuildParameterWithState: return "torch._utils._rebuild_parameter_with_state"
        case .rebuildFromTypeV2: return "torch._tensor._rebuild_from_type_v2"
        case .storageClass(let n, _): return "torch.\(n)"
        case .untypedStorage: return "torch.storage.UntypedStorage"
        case .dtype(let d): return "torch.\(d.name)"
        case .torchSize: return "torch.Size"
        case .torchDevice: return "torch.device"
        case .torchTensor: return "torch.Tensor"
        case .torchParameter: return "torch.nn.parameter.Parameter"
        case .codecsEncode: return "_codecs.encode"
        case .builtinSet: return "builtins.set"
        case .builtinFrozenset: return "builtins.frozenset"
        case .builtinComplex: return "builtins.complex"
        case .builtinBytearray: return "builtins.bytearray"
        }
    }

    /// Whether `REDUCE`/`NEWOBJ` may call it (classes that are only compared, like dtypes, may not).
    package var isCallable: Bool {
        switch self {
        case .storageClass, .untypedStorage, .dtype, .torchTensor: return false
        default: return true
        }
    }
}
