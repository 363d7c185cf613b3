// FormatTests: writes are atomic — a failing write leaves neither a partial output nor a
// temporary file, an existing output survives a failed or refused write, and a successful
// write leaves exactly the output.
import Foundation
import TestSupport
import TinifyCore
import TinifyHDF5
import TinifySafetensors
import TinifyTorchWriter
import XCTest

final class AtomicWriteTests: XCTestCase {
    private struct Boom: Error {}
    private var dir = ""

    override func setUp() { dir = makeScratch("atomic") }
    override func tearDown() { removeScratch(dir) }

    func testFailingBodyLeavesNothing() throws {
        let path = dir + "/out.bin"
        XCTAssertThrowsError(try AtomicFile.write(to: path) { out in
            try out.write([UInt8](repeating: 7, count: 3 << 20))  // past the buffer: bytes reach the disk
            throw Boom()
        }) { XCTAssertTrue($0 is Boom) }
        XCTAssertEqual(listing(dir), [])
        XCTAssertThrowsError(try AtomicFile.write(to: path, byPath: { temp in
            try writeFile(temp, [1, 2, 3])
            throw Boom()
        })) { XCTAssertTrue($0 is Boom) }
        XCTAssertEqual(listing(dir), [])
    }

    func testFailedWriteKeepsTheOldOutput() throws {
        let path = dir + "/model.h5"
        try writeFile(path, Array("old".utf8))
        // Fails after libhdf5 has created and filled the temporary file (a NUL in a root attribute).
        XCTAssertThrowsError(try HDF5WeightWriter.write(entries: [("w", try floats([1]))],
                                                        attributes: HDF5RootAttributes(extra: ["note": "a\u{0}b"]), to: path)) {
            guard case HDF5Error.badAttribute? = $0 as? HDF5Error else { return XCTFail("\($0)") }
        }
        XCTAssertEqual(listing(dir), ["model.h5"])
        XCTAssertEqual(try fileBytes(path), Array("old".utf8))
        XCTAssertThrowsError(try AtomicFile.write(to: path) { out in
            try out.write([1, 2, 3])
            throw Boom()
        })
        XCTAssertEqual(try fileBytes(path), Array("old".utf8))
    }

    func testExistingOutputIsRefusedWithoutReplace() throws {
        let entries = [("w", try floats([1, 2]))]
        for name in ["a.h5", "a.pth", "a.safetensors"] {
            let path = dir + "/" + name
            try writeFile(path, Array("keep".utf8))
            let write: () throws -> Void
            switch name {
            case "a.h5": write = { try HDF5WeightWriter.write(entries: entries, attributes: HDF5RootAttributes(), to: path, replace: false) }
            case "a.pth": write = { try TorchZipWriter.write(entries: entries, to: path, replace: false) }
            default: write = { try SafetensorsWriter.write(entries: entries, to: path, replace: false) }
            }
            XCTAssertThrowsError(try write(), name) { e in
                XCTAssertTrue(String(describing: e).contains("exists"), "\(name): \(e)")
            }
            XCTAssertEqual(try fileBytes(path), Array("keep".utf8), name)
        }
        XCTAssertEqual(listing(dir), ["a.h5", "a.pth", "a.safetensors"], "no temporaries left")
    }

    func testSuccessfulWritesReplaceAndLeaveOnlyTheOutput() throws {
        let entries = [("w", try floats([1, 2]))]
        let h5 = dir + "/m.h5", pth = dir + "/m.pth", st = dir + "/m.safetensors"
        for p in [h5, pth, st] { try writeFile(p, Array("old".utf8)) }
        try HDF5WeightWriter.write(entries: entries, attributes: HDF5RootAttributes(), to: h5)
        try TorchZipWriter.write(entries: entries, to: pth)
        try SafetensorsWriter.write(entries: entries, to: st)
        XCTAssertEqual(listing(dir), ["m.h5", "m.pth", "m.safetensors"])
        XCTAssertEqual(Array(try fileBytes(h5).prefix(4)), [0x89, 0x48, 0x44, 0x46])
        XCTAssertEqual(Array(try fileBytes(pth).prefix(4)), [0x50, 0x4B, 0x03, 0x04])
    }

    func testUnwritableDestinations() throws {
        XCTAssertThrowsError(try SafetensorsWriter.write(entries: [], to: dir + "/missing/x.safetensors")) {
            guard case SafetensorsError.file(.cannotWrite)? = $0 as? SafetensorsError else { return XCTFail("\($0)") }
        }
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: false)
        XCTAssertThrowsError(try TorchZipWriter.write(entries: [], to: dir + "/sub")) {
            guard case TorchWriterError.file(.cannotWrite)? = $0 as? TorchWriterError else { return XCTFail("\($0)") }
        }
        XCTAssertEqual(listing(dir), ["sub"])
        XCTAssertEqual(listing(dir + "/sub"), [])
    }
}
