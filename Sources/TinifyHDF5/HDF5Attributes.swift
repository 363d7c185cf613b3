// TinifyHDF5: reading and writing attributes: variable-length UTF-8 strings (what h5py writes
// for `str`) and 64-bit integers; reading also accepts fixed-length strings (h5py's `np.bytes_`),
// any integer or float, and scalar or one-element dataspaces.
import CHDF5
import TinifyCore

/// Writes string and integer attributes, reusing one string type and one scalar dataspace.
final class AttributeWriter {
    private let stringType: hid_t
    private let scalar: hid_t

    init() throws {
        let t = try HDF5.id(H5Tcopy(chdf5_T_C_S1()), "H5Tcopy")
        guard H5Tset_size(t, chdf5_T_VARIABLE()) >= 0, H5Tset_cset(t, H5T_CSET_UTF8) >= 0 else {
            H5Tclose(t)
            throw HDF5.failure("H5Tset_size")
        }
        let s = H5Screate(H5S_SCALAR)
        guard s >= 0 else {
            H5Tclose(t)
            throw HDF5.failure("H5Screate")
        }
        stringType = t
        scalar = s
    }

    deinit {
        H5Tclose(stringType)
        H5Sclose(scalar)
    }

    /// Attaches the string attribute `name` = `value` to `object`.
    func string(_ object: hid_t, _ name: String, _ value: String) throws {
        let a = try HDF5.id(H5Acreate2(object, name, stringType, scalar, chdf5_P_DEFAULT, chdf5_P_DEFAULT), "H5Acreate2 '\(name)'")
        defer { H5Aclose(a) }
        try value.withCString { p in
            var ptr: UnsafePointer<CChar>? = p
            try HDF5.check(H5Awrite(a, stringType, &ptr), "H5Awrite '\(name)'")
        }
    }

    /// Attaches the 64-bit integer attribute `name` = `value` to `object`.
    func int(_ object: hid_t, _ name: String, _ value: Int) throws {
        let a = try HDF5.id(H5Acreate2(object, name, chdf5_T_STD_I64LE(), scalar, chdf5_P_DEFAULT, chdf5_P_DEFAULT), "H5Acreate2 '\(name)'")
        defer { H5Aclose(a) }
        var v = Int64(value)
        try HDF5.check(H5Awrite(a, chdf5_T_NATIVE_INT64(), &v), "H5Awrite '\(name)'")
    }
}

/// Reads attributes.
enum AttributeReader {
    /// A scalar attribute's value.
    enum Scalar: Equatable {
        case string(String)
        case int(Int64)
        case float(Double)

        /// The value as text (integers in decimal).
        var text: String {
            switch self {
            case .string(let s): return s
            case .int(let i): return String(i)
            case .float(let d): return String(d)
            }
        }
    }

    /// The names of `object`'s attributes, in name order.
    static func names(_ object: hid_t) throws -> [String] {
        final class Box { var names: [String] = [] }
        let box = Box()
        var idx: hsize_t = 0
        let status = H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, &idx, { _, name, _, data in
            guard let name, let data else { return -1 }
            Unmanaged<Box>.fromOpaque(data).takeUnretainedValue().names.append(String(cString: name))
            return 0
        }, Unmanaged.passUnretained(box).toOpaque())
        try HDF5.check(status, "H5Aiterate2")
        return withExtendedLifetime(box) { box.names }
    }

    /// The attribute `name` of `object`, or nil when absent or not a one-element string or number.
    static func scalar(_ object: hid_t, _ name: String) throws -> Scalar? {
        guard H5Aexists(object, name) > 0 else { return nil }
        let a = try HDF5.id(H5Aopen(object, name, chdf5_P_DEFAULT), "H5Aopen '\(name)'")
        defer { H5Aclose(a) }
        let space = try HDF5.id(H5Aget_space(a), "H5Aget_space")
        defer { H5Sclose(space) }
        guard H5Sget_simple_extent_npoints(space) == 1 else { return nil }
        let type = try HDF5.id(H5Aget_type(a), "H5Aget_type")
        defer { H5Tclose(type) }
        switch H5Tget_class(type) {
        case H5T_STRING:
            return .string(try readString(a, type, name))
        case H5T_INTEGER:
            var v: Int64 = 0
            try HDF5.check(H5Aread(a, chdf5_T_NATIVE_INT64(), &v), "H5Aread '\(name)'")
            return .int(v)
        case H5T_FLOAT:
            var v: Double = 0
            try HDF5.check(H5Aread(a, chdf5_T_NATIVE_DOUBLE(), &v), "H5Aread '\(name)'")
            return .float(v)
        default:
            return nil
        }
    }

    /// The string attribute `name`, nil when absent; throws when it is not a string.
    static func string(_ object: hid_t, _ name: String, path: String) throws -> String? {
        guard let v = try scalar(object, name) else {
            if H5Aexists(object, name) > 0 { throw HDF5Error.badAttribute(path: path, name: name, reason: "is not a single string") }
            return nil
        }
        guard case .string(let s) = v else { throw HDF5Error.badAttribute(path: path, name: name, reason: "is not a string") }
        return s
    }

    private static func readString(_ a: hid_t, _ type: hid_t, _ name: String) throws -> String {
        let cset = H5Tget_cset(type)
        if H5Tis_variable_str(type) > 0 {
            let mem = try HDF5.id(H5Tcopy(chdf5_T_C_S1()), "H5Tcopy")
            defer { H5Tclose(mem) }
            try HDF5.check(H5Tset_size(mem, chdf5_T_VARIABLE()), "H5Tset_size")
            try HDF5.check(H5Tset_cset(mem, cset), "H5Tset_cset")
            var ptr: UnsafeMutablePointer<CChar>?
            try HDF5.check(H5Aread(a, mem, &ptr), "H5Aread '\(name)'")
            guard let p = ptr else { return "" }
            defer { H5free_memory(p) }
            return String(cString: p)
        }
        let size = H5Tget_size(type)
        guard size > 0 else { return "" }
        guard size <= 1 << 26 else { throw HDF5Error.limitExceeded(what: "attribute '\(name)' size", limit: 1 << 26) }
        let mem = try HDF5.id(H5Tcopy(type), "H5Tcopy")
        defer { H5Tclose(mem) }
        var buf = [UInt8](repeating: 0, count: size)
        try buf.withUnsafeMutableBytes { try HDF5.check(H5Aread(a, mem, $0.baseAddress), "H5Aread '\(name)'") }
        if H5Tget_strpad(type) == H5T_STR_SPACEPAD {
            while buf.last == 0x20 { buf.removeLast() }
        } else if let nul = buf.firstIndex(of: 0) {
            buf.removeSubrange(nul...)
        }
        return String(decoding: buf, as: UTF8.self)
    }
}
