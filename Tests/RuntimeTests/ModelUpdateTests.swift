// `tinify update` end to end: a not-updated checkpoint in, CompressAI's CDF tables out, in every format.
import XCTest
import TestSupport
import Tinify
import TinifyCore

final class ModelUpdateTests: XCTestCase {
    func testUpdateWritesTheTablesCompressAIComputedInAnyFormat() throws {
        let dir = Fixtures.scratch("update")
        let reference = try WeightFile.open(Fixtures.path("mbt2018-N8-M12.pth"))
        for ext in ["pth", "h5", "safetensors"] {
            let out = dir + "/updated." + ext
            let s = try ModelUpdate.update(input: Fixtures.path("mbt2018-N8-M12-not-updated.pth"), output: out)
            XCTAssertEqual(s.report.architecture.rawValue, "mbt2018")
            XCTAssertEqual(s.updatedKeys.count, 7)
            let got = try WeightFile.open(out)
            XCTAssertEqual(got.count, reference.count, ext)
            for (key, t) in reference.entries {
                let g = try XCTUnwrap(got[key], "\(ext): \(key) missing")
                XCTAssertEqual(g.dtype, t.dtype, "\(ext): \(key)")
                XCTAssertEqual(g.shape, t.shape, "\(ext): \(key)")
                XCTAssertEqual(g.sha256(), t.sha256(), "\(ext): \(key) differs")
            }
        }
        // An existing output is refused without force.
        XCTAssertThrowsError(try ModelUpdate.update(input: Fixtures.path("mbt2018-N8-M12-not-updated.pth"), output: dir + "/updated.pth"))
    }

    func testHashNameAppendsTheOutputsDigest() throws {
        let dir = Fixtures.scratch("hashname")
        let s = try ModelUpdate.update(input: Fixtures.path("bmshj2018-factorized-N8-M12-not-updated.pth"),
                                       output: dir + "/factorized.pth.tar", hashName: true)
        let file = try MappedFile(path: s.output)
        let hash8 = String(SHA256Hasher.hex(of: ByteRegion(file: file).buffer).prefix(8))
        XCTAssertEqual(s.output, dir + "/factorized-\(hash8).pth.tar")
        XCTAssertEqual(ModelUpdate.hashedName("a/b.c/model.h5", "0123abcd"), "a/b.c/model-0123abcd.h5")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["factorized-\(hash8).pth.tar"])
    }
}
