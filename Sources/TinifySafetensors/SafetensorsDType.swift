// TinifySafetensors: safetensors dtype names (`F32`, `BF16`, …) and Tinify's element types.
import TinifyCore

/// The safetensors names of element types.
package enum SafetensorsDType {
    /// Every dtype name the reference implementation defines.
    package static let knownNames: Set<String> = [
        "BOOL", "U8", "I8", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64", "C64",
        "F8_E4M3", "F8_E5M2", "F8_E4M3FNUZ", "F8_E5M2FNUZ", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2",
    ]

    /// The element type a name denotes, or nil when Tinify has none for it.
    package static func dtype(_ name: String) -> DType? {
        switch name {
        case "BOOL": return .bool
        case "U8": return .uint8
        case "I8": return .int8
        case "I16": return .int16
        case "U16": return .uint16
        case "F16": return .float16
        case "BF16": return .bfloat16
        case "I32": return .int32
        case "U32": return .uint32
        case "F32": return .float32
        case "F64": return .float64
        case "I64": return .int64
        case "U64": return .uint64
        case "C64": return .complex64
        default: return nil
        }
    }

    /// The name of an element type, or nil when safetensors has none (complex128).
    package static func name(_ d: DType) -> String? {
        switch d {
        case .bool: return "BOOL"
        case .uint8: return "U8"
        case .int8: return "I8"
        case .int16: return "I16"
        case .uint16: return "U16"
        case .float16: return "F16"
        case .bfloat16: return "BF16"
        case .int32: return "I32"
        case .uint32: return "U32"
        case .float32: return "F32"
        case .float64: return "F64"
        case .int64: return "I64"
        case .uint64: return "U64"
        case .complex64: return "C64"
        case .complex128: return nil
        }
    }
}
