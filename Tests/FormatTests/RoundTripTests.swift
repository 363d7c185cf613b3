// FormatTests: every fixture round-trips pth → h5 → pth → safetensors → h5 (gzip) with every
// tensor bit-exact and its dtype kept, checked against the manifests at each stage.
import Foundation
import TestSupport
import TinifyContainer
import TinifyCore
import TinifyHDF5
import Tinify
import TinifySafetensors
import TinifyTorchWriter
import TinifyWeights
import XCTest

final class RoundTripTests: XCTestCase {
    func testEveryFixtureRoundTripsBitExact() throws {
        let manifests = try Manifests.all()
        XCTAssertGreaterThanOrEqual(manifests.count, 30, "the corpus lost files")
        XCTAssertNotNil(manifests["edge-cases.pth"])
        XCTAssertNotNil(manifests["edge-cases-legacy.pth"])
        let dir = makeScratch("roundtrip")
        defer { removeScratch(dir) }
        for (file, manifest) in manifests.sorted(by: { $0.key < $1.key }) {
            let source = try WeightFile.open(Fixtures.path(file))
            assertMatches(source, manifest, "\(file) source")

            let h5 = dir + "/\(file).h5"
            try HDF5WeightWriter.write(entries: source.entries, attributes: HDF5RootAttributes(sourceContainer: source.container.rawValue),
                                       to: h5)
            let s1 = try WeightFile.open(h5)
            XCTAssertEqual(s1.container, .hdf5)
            assertMatches(s1, manifest, "\(file) → h5")
            XCTAssertEqual(s1.keys, source.keys, "\(file): the h5 keeps the key order")

            let pth = dir + "/\(file).pth"
            try TorchZipWriter.write(entries: s1.entries, to: pth)
            let s2 = try WeightFile.open(pth)
            XCTAssertEqual(s2.container, .torchZip)
            assertMatches(s2, manifest, "\(file) → h5 → pth")
            XCTAssertEqual(s2.keys, source.keys, "\(file): the pth keeps the key order")

            let st = dir + "/\(file).safetensors"
            try SafetensorsWriter.write(entries: s2.entries, metadata: ["source": file], to: st)
            let s3 = try WeightFile.open(st)
            XCTAssertEqual(s3.container, .safetensors)
            XCTAssertEqual(s3.attributes, ["source": file])
            assertMatches(s3, manifest, "\(file) → h5 → pth → safetensors")

            let h5z = dir + "/\(file).gz.h5"
            try HDF5WeightWriter.write(entries: s3.entries, attributes: HDF5RootAttributes(), to: h5z, compress: true)
            let s4 = try WeightFile.open(h5z)
            assertMatches(s4, manifest, "\(file) → h5 → pth → safetensors → h5 (gzip)")
            for path in [h5, pth, st, h5z] { try FileManager.default.removeItem(atPath: path) }
        }
        XCTAssertEqual(listing(dir), [], "no temporary files left behind")
    }

    /// Views (transposed, sliced, expanded, shared storage) are materialised: the outputs hold
    /// contiguous tensors, each with its own storage, with the view's values.
    func testViewsAreMaterialised() throws {
        let source = try WeightFile.open(Fixtures.path("edge-cases.pth"))
        let transposed = try XCTUnwrap(source["tensors.transposed"])
        XCTAssertFalse(transposed.isContiguous, "the fixture's view is not a view any more")
        let dir = makeScratch("views")
        defer { removeScratch(dir) }
        for (name, write) in [
            ("v.pth", { try TorchZipWriter.write(entries: source.entries, to: dir + "/v.pth") }),
            ("v.safetensors", { try SafetensorsWriter.write(entries: source.entries, to: dir + "/v.safetensors") }),
            ("v.h5", { try HDF5WeightWriter.write(entries: source.entries, attributes: HDF5RootAttributes(), to: dir + "/v.h5") }),
        ] as [(String, () throws -> Void)] {
            try write()
            let back = try WeightFile.open(dir + "/" + name)
            for key in ["tensors.transposed", "tensors.sliced", "tensors.expanded", "tensors.shared_a", "tensors.shared_b"] {
                let t = try XCTUnwrap(back[key], "\(name): \(key)")
                XCTAssertTrue(t.isContiguous, "\(name): \(key)")
                XCTAssertEqual(t.offset, 0, "\(name): \(key)")
                XCTAssertEqual(t.sha256(), source[key]?.sha256(), "\(name): \(key)")
            }
            let a = try XCTUnwrap(back["tensors.shared_a"]), b = try XCTUnwrap(back["tensors.shared_b"])
            XCTAssertFalse(a.storage === b.storage, "\(name): shared storages are written separately")
        }
    }
}
