// FormatTests: the written-down HDF5 layout (`Schemas/hdf5-layout.schema.json`) and the writer
// agree. The schema's constants are checked against the writer's (format, version, attribute
// names, dtypes, architectures, containers, roles, deflate level); files Tinify writes are dumped
// to the JSON form the schema describes (`LayoutDump`, with libhdf5 directly) and their types
// compared with the schema's dtype → HDF5 type mapping here, then validated with python3's
// `jsonschema` (skipped when it is not importable), together with altered dumps it must refuse.
import CHDF5
import Foundation
import TestSupport
import TinifyArchitectures
import TinifyContainer
import TinifyCore
import TinifyHDF5
import Tinify
import TinifyCommand
import XCTest

final class LayoutSchemaTests: XCTestCase {
    private var dir = ""
    private let schemaPath = Fixtures.root + "/Schemas/hdf5-layout.schema.json"

    override func setUp() {
        dir = makeScratch("layout")
        H5Eset_auto2(chdf5_E_DEFAULT, nil, nil)
    }

    override func tearDown() { removeScratch(dir) }

    private func schema() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: schemaPath))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any], "the schema is a JSON object")
    }

    /// `object[path[0]][path[1]]…` in parsed JSON.
    private func at(_ object: Any?, _ path: String...) -> Any? {
        var o = object
        for p in path { o = (o as? [String: Any])?[p] }
        return o
    }

    /// One canonical text per JSON value, so parsed values compare exactly (bools stay bools).
    private func canonical(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
    }

    /// A tensor of every dtype (including the edge shapes), each holding distinct bytes.
    private func everyDType() throws -> [(key: String, tensor: Tensor)] {
        var entries: [(key: String, tensor: Tensor)] = []
        for (i, d) in DType.allCases.enumerated() {
            let count = 3
            var bytes = (0..<(count * d.itemSize)).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ i) }
            if d == .bool { bytes = [0, 1, 1] }
            entries.append(("dtypes.\(d.name)", try tensor(d, [count], bytes)))
        }
        entries.append(("edge.scalar", try floats([2.5], shape: [])))
        entries.append(("edge.empty", try tensor(.float32, [0, 4], [])))
        entries.append(("odd.per%cent/slash", try floats([1])))
        return entries
    }

    func testSchemaAgreesWithTheWriter() throws {
        let s = try schema()
        XCTAssertEqual(s["$schema"] as? String, "https://json-schema.org/draft/2020-12/schema")
        let root = at(s, "properties", "attributes", "properties") as? [String: Any]
        XCTAssertEqual(at(root, "format", "const") as? String, HDF5RootAttributes.format)
        XCTAssertEqual(at(root, "format_version", "const") as? Int, HDF5RootAttributes.formatVersion)
        XCTAssertEqual(Set(root?.keys.map { $0 } ?? []), HDF5RootAttributes.reservedNames,
                       "the schema describes exactly the root attributes the writer reserves")
        XCTAssertEqual(at(root, "architecture", "enum") as? [String], Architecture.allCases.map(\.rawValue))
        let containers = try XCTUnwrap(at(root, "source_container", "enum") as? [String])
        XCTAssertEqual(Set(containers.compactMap { ContainerKind(rawValue: $0)?.rawValue }), Set(containers), "every container is one Tinify names")
        XCTAssertEqual(containers.count, 4)
        XCTAssertEqual(Set(at(s, "properties", "attributes", "required") as? [String] ?? []), ["format", "format_version", "producer"])

        XCTAssertEqual(at(s, "$defs", "dtype", "enum") as? [String], DType.allCases.map(\.name))
        let types = try XCTUnwrap(at(s, "$defs", "types") as? [String: Any])
        XCTAssertEqual(Set(types.keys), Set(DType.allCases.map(\.name)), "every dtype has an HDF5 type")
        let datasetAttrs = at(s, "$defs", "dataset", "properties", "attributes") as? [String: Any]
        XCTAssertEqual((at(datasetAttrs, "properties") as? [String: Any])?.keys.sorted(), ["dtype", "key", "role"])
        XCTAssertEqual(Set(at(datasetAttrs, "required") as? [String] ?? []), ["key", "dtype"])
        XCTAssertEqual(Set(at(datasetAttrs, "properties", "role", "enum") as? [String] ?? []),
                       Set([Role.parameter, .buffer, .dynamicBuffer].map(\.torchRole)), "the roles the writer records")
        let filters = try XCTUnwrap(at(s, "$defs", "dataset", "properties", "filters", "const") as? [[String: Any]])
        XCTAssertEqual(filters.map { $0["name"] as? String }, ["shuffle", "deflate"])
        XCTAssertEqual(filters.last?["level"] as? Int, Int(HDF5WeightWriter.deflateLevel))
    }

    func testEveryDTypeIsStoredAsTheSchemaSays() throws {
        let types = try XCTUnwrap(at(try schema(), "$defs", "types") as? [String: Any])
        let entries = try everyDType()
        let path = dir + "/dtypes.h5"
        try HDF5WeightWriter.write(entries: entries, attributes: HDF5RootAttributes(), roles: ["dtypes.float32": "parameter"], to: path)
        let dump = try LayoutDump.dump(path)
        let datasets = try XCTUnwrap(at(dump, "state_dict", "datasets") as? [String: Any])
        XCTAssertEqual(datasets.count, entries.count)
        for (key, t) in entries {
            let d = try XCTUnwrap(datasets[HDF5KeyPath.path(of: key)] as? [String: Any], "\(key) is at the path its key makes")
            XCTAssertEqual(at(d, "attributes", "key") as? String, key)
            XCTAssertEqual(at(d, "attributes", "dtype") as? String, t.dtype.name)
            XCTAssertEqual(d["shape"] as? [Int], t.shape)
            XCTAssertEqual(d["layout"] as? String, "contiguous")
            let want = try XCTUnwrap(at(types, t.dtype.name, "const"), t.dtype.name)
            XCTAssertEqual(try canonical(try XCTUnwrap(d["type"])), try canonical(want), "\(key): the HDF5 type of \(t.dtype.name)")
        }
        XCTAssertEqual(at(datasets, "dtypes/float32", "attributes", "role") as? String, "parameter")
        XCTAssertNil(at(datasets, "dtypes/float16", "attributes", "role"), "no role when none is known")
        XCTAssertNotNil(datasets["odd/per%25cent%2Fslash"], "escaped link names")
        XCTAssertEqual(Set(at(dump, "state_dict", "groups") as? [String] ?? []), ["dtypes", "edge", "odd"])
    }

    func testTinifyFilesValidateAgainstTheSchema() throws {
        var valid: [String: Any] = [:]
        for (file, compress) in [("mbt2018-N8-M12.pth", false), ("mbt2018-mean-N8-M12-training.pth", false),
                                 ("edge-cases.pth", false), ("edge-cases.pth", true), ("cheng2020-attn-N8-M8.pth", true),
                                 ("bmshj2018-hyperprior-N8-M12-legacy.pth", false)] {
            let out = dir + "/\(file)\(compress ? ".gz" : "").h5"
            _ = try WeightConversion.convert(input: Fixtures.path(file), output: out, compress: compress)
            valid[URL(fileURLWithPath: out).lastPathComponent] = try LayoutDump.dump(out)
        }
        let attrs = HDF5RootAttributes(architecture: "bmshj2018-factorized", N: 8, M: 12, sourceSHA256: String(repeating: "0f", count: 32),
                                       sourceContainer: "safetensors", producer: "Tinify test", extra: ["note": "carried over"])
        try HDF5WeightWriter.write(entries: try everyDType(), attributes: attrs, roles: ["dtypes.int32": "buffer"], to: dir + "/dtypes.h5")
        valid["dtypes.h5"] = try LayoutDump.dump(dir + "/dtypes.h5")

        // What the conversion recorded, checked here too (the schema cannot say N = 8).
        let mbt = try XCTUnwrap(valid["mbt2018-N8-M12.pth.h5"] as? [String: Any])
        XCTAssertEqual(at(mbt, "attributes", "architecture") as? String, "mbt2018")
        XCTAssertEqual(at(mbt, "attributes", "N") as? Int, 8)
        XCTAssertEqual(at(mbt, "attributes", "M") as? Int, 12)
        XCTAssertEqual(at(mbt, "attributes", "source_container") as? String, "torch-zip")
        XCTAssertEqual(at(mbt, "attributes", "source_sha256") as? String,
                       SHA256Hasher.hex(of: try MappedFile(path: Fixtures.path("mbt2018-N8-M12.pth"))))
        XCTAssertEqual(at(mbt, "attributes", "producer") as? String, "Tinify \(TinifyVersion.string)")
        for (path, d) in try XCTUnwrap(at(mbt, "state_dict", "datasets") as? [String: Any]) {
            let key = try XCTUnwrap(at(d, "attributes", "key") as? String)
            XCTAssertEqual(HDF5KeyPath.path(of: key), path, "the dataset of \(key) is at the path the key makes")
            XCTAssertNotNil(at(d, "attributes", "role"), "\(key): a role when the architecture is known")
        }
        let gz = try XCTUnwrap(at(valid["edge-cases.pth.gz.h5"], "state_dict", "datasets") as? [String: [String: Any]])
        XCTAssertTrue(gz.values.contains { $0["layout"] as? String == "chunked" }, "gzip files have chunked datasets")
        XCTAssertEqual(at(gz, "tensors/scalar", "layout") as? String, "contiguous", "a scalar is never chunked")
        XCTAssertEqual(at(gz, "tensors/empty", "layout") as? String, "contiguous", "an empty tensor is never chunked")

        // Dumps the schema must refuse: each differs from a valid one in one way.
        let base = try XCTUnwrap(valid["mbt2018-N8-M12.pth.h5"] as? [String: Any])
        let gzBase = try XCTUnwrap(valid["edge-cases.pth.gz.h5"] as? [String: Any])
        let someKey = try XCTUnwrap((at(base, "state_dict", "datasets") as? [String: Any])?.keys.sorted().first)
        let someDataset = try XCTUnwrap(at(base, "state_dict", "datasets", someKey) as? [String: Any])
        func edit(_ doc: [String: Any], _ change: (inout [String: Any]) -> Void) -> [String: Any] {
            var d = doc
            change(&d)
            return d
        }
        func editAttrs(_ change: @escaping (inout [String: Any]) -> Void) -> [String: Any] {
            edit(base) { d in
                var a = d["attributes"] as? [String: Any] ?? [:]
                change(&a)
                d["attributes"] = a
            }
        }
        func editDataset(_ doc: [String: Any], _ path: String, _ change: @escaping (inout [String: Any]) -> Void) -> [String: Any] {
            edit(doc) { d in
                var sd = d["state_dict"] as? [String: Any] ?? [:]
                var ds = sd["datasets"] as? [String: Any] ?? [:]
                var one = ds[path] as? [String: Any] ?? [:]
                change(&one)
                ds[path] = one
                sd["datasets"] = ds
                d["state_dict"] = sd
            }
        }
        let invalid: [String: Any] = [
            "format_version 2": editAttrs { $0["format_version"] = 2 },
            "another format": editAttrs { $0["format"] = "other" },
            "no format": editAttrs { $0["format"] = nil },
            "format_version stored as a float": editAttrs { $0["format_version"] = ["hdf5_class": "float", "size": 8] },
            "architecture without N": editAttrs { $0["N"] = nil },
            "unknown architecture": editAttrs { $0["architecture"] = "resnet50" },
            "uppercase sha256": editAttrs { $0["source_sha256"] = String(repeating: "AB", count: 32) },
            "unknown container": editAttrs { $0["source_container"] = "zip" },
            "dtype says float16, type is float32": editDataset(base, someKey) { d in
                var a = d["attributes"] as? [String: Any] ?? [:]
                a["dtype"] = "float16"
                d["attributes"] = a
            },
            "unknown role": editDataset(base, someKey) { d in
                var a = d["attributes"] as? [String: Any] ?? [:]
                a["role"] = "weight"
                d["attributes"] = a
            },
            "no key attribute": editDataset(base, someKey) { d in
                var a = d["attributes"] as? [String: Any] ?? [:]
                a["key"] = nil
                d["attributes"] = a
            },
            "chunked scalar": editDataset(gzBase, "tensors/scalar") { d in
                d["layout"] = "chunked"
                d["chunks"] = [1]
                d["filters"] = [["name": "shuffle"], ["name": "deflate", "level": 4]]
            },
            "contiguous with filters": editDataset(base, someKey) { d in d["filters"] = [["name": "deflate", "level": 4]] },
            "unescaped % in a path": editDataset(base, "bad%name") { d in d = someDataset },
        ]
        try validate(valid: valid, invalid: invalid)
    }

    /// Validates the dumps with python3 `jsonschema` (Draft 2020-12): every `valid` one must pass
    /// and every `invalid` one must be refused.
    private func validate(valid: [String: Any], invalid: [String: Any]) throws {
        guard let python = Run.python() else { throw XCTSkip("python3 is not installed: the layout dumps were not validated against the schema") }
        let docs = dir + "/dumps.json"
        try JSONSerialization.data(withJSONObject: ["valid": valid, "invalid": invalid], options: [.sortedKeys])
            .write(to: URL(fileURLWithPath: docs))
        let code = """
        import json, sys
        try:
            import jsonschema
        except ImportError:
            print("python3 cannot import jsonschema (pip install jsonschema): the layout dumps were not validated against the schema")
            sys.exit(77)
        schema = json.load(open(sys.argv[1]))
        jsonschema.Draft202012Validator.check_schema(schema)
        v = jsonschema.Draft202012Validator(schema)
        docs = json.load(open(sys.argv[2]))
        bad = []
        for name, doc in sorted(docs["valid"].items()):
            errors = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
            bad += [f"{name}: {'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in errors[:3]]
        for name, doc in sorted(docs["invalid"].items()):
            if v.is_valid(doc):
                bad.append(f"accepted an invalid dump: {name}")
        print("\\n".join(bad) if bad else f"layout-schema: ok: {len(docs['valid'])} valid, {len(docs['invalid'])} invalid refused")
        sys.exit(1 if bad else 0)
        """
        let r = try Run.process(python, ["-c", code, schemaPath, docs])
        if r.status == 77 { throw XCTSkip(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) }
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("layout-schema: ok: \(valid.count) valid, \(invalid.count) invalid refused"), r.stdout + r.stderr)
    }
}

/// Dumps an HDF5 weights file to the JSON form `Schemas/hdf5-layout.schema.json` describes:
/// root attributes, and every group and dataset under `/state_dict` (attributes, HDF5 type,
/// shape, layout, chunks and filters). A variable-length UTF-8 string attribute becomes a JSON
/// string, a 64-bit signed little-endian integer a JSON integer, anything else an object naming
/// its HDF5 class.
enum LayoutDump {
    static func dump(_ path: String) throws -> [String: Any] {
        let file = H5Fopen(path, chdf5_ACC_RDONLY(), chdf5_P_DEFAULT)
        guard file >= 0 else { throw FormatTestFailure("H5Fopen \(path) failed") }
        defer { H5Fclose(file) }
        let sd = H5Gopen2(file, "state_dict", chdf5_P_DEFAULT)
        guard sd >= 0 else { throw FormatTestFailure("\(path): no /state_dict") }
        defer { H5Gclose(sd) }
        var groups: [String] = []
        var datasets: [String: Any] = [:]
        try walk(sd, prefix: "", groups: &groups, datasets: &datasets)
        return ["attributes": try attributes(file), "state_dict": ["groups": groups, "datasets": datasets]]
    }

    private static func walk(_ group: hid_t, prefix: String, groups: inout [String], datasets: inout [String: Any]) throws {
        for name in try linkNames(group) {
            let path = prefix.isEmpty ? name : prefix + "/" + name
            var info = H5O_info_t()
            guard H5Oget_info_by_name2(group, name, &info, UInt32(H5O_INFO_BASIC), chdf5_P_DEFAULT) >= 0 else { throw FormatTestFailure("H5Oget_info \(path)") }
            switch info.type {
            case H5O_TYPE_GROUP:
                groups.append(path)
                let g = H5Gopen2(group, name, chdf5_P_DEFAULT)
                defer { H5Gclose(g) }
                try walk(g, prefix: path, groups: &groups, datasets: &datasets)
            case H5O_TYPE_DATASET:
                let d = H5Dopen2(group, name, chdf5_P_DEFAULT)
                guard d >= 0 else { throw FormatTestFailure("H5Dopen2 \(path)") }
                defer { H5Dclose(d) }
                datasets[path] = try dataset(d)
            default:
                throw FormatTestFailure("\(path): neither a group nor a dataset")
            }
        }
    }

    private static func linkNames(_ group: hid_t) throws -> [String] {
        final class Box { var names: [String] = [] }
        let box = Box()
        var idx: hsize_t = 0
        let status = H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, &idx, { _, name, _, data in
            guard let name, let data else { return -1 }
            Unmanaged<Box>.fromOpaque(data).takeUnretainedValue().names.append(String(cString: name))
            return 0
        }, Unmanaged.passUnretained(box).toOpaque())
        guard status >= 0 else { throw FormatTestFailure("H5Literate2") }
        return withExtendedLifetime(box) { box.names }
    }

    private static func attributes(_ object: hid_t) throws -> [String: Any] {
        final class Box { var names: [String] = [] }
        let box = Box()
        var idx: hsize_t = 0
        let status = H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, &idx, { _, name, _, data in
            guard let name, let data else { return -1 }
            Unmanaged<Box>.fromOpaque(data).takeUnretainedValue().names.append(String(cString: name))
            return 0
        }, Unmanaged.passUnretained(box).toOpaque())
        guard status >= 0 else { throw FormatTestFailure("H5Aiterate2") }
        var out: [String: Any] = [:]
        for name in withExtendedLifetime(box, { box.names }) {
            let a = H5Aopen(object, name, chdf5_P_DEFAULT)
            guard a >= 0 else { throw FormatTestFailure("H5Aopen \(name)") }
            defer { H5Aclose(a) }
            out[name] = try attributeValue(a)
        }
        return out
    }

    private static func attributeValue(_ a: hid_t) throws -> Any {
        let t = H5Aget_type(a), space = H5Aget_space(a)
        defer { H5Tclose(t); H5Sclose(space) }
        let cls = H5Tget_class(t)
        let scalar = H5Sget_simple_extent_type(space) == H5S_SCALAR
        if scalar, cls == H5T_STRING, H5Tis_variable_str(t) > 0, H5Tget_cset(t) == H5T_CSET_UTF8 {
            let mem = H5Tcopy(chdf5_T_C_S1())
            defer { H5Tclose(mem) }
            H5Tset_size(mem, chdf5_T_VARIABLE())
            H5Tset_cset(mem, H5T_CSET_UTF8)
            var p: UnsafeMutablePointer<CChar>?
            guard H5Aread(a, mem, &p) >= 0 else { throw FormatTestFailure("H5Aread") }
            defer { if let p { H5free_memory(p) } }
            return p.map { String(cString: $0) } ?? ""
        }
        if scalar, cls == H5T_INTEGER, H5Tget_size(t) == 8, H5Tget_sign(t) == H5T_SGN_2, H5Tget_order(t) == H5T_ORDER_LE {
            var v: Int64 = 0
            guard H5Aread(a, chdf5_T_NATIVE_INT64(), &v) >= 0 else { throw FormatTestFailure("H5Aread") }
            return Int(v)
        }
        return ["hdf5_class": className(cls), "size": H5Tget_size(t), "scalar": scalar]
    }

    private static func dataset(_ d: hid_t) throws -> [String: Any] {
        var out: [String: Any] = ["attributes": try attributes(d)]
        let t = H5Dget_type(d)
        defer { H5Tclose(t) }
        out["type"] = try type(t)
        let space = H5Dget_space(d)
        defer { H5Sclose(space) }
        switch H5Sget_simple_extent_type(space) {
        case H5S_SCALAR: out["shape"] = [Int]()
        case H5S_SIMPLE:
            var dims = [hsize_t](repeating: 0, count: Int(H5Sget_simple_extent_ndims(space)))
            H5Sget_simple_extent_dims(space, &dims, nil)
            out["shape"] = dims.map { Int($0) }
        default: out["shape"] = "null dataspace"
        }
        let dcpl = H5Dget_create_plist(d)
        defer { H5Pclose(dcpl) }
        switch H5Pget_layout(dcpl) {
        case H5D_CONTIGUOUS: out["layout"] = "contiguous"
        case H5D_CHUNKED:
            out["layout"] = "chunked"
            var chunks = [hsize_t](repeating: 0, count: 32)
            let rank = H5Pget_chunk(dcpl, 32, &chunks)
            out["chunks"] = chunks.prefix(Int(max(rank, 0))).map { Int($0) }
        case H5D_COMPACT: out["layout"] = "compact"
        default: out["layout"] = "other"
        }
        let n = H5Pget_nfilters(dcpl)
        if n > 0 {
            var filters: [[String: Any]] = []
            for i in 0..<UInt32(n) {
                var flags: UInt32 = 0, count = 8, config: UInt32 = 0
                var values = [UInt32](repeating: 0, count: 8)
                var name = [CChar](repeating: 0, count: 64)
                let id = H5Pget_filter2(dcpl, i, &flags, &count, &values, 64, &name, &config)
                switch id {
                case H5Z_FILTER_SHUFFLE: filters.append(["name": "shuffle"])
                case H5Z_FILTER_DEFLATE: filters.append(["name": "deflate", "level": count > 0 ? Int(values[0]) : -1])
                default: filters.append(["name": "filter \(id)"])
                }
            }
            out["filters"] = filters
        }
        return out
    }

    private static func order(_ t: hid_t) -> String {
        switch H5Tget_order(t) {
        case H5T_ORDER_LE: return "little"
        case H5T_ORDER_BE: return "big"
        case H5T_ORDER_NONE: return "none"
        default: return "mixed"
        }
    }

    private static func type(_ t: hid_t) throws -> [String: Any] {
        let size = H5Tget_size(t)
        switch H5Tget_class(t) {
        case H5T_INTEGER:
            return ["class": "integer", "size": size, "order": order(t), "signed": H5Tget_sign(t) == H5T_SGN_2, "precision": H5Tget_precision(t)]
        case H5T_FLOAT:
            var s = 0, e = 0, es = 0, m = 0, ms = 0
            H5Tget_fields(t, &s, &e, &es, &m, &ms)
            let norm: String
            switch H5Tget_norm(t) {
            case H5T_NORM_IMPLIED: norm = "implied"
            case H5T_NORM_MSBSET: norm = "msbset"
            default: norm = "none"
            }
            return ["class": "float", "size": size, "order": order(t), "precision": H5Tget_precision(t), "sign_position": s,
                    "exponent_position": e, "exponent_size": es, "mantissa_position": m, "mantissa_size": ms,
                    "exponent_bias": H5Tget_ebias(t), "mantissa_normalization": norm]
        case H5T_ENUM:
            let base = H5Tget_super(t)
            defer { H5Tclose(base) }
            var members: [String: Any] = [:]
            for i in 0..<UInt32(max(H5Tget_nmembers(t), 0)) {
                guard let cname = H5Tget_member_name(t, i) else { throw FormatTestFailure("H5Tget_member_name") }
                defer { H5free_memory(cname) }
                var raw = [UInt8](repeating: 0, count: 16)
                H5Tget_member_value(t, i, &raw)
                var v = 0
                for b in raw.prefix(min(H5Tget_size(base), 8)).reversed() { v = v << 8 | Int(b) }
                members[String(cString: cname)] = v
            }
            return ["class": "enum", "size": size, "base": try type(base), "members": members]
        case H5T_COMPOUND:
            var members: [[String: Any]] = []
            for i in 0..<UInt32(max(H5Tget_nmembers(t), 0)) {
                guard let cname = H5Tget_member_name(t, i) else { throw FormatTestFailure("H5Tget_member_name") }
                defer { H5free_memory(cname) }
                let mt = H5Tget_member_type(t, i)
                defer { H5Tclose(mt) }
                members.append(["name": String(cString: cname), "offset": H5Tget_member_offset(t, i), "type": try type(mt)])
            }
            return ["class": "compound", "size": size, "members": members]
        case let cls:
            return ["class": className(cls), "size": size]
        }
    }

    private static func className(_ c: H5T_class_t) -> String {
        switch c {
        case H5T_INTEGER: return "integer"
        case H5T_FLOAT: return "float"
        case H5T_STRING: return "string"
        case H5T_ENUM: return "enum"
        case H5T_COMPOUND: return "compound"
        case H5T_ARRAY: return "array"
        case H5T_VLEN: return "vlen"
        case H5T_OPAQUE: return "opaque"
        case H5T_BITFIELD: return "bitfield"
        case H5T_REFERENCE: return "reference"
        default: return "class \(c.rawValue)"
        }
    }
}
