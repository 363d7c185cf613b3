// ReaderTests: the container is recognised by content, and the same model read from the zip
// and the legacy container (or a DEFLATE-rewritten zip) gives identical tensors.
import TestSupport
import TinifyContainer
import TinifyCore
import Tinify
import TinifyWeights
import XCTest

final class ContainerTests: XCTestCase {
    func testContainerKinds() throws {
        let kinds: [(String, ContainerKind)] = [
            ("bmshj2018-hyperprior-N8-M12.pth", .torchZip),
            ("bmshj2018-hyperprior-N8-M12-legacy.pth", .torchLegacy),
            ("bmshj2018-hyperprior-N8-M12-deflated.pth", .torchZip),
            ("bmshj2018-factorized-relu-N8-M12.pth.tar", .torchZip),
            ("cheng2020-attn-N8-M8-protocol5.pth", .torchZip),
            ("mbt2018-mean-N8-M12-training.pth", .torchZip),
            ("edge-cases.pth", .torchZip),
            ("edge-cases-legacy.pth", .torchLegacy),
        ]
        for (file, kind) in kinds {
            XCTAssertEqual(try WeightFile.open(Fixtures.path(file)).container, kind, file)
        }
    }

    /// Every tensor of `a` and `b`: same keys in the same order, dtypes, shapes, and materialised bytes.
    private func assertIdentical(_ a: String, _ b: String) throws {
        let sa = try WeightFile.open(Fixtures.path(a)), sb = try WeightFile.open(Fixtures.path(b))
        XCTAssertEqual(sa.keys, sb.keys, "\(a) vs \(b): keys")
        XCTAssertGreaterThan(sa.count, 0)
        for (key, ta) in sa.entries {
            guard let tb = sb[key] else { continue }
            XCTAssertEqual(ta.dtype, tb.dtype, key)
            XCTAssertEqual(ta.shape, tb.shape, key)
            XCTAssertEqual(ta.strides, tb.strides, key)
            XCTAssertEqual(ta.contiguousBytes().array, tb.contiguousBytes().array, "\(a) vs \(b): bytes of \(key)")
        }
    }

    func testLegacyAndZipGiveIdenticalTensors() throws {
        try assertIdentical("bmshj2018-hyperprior-N8-M12.pth", "bmshj2018-hyperprior-N8-M12-legacy.pth")
        try assertIdentical("edge-cases.pth", "edge-cases-legacy.pth")
    }

    func testDeflatedAndProtocol5GiveIdenticalTensors() throws {
        try assertIdentical("bmshj2018-hyperprior-N8-M12.pth", "bmshj2018-hyperprior-N8-M12-deflated.pth")
        try assertIdentical("cheng2020-attn-N8-M8.pth", "cheng2020-attn-N8-M8-protocol5.pth")
    }

    /// Stored records are zero-copy slices of the mapping; DEFLATE records are inflated copies.
    func testStoredRecordsAreMappedAndDeflatedAreCopied() throws {
        let stored = try WeightFile.open(Fixtures.path("bmshj2018-hyperprior-N8-M12.pth"))
        for (key, t) in stored.entries where t.count > 0 {
            XCTAssertTrue(t.storage.bytes.owner is MappedFile, "\(key): a stored record should be a slice of the mapped file")
        }
        let legacy = try WeightFile.open(Fixtures.path("bmshj2018-hyperprior-N8-M12-legacy.pth"))
        for (key, t) in legacy.entries where t.count > 0 {
            XCTAssertTrue(t.storage.bytes.owner is MappedFile, "\(key): a legacy storage should be a slice of the mapped file")
        }
        let deflated = try WeightFile.open(Fixtures.path("bmshj2018-hyperprior-N8-M12-deflated.pth"))
        for (key, t) in deflated.entries where t.count > 0 {
            XCTAssertTrue(t.storage.bytes.owner is HeapBlock, "\(key): a deflated record must be inflated, never mapped")
        }
    }

    /// The zoo naming `<name>.pth.tar` makes the archive prefix a name with a dot in it.
    func testZooNamedArchive() throws {
        let s = try WeightFile.open(Fixtures.path("bmshj2018-factorized-relu-N8-M12.pth.tar"))
        XCTAssertNotNil(s["g_a.0.weight"])
        XCTAssertEqual(s.keys, try WeightFile.open(Fixtures.path("bmshj2018-factorized-relu-N8-M12.pth")).keys)
    }
}
