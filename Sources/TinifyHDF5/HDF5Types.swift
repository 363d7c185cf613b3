// TinifyHDF5: HDF5 types for each dtype, as h5py makes and reads them — IEEE little-endian floats
// and integers, float16 as a custom IEEE half (HDF5 1.10 has none), bfloat16 as a 16-bit custom
// float (sign 15, exponent 7–14 bias 127, mantissa 0–6), bool as h5py's enum over int8
// (FALSE=0, TRUE=1), complex as h5py's {r, i} compound — and the reverse: recognising a stored
// type, from any writer, byte order included, without letting libhdf5 convert a single value.
import CHDF5
import TinifyCore

/// What a dataset's stored type holds.
struct StoredType {
    /// The element type.
    let dtype: DType
    /// Whether elements are stored big-endian (swapped after a raw read).
    let bigEndian: Bool
}

/// Building and recognising HDF5 types.
enum HDF5Types {
    /// A new type id for `d`'s on-disk form. The caller closes it.
    static func create(_ d: DType) throws -> hid_t {
        func copy(_ t: hid_t) throws -> hid_t { try HDF5.id(H5Tcopy(t), "H5Tcopy") }
        switch d {
        case .float32: return try copy(chdf5_T_IEEE_F32LE())
        case .float64: return try copy(chdf5_T_IEEE_F64LE())
        case .float16: return try customFloat(sign: 15, exponent: 10, exponentBits: 5, mantissaBits: 10, bias: 15)
        case .bfloat16: return try customFloat(sign: 15, exponent: 7, exponentBits: 8, mantissaBits: 7, bias: 127)
        case .int8: return try copy(chdf5_T_STD_I8LE())
        case .int16: return try copy(chdf5_T_STD_I16LE())
        case .int32: return try copy(chdf5_T_STD_I32LE())
        case .int64: return try copy(chdf5_T_STD_I64LE())
        case .uint8: return try copy(chdf5_T_STD_U8LE())
        case .uint16: return try copy(chdf5_T_STD_U16LE())
        case .uint32: return try copy(chdf5_T_STD_U32LE())
        case .uint64: return try copy(chdf5_T_STD_U64LE())
        case .bool:
            let t = try HDF5.id(H5Tenum_create(chdf5_T_STD_I8LE()), "H5Tenum_create")
            do {
                var no: Int8 = 0, yes: Int8 = 1
                try HDF5.check(H5Tenum_insert(t, "FALSE", &no), "H5Tenum_insert")
                try HDF5.check(H5Tenum_insert(t, "TRUE", &yes), "H5Tenum_insert")
            } catch {
                H5Tclose(t)
                throw error
            }
            return t
        case .complex64, .complex128:
            let half = d == .complex64 ? 4 : 8
            let t = try HDF5.id(H5Tcreate(H5T_COMPOUND, 2 * half), "H5Tcreate")
            let f = d == .complex64 ? chdf5_T_IEEE_F32LE() : chdf5_T_IEEE_F64LE()
            do {
                try HDF5.check(H5Tinsert(t, "r", 0, f), "H5Tinsert")
                try HDF5.check(H5Tinsert(t, "i", half, f), "H5Tinsert")
            } catch {
                H5Tclose(t)
                throw error
            }
            return t
        }
    }

    /// A 16-bit little-endian float with the given bit fields, built the way h5py builds float16.
    private static func customFloat(sign: Int, exponent: Int, exponentBits: Int, mantissaBits: Int, bias: Int) throws -> hid_t {
        let t = try HDF5.id(H5Tcopy(chdf5_T_IEEE_F32LE()), "H5Tcopy")
        do {
            try HDF5.check(H5Tset_fields(t, sign, exponent, exponentBits, 0, mantissaBits), "H5Tset_fields")
            try HDF5.check(H5Tset_size(t, 2), "H5Tset_size")
            try HDF5.check(H5Tset_ebias(t, bias), "H5Tset_ebias")
        } catch {
            H5Tclose(t)
            throw error
        }
        return t
    }

    /// Recognises a stored type (`path` names the dataset in errors).
    static func classify(_ t: hid_t, path: String) throws -> StoredType {
        let size = H5Tget_size(t)
        let cls = H5Tget_class(t)
        func unsupported(_ what: String) -> HDF5Error { .unsupportedType(path: path, description: what) }
        switch cls {
        case H5T_INTEGER:
            return try integer(t, path: path)
        case H5T_FLOAT:
            let order = H5Tget_order(t)
            guard order == H5T_ORDER_LE || order == H5T_ORDER_BE else { throw unsupported("float with mixed byte order") }
            guard H5Tget_precision(t) == 8 * size, H5Tget_offset(t) == 0 else { throw unsupported("\(size)-byte float with padding bits") }
            var spos = 0, epos = 0, esize = 0, mpos = 0, msize = 0
            try HDF5.check(H5Tget_fields(t, &spos, &epos, &esize, &mpos, &msize), "H5Tget_fields")
            let bias = H5Tget_ebias(t)
            let fields = [spos, epos, esize, mpos, msize, bias]
            let norm = H5Tget_norm(t)
            guard norm == H5T_NORM_IMPLIED else { throw unsupported("\(size)-byte float without an implied mantissa bit") }
            let dtype: DType
            switch (size, fields) {
            case (2, [15, 10, 5, 0, 10, 15]): dtype = .float16
            case (2, [15, 7, 8, 0, 7, 127]): dtype = .bfloat16
            case (4, [31, 23, 8, 0, 23, 127]): dtype = .float32
            case (8, [63, 52, 11, 0, 52, 1023]): dtype = .float64
            default: throw unsupported("\(size)-byte float with fields \(fields)")
            }
            return StoredType(dtype: dtype, bigEndian: order == H5T_ORDER_BE)
        case H5T_ENUM:
            let base = try HDF5.id(H5Tget_super(t), "H5Tget_super")
            defer { H5Tclose(base) }
            let b = try integer(base, path: path)
            guard b.dtype == .int8 || b.dtype == .uint8 else { throw unsupported("enum over \(b.dtype.name)") }
            guard H5Tget_nmembers(t) == 2 else { throw unsupported("enum with \(H5Tget_nmembers(t)) members") }
            var members: [String: Int8] = [:]
            for i in 0..<2 {
                guard let cname = H5Tget_member_name(t, UInt32(i)) else { throw HDF5.failure("H5Tget_member_name") }
                let name = String(cString: cname)
                H5free_memory(cname)
                var v: Int8 = 0
                try HDF5.check(H5Tget_member_value(t, UInt32(i), &v), "H5Tget_member_value")
                members[name] = v
            }
            guard members == ["FALSE": 0, "TRUE": 1] else { throw unsupported("enum other than h5py's bool (FALSE=0, TRUE=1)") }
            return StoredType(dtype: .bool, bigEndian: false)
        case H5T_COMPOUND:
            guard H5Tget_nmembers(t) == 2 else { throw unsupported("compound with \(H5Tget_nmembers(t)) members") }
            var parts: [(name: String, offset: Int, type: StoredType)] = []
            for i in 0..<2 {
                guard let cname = H5Tget_member_name(t, UInt32(i)) else { throw HDF5.failure("H5Tget_member_name") }
                let name = String(cString: cname)
                H5free_memory(cname)
                let mt = try HDF5.id(H5Tget_member_type(t, UInt32(i)), "H5Tget_member_type")
                defer { H5Tclose(mt) }
                guard H5Tget_class(mt) == H5T_FLOAT else { throw unsupported("compound other than complex {r, i}") }
                parts.append((name, H5Tget_member_offset(t, UInt32(i)), try classify(mt, path: path)))
            }
            let r = parts[0], i = parts[1]
            guard r.name == "r", i.name == "i", r.type.dtype == i.type.dtype, r.type.bigEndian == i.type.bigEndian,
                  r.type.dtype == .float32 || r.type.dtype == .float64 else { throw unsupported("compound other than complex {r, i}") }
            let half = r.type.dtype.itemSize
            guard r.offset == 0, i.offset == half, size == 2 * half else { throw unsupported("complex compound with padding") }
            return StoredType(dtype: half == 4 ? .complex64 : .complex128, bigEndian: r.type.bigEndian)
        case H5T_STRING: throw unsupported("string")
        case H5T_BITFIELD: throw unsupported("bitfield")
        case H5T_OPAQUE: throw unsupported("opaque")
        case H5T_REFERENCE: throw unsupported("reference")
        case H5T_VLEN: throw unsupported("variable-length")
        case H5T_ARRAY: throw unsupported("array")
        default: throw unsupported("type class \(cls.rawValue)")
        }
    }

    private static func integer(_ t: hid_t, path: String) throws -> StoredType {
        let size = H5Tget_size(t)
        func unsupported(_ what: String) -> HDF5Error { .unsupportedType(path: path, description: what) }
        let order = H5Tget_order(t)
        guard order == H5T_ORDER_LE || order == H5T_ORDER_BE || (size == 1 && order == H5T_ORDER_NONE) else {
            throw unsupported("integer with mixed byte order")
        }
        guard H5Tget_precision(t) == 8 * size, H5Tget_offset(t) == 0 else { throw unsupported("\(size)-byte integer with padding bits") }
        let signed = H5Tget_sign(t) == H5T_SGN_2
        let dtype: DType
        switch (size, signed) {
        case (1, true): dtype = .int8
        case (2, true): dtype = .int16
        case (4, true): dtype = .int32
        case (8, true): dtype = .int64
        case (1, false): dtype = .uint8
        case (2, false): dtype = .uint16
        case (4, false): dtype = .uint32
        case (8, false): dtype = .uint64
        default: throw unsupported("\(size)-byte integer")
        }
        return StoredType(dtype: dtype, bigEndian: order == H5T_ORDER_BE)
    }
}
