// FormatTests: the HDF5 layout — key paths (collisions refused, odd keys kept exactly), root
// attributes and roles, types, compression, zero-copy reads, and files this reader must refuse
// (built here with libhdf5 directly).
import CHDF5
import Foundation
import TestSupport
import TinifyCore
import TinifyHDF5
import Tinify
import TinifyWeights
import XCTest

final class HDF5Tests: XCTestCase {
    private var dir = ""

    override func setUp() {
        dir = makeScratch("hdf5")
        H5Eset_auto2(chdf5_E_DEFAULT, nil, nil)
    }

    override func tearDown() { removeScratch(dir) }

    private func write(_ entries: [(key: String, tensor: Tensor)], _ name: String = "w.h5", compress: Bool = false) throws -> String {
        let path = dir + "/" + name
        try HDF5WeightWriter.write(entries: entries, attributes: HDF5RootAttributes(), to: path, compress: compress)
        return path
    }

    func testPrefixKeysCollideWithAnErrorNotCorruption() throws {
        for keys in [["a.b", "a.b.c"], ["a.b.c", "a.b"], ["x.0.weight", "x.0"]] {
            let entries = try keys.map { ($0, try floats([1])) }
            XCTAssertThrowsError(try write(entries)) { e in
                guard case HDF5Error.keyCollision(let k, let other)? = e as? HDF5Error else { return XCTFail("\(keys): \(e)") }
                XCTAssertEqual(Set([k, other]), Set(keys), "\(keys)")
            }
        }
        XCTAssertThrowsError(try write([("a", try floats([1])), ("a", try floats([2]))])) {
            guard case HDF5Error.duplicateKey("a")? = $0 as? HDF5Error else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try write([("nul\u{0}key", try floats([1]))])) {
            guard case HDF5Error.unsupportedKey? = $0 as? HDF5Error else { return XCTFail("\($0)") }
        }
        XCTAssertEqual(listing(dir), [], "refused writes leave nothing")
    }

    func testKeysHDF5CannotUseAsNamesAreKeptExactly() throws {
        let keys = ["a..b", ".lead", "trail.", "has/slash.x", "per%cent", "%", "%2F", "κλειδί.🎉", "sp ace.tab\tkey",
                    String(repeating: "long", count: 500) + ".x", "g_a.0.weight", "g_a.0.bias", "g_a.1.weight"]
        let entries = try keys.enumerated().map { ($1, try floats([Float($0)])) }
        let back = try HDF5WeightReader.read(try write(entries))
        XCTAssertEqual(back.keys, keys, "keys exact and in written order")
        for (i, k) in keys.enumerated() { XCTAssertEqual(back[k]?.sha256(), try floats([Float(i)]).sha256(), k) }
        XCTAssertEqual(HDF5KeyPath.path(of: "g_a.0.weight"), "g_a/0/weight")
        XCTAssertEqual(HDF5KeyPath.path(of: "has/slash.x"), "has%2Fslash/x")
        XCTAssertEqual(HDF5KeyPath.path(of: "a..b"), "a/%/b")
        XCTAssertEqual(HDF5KeyPath.path(of: "per%cent"), "per%25cent")
        XCTAssertNotEqual(HDF5KeyPath.path(of: "%"), HDF5KeyPath.path(of: ""), "the escape is injective")
        XCTAssertEqual(try HDF5WeightReader.read(try write([("", try floats([1]))], "empty-key.h5")).keys, [""])
        XCTAssertThrowsError(try write([("", try floats([1])), (".x", try floats([1]))], "clash.h5"), "'' is a dataset, '.x' needs it as a group")
    }

    func testRootAttributesAndRoles() throws {
        let path = dir + "/attrs.h5"
        let attrs = HDF5RootAttributes(architecture: "bmshj2018-factorized", N: 8, M: 12, sourceSHA256: String(repeating: "ab", count: 32),
                                       sourceContainer: "torch-zip", producer: "Tinify test", extra: ["note": "hello", "format": "ignored"])
        try HDF5WeightWriter.write(entries: [("g_a.0.weight", try floats([1, 2])), ("entropy_bottleneck._offset", try tensor(.int32, [1], [5, 0, 0, 0]))],
                                   attributes: attrs, roles: ["g_a.0.weight": "parameter", "entropy_bottleneck._offset": "buffer"], to: path)
        let c = try HDF5WeightReader.readContents(path)
        XCTAssertEqual(c.store.container, .hdf5)
        XCTAssertEqual(c.store.attributes, [
            "format": "tinify-weights", "format_version": "1", "architecture": "bmshj2018-factorized", "N": "8", "M": "12",
            "source_sha256": String(repeating: "ab", count: 32), "source_container": "torch-zip", "producer": "Tinify test", "note": "hello",
        ])
        XCTAssertEqual(c.roles, ["g_a.0.weight": "parameter", "entropy_bottleneck._offset": "buffer"])

        // The attributes are where the layout says, with the types it says.
        let file = H5Fopen(path, chdf5_ACC_RDONLY(), chdf5_P_DEFAULT)
        XCTAssertGreaterThanOrEqual(file, 0)
        defer { H5Fclose(file) }
        let n = H5Aopen(file, "N", chdf5_P_DEFAULT)
        defer { H5Aclose(n) }
        let nt = H5Aget_type(n)
        defer { H5Tclose(nt) }
        XCTAssertEqual(H5Tget_class(nt), H5T_INTEGER)
        let d = H5Dopen2(file, "/state_dict/g_a/0/weight", chdf5_P_DEFAULT)
        XCTAssertGreaterThanOrEqual(d, 0, "dataset at the path the key makes")
        defer { H5Dclose(d) }
        for name in ["key", "dtype", "role"] { XCTAssertGreaterThan(H5Aexists(d, name), 0, name) }
    }

    func testTypesAreWhatH5pyExpects() throws {
        let path = try write([
            ("h", try tensor(.float16, [1], [0x00, 0x3C])),
            ("bf", try tensor(.bfloat16, [1], [0x80, 0x3F])),
            ("b", try tensor(.bool, [2], [0, 1])),
            ("c", try tensor(.complex64, [1], [UInt8](repeating: 0, count: 8))),
            ("s", try floats([2.5], shape: [])),
            ("e", try tensor(.float32, [0, 4], [])),
        ])
        let file = H5Fopen(path, chdf5_ACC_RDONLY(), chdf5_P_DEFAULT)
        defer { H5Fclose(file) }
        func withType(_ name: String, _ body: (hid_t) -> Void) {
            let d = H5Dopen2(file, "/state_dict/" + name, chdf5_P_DEFAULT)
            defer { H5Dclose(d) }
            let t = H5Dget_type(d)
            defer { H5Tclose(t) }
            body(t)
        }
        withType("h") { t in
            var s = 0, e = 0, es = 0, m = 0, ms = 0
            H5Tget_fields(t, &s, &e, &es, &m, &ms)
            XCTAssertEqual([H5Tget_size(t), s, e, es, m, ms, H5Tget_ebias(t)], [2, 15, 10, 5, 0, 10, 15])
        }
        withType("bf") { t in
            var s = 0, e = 0, es = 0, m = 0, ms = 0
            H5Tget_fields(t, &s, &e, &es, &m, &ms)
            XCTAssertEqual([H5Tget_size(t), s, e, es, m, ms, H5Tget_ebias(t)], [2, 15, 7, 8, 0, 7, 127])
        }
        withType("b") { t in
            XCTAssertEqual(H5Tget_class(t), H5T_ENUM)
            XCTAssertEqual(H5Tget_nmembers(t), 2)
            let base = H5Tget_super(t)
            XCTAssertEqual(H5Tget_size(base), 1)
            XCTAssertEqual(H5Tget_sign(base), H5T_SGN_2)
            H5Tclose(base)
        }
        withType("c") { t in XCTAssertEqual(H5Tget_class(t), H5T_COMPOUND) }
        let s = H5Dopen2(file, "/state_dict/s", chdf5_P_DEFAULT)
        let space = H5Dget_space(s)
        XCTAssertEqual(H5Sget_simple_extent_type(space), H5S_SCALAR, "0-d tensors are scalar dataspaces")
        H5Sclose(space)
        H5Dclose(s)
        let e = H5Dopen2(file, "/state_dict/e", chdf5_P_DEFAULT)
        let espace = H5Dget_space(e)
        var dims: [hsize_t] = [9, 9]
        H5Sget_simple_extent_dims(espace, &dims, nil)
        XCTAssertEqual(dims, [0, 4], "empty tensors keep their zero-size dimension")
        H5Sclose(espace)
        H5Dclose(e)
    }

    func testCompressionIsChunkedShuffledDeflated() throws {
        let values = (0..<65536).map { Float($0 % 17) }
        let entries: [(key: String, tensor: Tensor)] = [("w", try floats(values, shape: [256, 256])), ("s", try floats([1], shape: []))]
        let plain = try write(entries, "plain.h5")
        let packed = try write(entries, "packed.h5", compress: true)
        let plainSize = try fileBytes(plain).count, packedSize = try fileBytes(packed).count
        XCTAssertLessThan(packedSize, plainSize / 4, "gzip shrinks a repetitive tensor")
        let back = try HDF5WeightReader.read(packed)
        XCTAssertEqual(back["w"]?.sha256(), entries[0].tensor.sha256())
        XCTAssertEqual(back["s"]?.shape, [])
        let file = H5Fopen(packed, chdf5_ACC_RDONLY(), chdf5_P_DEFAULT)
        defer { H5Fclose(file) }
        let d = H5Dopen2(file, "/state_dict/w", chdf5_P_DEFAULT)
        defer { H5Dclose(d) }
        let dcpl = H5Dget_create_plist(d)
        defer { H5Pclose(dcpl) }
        XCTAssertEqual(H5Pget_layout(dcpl), H5D_CHUNKED)
        XCTAssertEqual(H5Pget_nfilters(dcpl), 2, "shuffle + deflate")
        // Plain files are contiguous, and read as zero-copy views of the mapped file.
        let mapped = try XCTUnwrap(try HDF5WeightReader.read(plain)["w"])
        XCTAssertTrue(mapped.storage.bytes.owner is MappedFile, "contiguous datasets are mapped, not copied")
        XCTAssertFalse(try XCTUnwrap(back["w"]).storage.bytes.owner is MappedFile, "compressed datasets are read")
        XCTAssertEqual(HDF5WeightWriter.chunkShape([4096, 4096], itemSize: 4).reduce(4, *), 1 << 20)
        XCTAssertEqual(HDF5WeightWriter.chunkShape([3, 5], itemSize: 4), [3, 5])
    }

    // MARK: - Files the reader must refuse or accept, made with libhdf5 directly

    /// Makes a file with `body(file)` and returns its path.
    private func makeFile(_ name: String, _ body: (hid_t) throws -> Void) rethrows -> String {
        let path = dir + "/" + name
        let file = H5Fcreate(path, chdf5_ACC_TRUNC(), chdf5_P_DEFAULT, chdf5_P_DEFAULT)
        XCTAssertGreaterThanOrEqual(file, 0)
        defer { H5Fclose(file) }
        try body(file)
        return path
    }

    private func stringAttribute(_ obj: hid_t, _ name: String, _ value: String) {
        let t = H5Tcopy(chdf5_T_C_S1())
        H5Tset_size(t, chdf5_T_VARIABLE())
        let s = H5Screate(H5S_SCALAR)
        let a = H5Acreate2(obj, name, t, s, chdf5_P_DEFAULT, chdf5_P_DEFAULT)
        value.withCString { p in
            var ptr: UnsafePointer<CChar>? = p
            H5Awrite(a, t, &ptr)
        }
        H5Aclose(a)
        H5Sclose(s)
        H5Tclose(t)
    }

    private func dataset(_ loc: hid_t, _ name: String, type: hid_t, count: Int, bytes: [UInt8]) -> hid_t {
        var dims = [hsize_t(count)]
        let s = H5Screate_simple(1, &dims, nil)
        defer { H5Sclose(s) }
        let d = H5Dcreate2(loc, name, type, s, chdf5_P_DEFAULT, chdf5_P_DEFAULT, chdf5_P_DEFAULT)
        bytes.withUnsafeBytes { _ = H5Dwrite(d, type, chdf5_S_ALL, chdf5_S_ALL, chdf5_P_DEFAULT, $0.baseAddress) }
        return d
    }

    private func assertRefused(_ path: String, _ what: String, file: StaticString = #filePath, line: UInt = #line, _ match: (HDF5Error) -> Bool) {
        XCTAssertThrowsError(try HDF5WeightReader.read(path), what, file: file, line: line) { e in
            guard let h = e as? HDF5Error else { return XCTFail("\(what): \(e)", file: file, line: line) }
            XCTAssertTrue(match(h), "\(what): wrong error \(h)", file: file, line: line)
        }
    }

    func testRefusesFilesOutsideTheLayout() throws {
        assertRefused(makeFile("none.h5") { _ in }, "no /state_dict") { if case .notWeightsLayout = $0 { return true }; return false }
        assertRefused(makeFile("other.h5") { f in stringAttribute(f, "format", "something-else"); H5Gclose(H5Gcreate2(f, "state_dict", chdf5_P_DEFAULT, chdf5_P_DEFAULT, chdf5_P_DEFAULT)) },
                      "another format") { if case .notWeightsLayout = $0 { return true }; return false }
        assertRefused(makeFile("v2.h5") { f in stringAttribute(f, "format_version", "2"); H5Gclose(H5Gcreate2(f, "state_dict", chdf5_P_DEFAULT, chdf5_P_DEFAULT, chdf5_P_DEFAULT)) },
                      "format_version 2") { if case .unsupportedFormatVersion("2") = $0 { return true }; return false }
        assertRefused(makeFile("sdset.h5") { f in H5Dclose(dataset(f, "state_dict", type: chdf5_T_STD_U8LE(), count: 1, bytes: [0])) },
                      "/state_dict is a dataset") { if case .notWeightsLayout = $0 { return true }; return false }
    }

    func testRefusesBadDatasets() throws {
        func inStateDict(_ name: String, _ body: (hid_t) -> Void) -> String {
            makeFile(name) { f in
                let g = H5Gcreate2(f, "state_dict", chdf5_P_DEFAULT, chdf5_P_DEFAULT, chdf5_P_DEFAULT)
                body(g)
                H5Gclose(g)
            }
        }
        assertRefused(inStateDict("string.h5") { g in
            let t = H5Tcopy(chdf5_T_C_S1()); H5Tset_size(t, 4)
            H5Dclose(dataset(g, "s", type: t, count: 1, bytes: Array("abcd".utf8)))
            H5Tclose(t)
        }, "string dataset") { if case .unsupportedType = $0 { return true }; return false }
        assertRefused(inStateDict("mismatch.h5") { g in
            let d = dataset(g, "x", type: chdf5_T_IEEE_F32LE(), count: 1, bytes: [0, 0, 0, 0])
            stringAttribute(d, "dtype", "int32")
            H5Dclose(d)
        }, "dtype attribute contradicts the type") { if case .dtypeMismatch(_, "int32", "float32") = $0 { return true }; return false }
        assertRefused(inStateDict("bool2.h5") { g in
            let t = H5Tenum_create(chdf5_T_STD_I8LE())
            var no: Int8 = 0, yes: Int8 = 1
            H5Tenum_insert(t, "FALSE", &no); H5Tenum_insert(t, "TRUE", &yes)
            H5Dclose(dataset(g, "b", type: t, count: 2, bytes: [1, 2]))
            H5Tclose(t)
        }, "bool holding 2") { if case .badData = $0 { return true }; return false }
        assertRefused(inStateDict("soft.h5") { g in
            H5Dclose(dataset(g, "x", type: chdf5_T_IEEE_F32LE(), count: 1, bytes: [0, 0, 0, 0]))
            H5Lcreate_soft("/state_dict/x", g, "alias", chdf5_P_DEFAULT, chdf5_P_DEFAULT)
        }, "soft link") { if case .unsupportedLink(_, "soft") = $0 { return true }; return false }
        assertRefused(inStateDict("dupkey.h5") { g in
            for n in ["x", "y"] {
                let d = dataset(g, n, type: chdf5_T_IEEE_F32LE(), count: 1, bytes: [0, 0, 0, 0])
                stringAttribute(d, "key", "same")
                H5Dclose(d)
            }
        }, "two datasets with one key") { if case .duplicateKey("same") = $0 { return true }; return false }
    }

    func testReadsBigEndianAndKeylessDatasets() throws {
        let path = makeFile("other-tool.h5") { f in
            let g = H5Gcreate2(f, "state_dict", chdf5_P_DEFAULT, chdf5_P_DEFAULT, chdf5_P_DEFAULT)
            let sub = H5Gcreate2(g, "g_a", chdf5_P_DEFAULT, chdf5_P_DEFAULT, chdf5_P_DEFAULT)
            let be = H5Tcopy(chdf5_T_STD_I32LE()); H5Tset_order(be, H5T_ORDER_BE)
            H5Dclose(dataset(sub, "w", type: be, count: 2, bytes: [0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFE]))
            H5Tclose(be)
            H5Gclose(sub)
            H5Gclose(g)
        }
        let store = try HDF5WeightReader.read(path)
        XCTAssertEqual(store.keys, ["g_a.w"], "without a key attribute the path is the key")
        let t = try XCTUnwrap(store["g_a.w"])
        XCTAssertEqual(t.dtype, .int32)
        XCTAssertEqual(t.contiguousBytes().array, [1, 0, 0, 0, 0xFE, 0xFF, 0xFF, 0xFF], "big-endian data swapped to little-endian")
    }
}
