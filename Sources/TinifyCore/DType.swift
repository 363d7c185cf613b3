// TinifyCore: the vocabulary every stage shares.
// Element types as PyTorch names them (`torch.float32` prints as `float32`).

/// A tensor element type, named as PyTorch names it.
public enum DType: String, CaseIterable, Sendable, Codable {
    case float16, bfloat16, float32, float64
    case int8, int16, int32, int64
    case uint8, uint16, uint32, uint64
    case bool
    case complex64, complex128

    /// The number of bytes one element takes.
    public var itemSize: Int {
        switch self {
        case .int8, .uint8, .bool: return 1
        case .float16, .bfloat16, .int16, .uint16: return 2
        case .float32, .int32, .uint32: return 4
        case .float64, .int64, .uint64, .complex64: return 8
        case .complex128: return 16
        }
    }

    /// The size of one byte-swappable unit: complex numbers swap each half separately.
    public var swapUnit: Int {
        switch self {
        case .complex64: return 4
        case .complex128: return 8
        default: return itemSize
        }
    }

    /// Whether the type is a floating-point type (the kind a learned parameter has).
    public var isFloatingPoint: Bool {
        switch self {
        case .float16, .bfloat16, .float32, .float64: return true
        default: return false
        }
    }

    /// PyTorch's name, e.g. `float32`.
    public var name: String { rawValue }

    /// The dtype a legacy `torch.<Name>Storage` class holds (`FloatStorage` → float32).
    /// The name alone decides, as in `torch.load`, so `torch.cuda.HalfStorage` works too.
    public init?(storageClass name: String) {
        switch name {
        case "DoubleStorage": self = .float64
        case "FloatStorage": self = .float32
        case "HalfStorage": self = .float16
        case "BFloat16Storage": self = .bfloat16
        case "LongStorage": self = .int64
        case "IntStorage": self = .int32
        case "ShortStorage": self = .int16
        case "CharStorage": self = .int8
        case "ByteStorage": self = .uint8
        case "BoolStorage": self = .bool
        case "ComplexFloatStorage": self = .complex64
        case "ComplexDoubleStorage": self = .complex128
        default: return nil
        }
    }

    /// The dtype a `torch.<name>` global denotes (`torch.float32`, `torch.half`, `torch.uint16`).
    public init?(torchAttribute name: String) {
        switch name {
        case "float16", "half": self = .float16
        case "bfloat16": self = .bfloat16
        case "float32", "float": self = .float32
        case "float64", "double": self = .float64
        case "int8": self = .int8
        case "int16", "short": self = .int16
        case "int32", "int": self = .int32
        case "int64", "long": self = .int64
        case "uint8": self = .uint8
        case "uint16": self = .uint16
        case "uint32": self = .uint32
        case "uint64": self = .uint64
        case "bool": self = .bool
        case "complex64", "cfloat": self = .complex64
        case "complex128", "cdouble": self = .complex128
        default: return nil
        }
    }
}
