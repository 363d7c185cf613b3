// FormatTests: the safetensors reader refuses hostile headers with specific errors (as the
// reference implementation does), and the writer lays files out as the reference does.
import Foundation
import TestSupport
import TinifyCore
import TinifySafetensors
import TinifyWeights
import XCTest

final class SafetensorsTests: XCTestCase {
    /// A file image: 8-byte length, `header`, then `data`.
    private func image(_ header: String, _ data: [UInt8] = [], declared: UInt64? = nil) -> ByteRegion {
        let h = Array(header.utf8)
        let n = declared ?? UInt64(h.count)
        return ByteRegion((0..<8).map { UInt8(truncatingIfNeeded: n >> (8 * UInt64($0))) } + h + data)
    }

    private func refused(_ region: ByteRegion, _ what: String, file: StaticString = #filePath, line: UInt = #line,
                         _ match: (SafetensorsError) -> Bool) {
        do {
            _ = try SafetensorsReader.parse(region)
            XCTFail("\(what): accepted", file: file, line: line)
        } catch let e as SafetensorsError {
            XCTAssertTrue(match(e), "\(what): wrong error \(e)", file: file, line: line)
            XCTAssertFalse(e.description.contains("\n"), "one line", file: file, line: line)
        } catch {
            XCTFail("\(what): not a SafetensorsError: \(error)", file: file, line: line)
        }
    }

    private let eightBytes = [UInt8](repeating: 0, count: 8)

    func testValidMinimalFiles() throws {
        let empty = try SafetensorsReader.parse(image("{}"))
        XCTAssertEqual(empty.entries.count, 0)
        XCTAssertNil(empty.metadata)
        let padded = try SafetensorsReader.parse(image(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}      "#, eightBytes))
        XCTAssertEqual(padded.entries.map(\.key), ["a"])
        XCTAssertEqual(padded.entries.first?.tensor.shape, [2])
        let meta = try SafetensorsReader.parse(image(#"{"__metadata__":{"k":"v\u00e9\n"},"s":{"dtype":"BOOL","shape":[],"data_offsets":[0,1]},"x":{"dtype":"I8","shape":[0,3],"data_offsets":[1,1],"extra":[1,{"a":null}]}}"#, [1]))
        XCTAssertEqual(meta.metadata, ["k": "vé\n"])
        XCTAssertEqual(meta.entries.map(\.key), ["s", "x"], "header order")
        XCTAssertEqual(meta.entries[0].tensor.shape, [])
        XCTAssertEqual(meta.entries[1].tensor.count, 0)
        // Zero-copy: the tensor's bytes lie inside the file image.
        let region = image(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, eightBytes)
        let t = try XCTUnwrap(try SafetensorsReader.parse(region).entries.first?.tensor)
        XCTAssertTrue(t.storage.bytes.owner === region.owner, "tensor is a view of the file, not a copy")
    }

    func testSizeAndEncodingRefusals() {
        refused(ByteRegion([1, 2, 3]), "short file") { if case .tooSmall(3) = $0 { return true }; return false }
        refused(image("{}", declared: 100_000_001), "header over the limit") { if case .headerTooLarge(100_000_001, _) = $0 { return true }; return false }
        refused(image("{}", declared: UInt64.max), "header length 2^64-1") { if case .headerTooLarge = $0 { return true }; return false }
        refused(image("{}", declared: 3), "header past the end") { if case .headerPastEnd(3, 2) = $0 { return true }; return false }
        var bad = Array("{\"a\u{1}\":1}".utf8)
        bad[2] = 0xFF
        refused(ByteRegion((0..<8).map { UInt8(truncatingIfNeeded: UInt64(bad.count) >> (8 * UInt64($0))) } + bad), "invalid UTF-8") {
            if case .headerNotUTF8 = $0 { return true }; return false
        }
        refused(image(" {}"), "leading space") { if case .headerStart(0x20) = $0 { return true }; return false }
        refused(image("[]"), "array header") { if case .headerStart = $0 { return true }; return false }
    }

    func testJSONRefusals() {
        func json(_ header: String, _ what: String, data: [UInt8] = []) {
            refused(image(header, data), what) { if case .json = $0 { return true }; return false }
        }
        json(#"{"a":{"dtype":"F32","shape":[],"data_offsets":[0,4]},}"#, "trailing comma", data: [0, 0, 0, 0])
        json(#"{"a":{"dtype":"F32","shape":[]"#, "unterminated object")
        json(#"{"a"}"#, "missing colon")
        json("{}x", "trailing characters")
        json("{}\0\0\0\0\0", "NUL padding")
        json(#"{"\ud800":1}"#, "lone surrogate")
        json(#"{"a\x":1}"#, "bad escape")
        json("{\"a\tb\":1}", "raw control character")
        json(#"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}"#, "negative dimension")
        json(#"{"a":{"dtype":"F32","shape":[1.0],"data_offsets":[0,4]}}"#, "fractional dimension", data: [0, 0, 0, 0])
        json(#"{"a":{"dtype":"F32","shape":[01],"data_offsets":[0,4]}}"#, "leading zero", data: [0, 0, 0, 0])
        json(#"{"a":{"dtype":"F32","shape":[99999999999999999999],"data_offsets":[0,4]}}"#, "huge integer")
        let deep = "{\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4],\"x\":" + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "}}"
        refused(image(deep, [0, 0, 0, 0]), "nesting bomb") { if case .tooDeep = $0 { return true }; return false }
    }

    func testSchemaRefusals() {
        let f32x2 = #""dtype":"F32","shape":[2],"data_offsets":[0,8]"#
        refused(image("{\"a\":{\(f32x2)},\"a\":{\(f32x2)}}", eightBytes), "duplicate key") { if case .duplicateKey("a") = $0 { return true }; return false }
        refused(image(#"{"a":{"dtype":"F32","dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, eightBytes), "duplicate field") {
            if case .badEntry("a", _) = $0 { return true }; return false
        }
        refused(image(#"{"a":{"shape":[2],"data_offsets":[0,8]}}"#, eightBytes), "missing dtype") { if case .badEntry("a", _) = $0 { return true }; return false }
        refused(image(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8,9]}}"#, eightBytes), "3 offsets") { if case .badEntry("a", _) = $0 { return true }; return false }
        refused(image(#"{"a":[1]}"#), "entry not an object") { if case .badEntry("a", _) = $0 { return true }; return false }
        refused(image(#"{"a":{"dtype":"F128","shape":[2],"data_offsets":[0,8]}}"#, eightBytes), "unknown dtype") {
            if case .unknownDType("a", "F128") = $0 { return true }; return false
        }
        refused(image(#"{"a":{"dtype":"F8_E4M3","shape":[8],"data_offsets":[0,8]}}"#, eightBytes), "float8") {
            if case .unsupportedDType("a", "F8_E4M3") = $0 { return true }; return false
        }
        refused(image(#"{"__metadata__":{"k":1}}"#), "metadata value not a string") { if case .badMetadata = $0 { return true }; return false }
        refused(image(#"{"__metadata__":[]}"#), "metadata not an object") { if case .badMetadata = $0 { return true }; return false }
        refused(image(#"{"__metadata__":{"k":"a","k":"b"}}"#), "duplicate metadata key") { if case .duplicateKey = $0 { return true }; return false }
    }

    func testOffsetAndSizeRefusals() {
        refused(image(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, [0, 0, 0, 0]), "size mismatch") {
            if case .sizeMismatch("a", 8, 4) = $0 { return true }; return false
        }
        refused(image(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, eightBytes), "hole at the start") {
            if case .invalidOffset("a", 4, 0) = $0 { return true }; return false
        }
        refused(image(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, eightBytes + [0, 0, 0, 0]), "overlap") {
            if case .invalidOffset("b", 4, 8) = $0 { return true }; return false
        }
        refused(image(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}}"#, eightBytes), "end before begin") {
            if case .invalidOffset = $0 { return true }; return false
        }
        refused(image(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, eightBytes), "bytes after the last tensor") {
            if case .incompleteBuffer(4, 8) = $0 { return true }; return false
        }
        refused(image(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, [0, 0, 0, 0]), "file ends early") {
            if case .incompleteBuffer(8, 4) = $0 { return true }; return false
        }
        refused(image(#"{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,0]}}"#), "element count overflow") {
            if case .overflow("a") = $0 { return true }; return false
        }
    }

    func testHostileFilesOnDiskGiveOneLineErrors() throws {
        let dir = makeScratch("st-hostile")
        defer { removeScratch(dir) }
        let path = dir + "/bad.safetensors"
        try writeFile(path, image(#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, eightBytes).array)
        XCTAssertThrowsError(try SafetensorsReader.read(path)) { e in
            guard case SafetensorsError.sizeMismatch("a", 12, 8)? = e as? SafetensorsError else { return XCTFail("\(e)") }
        }
        let r = try Run.tinify(["inspect", path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.hasPrefix("error: \(path): safetensors: tensor 'a'"), r.stderr)
        XCTAssertEqual(r.stderr.filter { $0 == "\n" }.count, 1, r.stderr)
    }

    // MARK: - Writer

    func testWriterLayoutMatchesTheReference() throws {
        let entries: [(key: String, tensor: Tensor)] = [
            ("z.byte", try tensor(.uint8, [3], [1, 2, 3])),
            ("b.half", try tensor(.float16, [1], [0, 0x3C])),
            ("a.double", try tensor(.float64, [1], [UInt8](repeating: 0, count: 8))),
            ("c.float", try floats([1, 2])),
            ("a.float", try floats([3])),
            ("flag", try tensor(.bool, [], [1])),
        ]
        let plan = try SafetensorsWriter.layout(entries: entries, metadata: ["format": "pt"])
        XCTAssertEqual(plan.header.count % 8, 0, "header padded to a multiple of 8")
        XCTAssertEqual(plan.order.map { entries[$0].key }, ["a.double", "a.float", "c.float", "b.half", "flag", "z.byte"],
                       "descending alignment, then name")
        let text = String(decoding: plan.header, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix(#"{"__metadata__":{"format":"pt"},"a.double":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}"#), text)
        XCTAssertTrue(text.hasSuffix(" ") || plan.header.count % 8 == 0)
        XCTAssertEqual(text.trimmingCharacters(in: .whitespaces).last, "}")

        let dir = makeScratch("st-writer")
        defer { removeScratch(dir) }
        let path = dir + "/w.safetensors"
        try SafetensorsWriter.write(entries: entries, metadata: ["format": "pt"], to: path)
        let bytes = try fileBytes(path)
        let n = (0..<8).reduce(0) { $0 | Int(bytes[$1]) << (8 * $1) }
        XCTAssertEqual(n, plan.header.count)
        XCTAssertEqual(Array(bytes[8..<(8 + n)]), plan.header)
        let parsed = try SafetensorsReader.parseHeader(ByteRegion(bytes))
        for e in parsed.entries {
            XCTAssertEqual((8 + n + e.begin) % e.dtype.itemSize, 0, "\(e.key) is naturally aligned in the file")
        }
        let back = try SafetensorsReader.read(path)
        XCTAssertEqual(back.attributes, ["format": "pt"])
        for (k, t) in entries { XCTAssertEqual(back[k]?.sha256(), t.sha256(), k) }
    }

    func testWriterEscapesNamesAndRefusesWhatItCannotWrite() throws {
        let odd = "quote\" back\\slash\nnew\tline \u{1} κλειδί 🎉"
        let dir = makeScratch("st-names")
        defer { removeScratch(dir) }
        let path = dir + "/n.safetensors"
        try SafetensorsWriter.write(entries: [(odd, try floats([1]))], metadata: [odd: odd], to: path)
        let back = try SafetensorsReader.read(path)
        XCTAssertEqual(back.keys, [odd])
        XCTAssertEqual(back.attributes, [odd: odd])

        XCTAssertThrowsError(try SafetensorsWriter.write(entries: [("a", try floats([1])), ("a", try floats([2]))], to: dir + "/d.safetensors")) {
            guard case SafetensorsError.duplicateKey("a")? = $0 as? SafetensorsError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try SafetensorsWriter.write(entries: [("__metadata__", try floats([1]))], to: dir + "/m.safetensors")) {
            guard case SafetensorsError.reservedName? = $0 as? SafetensorsError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try SafetensorsWriter.write(entries: [("c", try tensor(.complex128, [1], [UInt8](repeating: 0, count: 16)))], to: dir + "/c.safetensors")) {
            guard case SafetensorsError.cannotWriteDType("c", .complex128)? = $0 as? SafetensorsError else { return XCTFail("\($0)") }
        }
        XCTAssertEqual(listing(dir), ["n.safetensors"], "refused writes leave nothing")
    }
}
