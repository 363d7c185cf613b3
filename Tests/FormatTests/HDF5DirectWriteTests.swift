// FormatTests: the HDF5 writer's direct fill — contiguous datasets are allocated by libhdf5 and
// their bytes put in place by Tinify (`copy_file_range` from a mapped source, `pwrite` otherwise).
// Every kind of tensor (slices of a mapped file at odd offsets, views, big-endian storages, heap
// tensors, scalars, empty tensors) reads back bit-exact through libhdf5's own `H5Dread`, and a
// source replaced after it was mapped is never copied from.
import CHDF5
import Foundation
import TestSupport
import TinifyCore
import TinifyHDF5
import Tinify
import TinifyWeights
import XCTest

final class HDF5DirectWriteTests: XCTestCase {
    private var dir = ""

    override func setUp() {
        dir = makeScratch("direct")
        H5Eset_auto2(chdf5_E_DEFAULT, nil, nil)
    }

    override func tearDown() { removeScratch(dir) }

    /// A source file of `count` distinct bytes, mapped.
    private func mappedSource(_ name: String, count: Int, seed: UInt8 = 0) throws -> MappedFile {
        let path = dir + "/" + name
        try writeFile(path, (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ $0 >> 8 &+ Int(seed)) })
        return try MappedFile(path: path)
    }

    /// The dataset's elements as libhdf5 reads them (`H5Dread` in the stored type), no mapping involved.
    private func h5read(_ path: String, _ key: String, bytes: Int) throws -> [UInt8] {
        let file = H5Fopen(path, chdf5_ACC_RDONLY(), chdf5_P_DEFAULT)
        guard file >= 0 else { throw FormatTestFailure("H5Fopen") }
        defer { H5Fclose(file) }
        let d = H5Dopen2(file, "/state_dict/" + HDF5KeyPath.path(of: key), chdf5_P_DEFAULT)
        guard d >= 0 else { throw FormatTestFailure("H5Dopen2 \(key)") }
        defer { H5Dclose(d) }
        let t = H5Dget_type(d)
        defer { H5Tclose(t) }
        var out = [UInt8](repeating: 0xAA, count: max(bytes, 1))
        if bytes > 0 {
            let status = out.withUnsafeMutableBytes { H5Dread(d, t, chdf5_S_ALL, chdf5_S_ALL, chdf5_P_DEFAULT, $0.baseAddress) }
            guard status >= 0 else { throw FormatTestFailure("H5Dread \(key)") }
        }
        return Array(out.prefix(bytes))
    }

    func testEveryKindOfTensorLandsBitExact() throws {
        let source = try mappedSource("source.bin", count: 3 << 20)
        let whole = ByteRegion(file: source)
        func storage(_ offset: Int, _ length: Int, order: ByteOrder = .little) throws -> TensorStorage {
            TensorStorage(key: "s\(offset)", bytes: try XCTUnwrap(whole.slice(offset, length)), byteOrder: order)
        }
        let big = try storage(4096 * 3 + 68, 2 << 20)  // a large slice at an offset that is not page-aligned
        let entries: [(key: String, tensor: Tensor)] = [
            ("mapped.big", try Tensor(storage: big, dtype: .float32, shape: [512, 1024], strides: [1024, 1], offset: 0)),
            ("mapped.view_offset", try Tensor(storage: big, dtype: .float32, shape: [3, 5], strides: [5, 1], offset: 777)),
            ("mapped.transposed", try Tensor(storage: big, dtype: .float32, shape: [7, 9], strides: [1, 7], offset: 3)),
            ("mapped.expanded", try Tensor(storage: big, dtype: .int16, shape: [4, 6], strides: [0, 1], offset: 1)),
            ("mapped.big_endian", try Tensor(storage: try storage(101, 400, order: .big), dtype: .int32, shape: [100], strides: [1], offset: 0)),
            ("mapped.bfloat16", try Tensor(storage: try storage(3, 64), dtype: .bfloat16, shape: [2, 16], strides: [16, 1], offset: 0)),
            ("mapped.bool", try Tensor(storage: TensorStorage(key: "b", bytes: ByteRegion([0, 1, 1, 0, 1])), dtype: .bool, shape: [5], strides: [1], offset: 0)),
            ("mapped.scalar", try Tensor(storage: try storage(1 << 20, 8), dtype: .float64, shape: [], strides: [], offset: 0)),
            ("mapped.empty", try Tensor(storage: try storage(10, 0), dtype: .float32, shape: [0, 3], strides: [3, 1], offset: 0)),
            ("heap.values", try floats((0..<1000).map { Float($0) / 7 })),
        ]
        let range = try XCTUnwrap(big.bytes.fileRange, "a slice of a mapped file knows its file offset")
        XCTAssertTrue(range.file === source)
        XCTAssertEqual(range.offset, 4096 * 3 + 68)
        XCTAssertNil(try floats([1]).storage.bytes.fileRange, "heap memory has no file offset")

        let out = dir + "/direct.h5"
        var reports: [(Int, Int)] = []
        try HDF5WeightWriter.write(entries: entries, attributes: HDF5RootAttributes(), to: out, progress: { reports.append(($0, $1)) })
        let total = entries.reduce(0) { $0 + $1.tensor.byteCount }
        XCTAssertEqual(reports.last?.0, total, "progress reaches the total")
        XCTAssertEqual(reports.last?.1, total)
        XCTAssertEqual(reports.map(\.0), reports.map(\.0).sorted(), "progress only grows")

        let back = try HDF5WeightReader.read(out)
        XCTAssertEqual(back.keys, entries.map(\.key))
        for (key, t) in entries {
            let want = t.contiguousBytes().array
            XCTAssertEqual(try h5read(out, key, bytes: want.count), want, "\(key): libhdf5 reads the tensor's elements")
            XCTAssertEqual(back[key]?.contiguousBytes().array, want, "\(key): Tinify reads them back")
            XCTAssertEqual(back[key]?.shape, t.shape, key)
            XCTAssertEqual(back[key]?.dtype, t.dtype, key)
        }
        XCTAssertEqual(listing(dir), ["direct.h5", "source.bin"], "no temporary file left")
    }

    func testASourceReplacedAfterMappingIsNotCopiedFrom() throws {
        let source = try mappedSource("model.bin", count: 1 << 20, seed: 1)
        XCTAssertNotNil(source.openDescriptor().map { close($0) }, "the unchanged file reopens as itself")
        let t = try Tensor(storage: TensorStorage(key: "0", bytes: ByteRegion(file: source)), dtype: .float32, shape: [1 << 18], strides: [1], offset: 0)
        let want = t.contiguousBytes().array

        // Another file now has the name (same size): the writer must use the mapped bytes.
        try writeFile(dir + "/other.bin", [UInt8](repeating: 0x5A, count: 1 << 20))
        XCTAssertEqual(rename(dir + "/other.bin", dir + "/model.bin"), 0)
        XCTAssertNil(source.openDescriptor(), "a replaced file is not the mapped one")
        let out = dir + "/replaced.h5"
        try HDF5WeightWriter.write(entries: [("w", t)], attributes: HDF5RootAttributes(), to: out)
        XCTAssertEqual(try h5read(out, "w", bytes: want.count), want)
        XCTAssertEqual(SHA256Hasher.hex(of: source), want.withUnsafeBytes { SHA256Hasher.hex(of: $0) },
                       "the source hash is of the mapped file too")
    }

    func testSourceHashOfAFileMatchesKnownDigests() throws {
        // FIPS 180-2 test vectors, hashed through the file path (populated mapping) and the
        // in-memory path; the early callback sees the same digest.
        let vectors: [(String, String)] = [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ]
        for (i, (text, digest)) in vectors.enumerated() {
            let path = dir + "/vector\(i)"
            try writeFile(path, Array(text.utf8))
            var early: String?
            XCTAssertEqual(SHA256Hasher.hex(of: try MappedFile(path: path)) { early = $0 }, digest, text)
            XCTAssertEqual(early, digest, text)
            XCTAssertEqual(Array(text.utf8).withUnsafeBytes { SHA256Hasher.hex(of: $0) }, digest, text)
        }
    }

    func testConvertRecordsTheSourceHashAndReplacesAtomically() throws {
        let input = Fixtures.path("mbt2018-N8-M12.pth")
        let out = dir + "/model.h5"
        try writeFile(out, Array("old".utf8))
        XCTAssertThrowsError(try WeightConversion.convert(input: input, output: out)) {
            guard case FileError.outputExists? = $0 as? FileError else { return XCTFail("\($0)") }
        }
        XCTAssertEqual(try fileBytes(out), Array("old".utf8), "refused without force")
        let summary = try WeightConversion.convert(input: input, output: out, force: true)
        XCTAssertEqual(summary.format, .hdf5)
        let c = try HDF5WeightReader.readContents(out)
        XCTAssertEqual(c.store.attributes["source_sha256"], SHA256Hasher.hex(of: try MappedFile(path: input)))
        XCTAssertEqual(c.store.attributes["architecture"], "mbt2018")
        XCTAssertEqual(c.store.count, summary.tensors)
        let source = try WeightFile.open(input)
        for (key, t) in c.store.entries {
            let original = try XCTUnwrap(source[key], "\(key): the fixture's keys are canonical")
            XCTAssertEqual(t.sha256(), original.sha256(), key)
        }
        XCTAssertEqual(listing(dir), ["model.h5"], "no temporary file left")
    }
}

