// FormatTests: the torch zip writer's archive, byte by byte: record order and contents, stored
// records with 64-byte-aligned data behind `FB` padding, CRC-32s checked by an independent
// bitwise implementation, the central directory and ZIP64 end records, and the pickle's globals.
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TestSupport
import TinifyCore
import Tinify
@testable import TinifyTorchWriter
import TinifyWeights
import XCTest

final class TorchWriterTests: XCTestCase {
    /// A plain bitwise CRC-32, independent of the writer's slicing-by-8 tables.
    private func bitwiseCRC(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0xEDB8_8320 : c >> 1 }
        }
        return c ^ 0xFFFF_FFFF
    }

    private func u16(_ b: [UInt8], _ o: Int) -> Int { Int(b[o]) | Int(b[o + 1]) << 8 }
    private func u32(_ b: [UInt8], _ o: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(b[o + $1]) << (8 * UInt32($1)) } }
    private func u64(_ b: [UInt8], _ o: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(b[o + $1]) << (8 * UInt64($1)) } }

    func testCRCKnownAnswers() {
        XCTAssertEqual(CRC32.of(UnsafeRawBufferPointer(start: nil, count: 0)), 0)
        Array("123456789".utf8).withUnsafeBytes { XCTAssertEqual(CRC32.of($0), 0xCBF4_3926) }
        let long = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        long.withUnsafeBytes { XCTAssertEqual(CRC32.of($0), bitwiseCRC(long[...])) }
    }

    func testArchiveLayout() throws {
        let dir = makeScratch("torchzip")
        defer { removeScratch(dir) }
        let entries: [(key: String, tensor: Tensor)] = [
            ("w", try floats([1, 2, 3, 4, 5], shape: [5])),
            ("bf", try tensor(.bfloat16, [2], [0x80, 0x3F, 0x00, 0xC0])),
            ("flag", try tensor(.bool, [3], [1, 0, 1])),
            ("u", try tensor(.uint16, [2], [1, 0, 0xFF, 0xFF])),
            ("scalar", try floats([7], shape: [])),
            ("empty", try tensor(.float32, [0, 3_000_000_000], [])),
            ("κλειδί", try tensor(.int8, [1], [0x80])),
        ]
        let path = dir + "/m.pth"
        try TorchZipWriter.write(entries: entries, to: path)
        let b = try fileBytes(path)

        // Local records, in order, from offset 0.
        var names: [String] = []
        var records: [String: ArraySlice<UInt8>] = [:]
        var offsets: [String: Int] = [:]
        var o = 0
        while u32(b, o) == 0x0403_4B50 {
            XCTAssertEqual(u16(b, o + 8), 0, "stored")
            let crc = u32(b, o + 14), csize = Int(u32(b, o + 18)), usize = Int(u32(b, o + 22))
            let nameLen = u16(b, o + 26), extraLen = u16(b, o + 28)
            let name = String(decoding: b[(o + 30)..<(o + 30 + nameLen)], as: UTF8.self)
            let extra = Array(b[(o + 30 + nameLen)..<(o + 30 + nameLen + extraLen)])
            XCTAssertEqual(Array(extra.prefix(2)), Array("FB".utf8), "\(name): FB padding field")
            XCTAssertEqual(u16(extra, 2), extraLen - 4)
            XCTAssertTrue(extra.dropFirst(4).allSatisfy { $0 == UInt8(ascii: "Z") })
            let data = o + 30 + nameLen + extraLen
            XCTAssertEqual(data % 64, 0, "\(name): data 64-byte aligned")
            XCTAssertEqual(csize, usize)
            let body = b[data..<(data + usize)]
            XCTAssertEqual(bitwiseCRC(body), crc, "\(name): CRC-32")
            names.append(name)
            records[name] = body
            offsets[name] = o
            o = data + usize
        }
        XCTAssertEqual(names, ["archive/data.pkl", "archive/.format_version", "archive/.storage_alignment", "archive/byteorder"]
                       + (0..<entries.count).map { "archive/data/\($0)" } + ["archive/version", "archive/.data/serialization_id"])
        XCTAssertEqual(records["archive/version"].map { Array($0) }, Array("3\n".utf8))
        XCTAssertEqual(records["archive/byteorder"].map { Array($0) }, Array("little".utf8))
        XCTAssertEqual(records["archive/.format_version"].map { Array($0) }, Array("1".utf8))
        XCTAssertEqual(records["archive/.storage_alignment"].map { Array($0) }, Array("64".utf8))
        let sid = try XCTUnwrap(records["archive/.data/serialization_id"])
        XCTAssertEqual(sid.count, 40)
        XCTAssertTrue(sid.allSatisfy { $0 >= 0x30 && $0 <= 0x39 })
        XCTAssertEqual(records["archive/data/0"].map { Array($0) }, entries[0].tensor.contiguousBytes().array)
        XCTAssertEqual(records["archive/data/5"]?.count, 0, "empty tensor, empty record")

        // Central directory, then ZIP64 end record + locator, then the end record.
        var cd = o
        var centralNames: [String] = []
        while u32(b, cd) == 0x0201_4B50 {
            let nameLen = u16(b, cd + 28), extraLen = u16(b, cd + 30), commentLen = u16(b, cd + 32)
            let name = String(decoding: b[(cd + 46)..<(cd + 46 + nameLen)], as: UTF8.self)
            XCTAssertEqual(Int(u32(b, cd + 42)), offsets[name], "\(name): local header offset")
            XCTAssertEqual(u32(b, cd + 16), u32(b, (offsets[name] ?? 0) + 14), "\(name): central CRC")
            centralNames.append(name)
            cd += 46 + nameLen + extraLen + commentLen
        }
        XCTAssertEqual(centralNames, names)
        XCTAssertEqual(u32(b, cd), 0x0606_4B50, "ZIP64 end record")
        XCTAssertEqual(u64(b, cd + 32), UInt64(names.count))
        XCTAssertEqual(u64(b, cd + 48), UInt64(o), "central directory offset")
        XCTAssertEqual(u32(b, cd + 56), 0x0706_4B50, "ZIP64 locator")
        XCTAssertEqual(u64(b, cd + 64), UInt64(cd))
        XCTAssertEqual(u32(b, cd + 76), 0x0605_4B50, "end record")
        XCTAssertEqual(cd + 76 + 22, b.count, "nothing after the end record")

        // The pickle: protocol 2, torch's globals, nothing else.
        let pkl = try XCTUnwrap(records["archive/data.pkl"]).map { $0 }
        XCTAssertEqual(Array(pkl.prefix(2)), [0x80, 0x02])
        XCTAssertEqual(pkl.last, 0x2E)
        let text = String(decoding: pkl, as: UTF8.self)
        for g in ["collections\nOrderedDict\n", "torch._utils\n_rebuild_tensor_v2\n", "torch\nFloatStorage\n", "torch\nBFloat16Storage\n",
                  "torch\nBoolStorage\n", "torch\nCharStorage\n", "torch._utils\n_rebuild_tensor_v3\n", "torch.storage\nUntypedStorage\n", "torch\nuint16\n"] {
            XCTAssertTrue(text.contains(g), "pickle lacks \(g.replacingOccurrences(of: "\n", with: " "))")
        }

        // Tinify's own reader gets everything back, dtypes included.
        let back = try WeightFile.open(path)
        XCTAssertEqual(back.keys, entries.map(\.key))
        for (k, t) in entries {
            XCTAssertEqual(back[k]?.dtype, t.dtype, k)
            XCTAssertEqual(back[k]?.shape, t.shape, k)
            XCTAssertEqual(back[k]?.sha256(), t.sha256(), k)
        }
    }

    /// Records whose headers lie past 4 GiB carry their offsets in ZIP64 extras; the archive is
    /// made sparse (a 4 GiB hole before the tensor records) so the test stays small on disk.
    func testRecordsPast4GiBUseZip64Offsets() throws {
        let dir = makeScratch("zip64")
        defer { removeScratch(dir) }
        let probe = dir + "/probe"
        let fd = open(probe, O_WRONLY | O_CREAT, 0o644)
        XCTAssertGreaterThanOrEqual(fd, 0)
        _ = ftruncate(fd, 1 << 30)
        close(fd)
        var st = stat()
        _ = stat(probe, &st)
        unlink(probe)
        guard st.st_blocks * 512 < 1 << 20 else { throw XCTSkip("the scratch file system does not make sparse files") }

        let entries: [(key: String, tensor: Tensor)] = [("w", try floats([1, 2, 3])), ("flag", try tensor(.bool, [2], [1, 0]))]
        let path = dir + "/far.pth"
        try AtomicFile.write(to: path) { out in
            try TorchZipWriter.write(entries: entries, to: out, progress: nil, holeBeforeData: (1 << 32) + 100)
        }
        let back = try WeightFile.open(path)
        XCTAssertEqual(back.keys, ["w", "flag"])
        for (k, t) in entries { XCTAssertEqual(back[k]?.sha256(), t.sha256(), k) }

        guard let python = Run.python() else { return }
        let check = """
            import sys, zipfile
            z = zipfile.ZipFile(sys.argv[1])
            assert z.testzip() is None, "bad CRC"
            infos = z.infolist()
            far = [i.filename for i in infos if i.header_offset > 2**32]
            assert far == ["archive/data/0", "archive/data/1", "archive/version", "archive/.data/serialization_id"], far
            print("zip64 ok", len(infos))
            try:
                import torch
            except ImportError:
                sys.exit(0)
            sd = torch.load(sys.argv[1], weights_only=True)
            assert sd["w"].tolist() == [1.0, 2.0, 3.0] and sd["flag"].tolist() == [True, False], sd
            print("torch ok")
            """
        let r = try Run.process(python, ["-c", check, path])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("zip64 ok 8"), r.stdout + r.stderr)
    }

    func testDuplicateKeysAreRefused() throws {
        let dir = makeScratch("torchdup")
        defer { removeScratch(dir) }
        XCTAssertThrowsError(try TorchZipWriter.write(entries: [("a", try floats([1])), ("a", try floats([1]))], to: dir + "/d.pth")) {
            guard case TorchWriterError.duplicateKey("a")? = $0 as? TorchWriterError else { return XCTFail("\($0)") }
        }
        XCTAssertEqual(listing(dir), [])
    }
}
