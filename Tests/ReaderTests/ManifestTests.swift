// ReaderTests: every fixture in manifests.json reads in-process to exactly its manifest —
// key set, dtypes, shapes and SHA-256 of the C-order little-endian elements.
import TestSupport
import TinifyContainer
import TinifyCore
import Tinify
import TinifyWeights
import XCTest

final class ManifestTests: XCTestCase {
    func testManifestCoversTheCorpus() throws {
        let manifest = try Manifest.load()
        XCTAssertGreaterThanOrEqual(manifest.count, 32, "manifests.json lists fewer files than the reference corpus")
        for (file, _) in manifest {
            XCTAssertTrue(FileManager.default.fileExists(atPath: Fixtures.path(file)), "\(file) is in manifests.json but not in Tests/Fixtures")
        }
    }

    func testEveryFixtureMatchesItsManifest() throws {
        var checkedFiles = 0, checkedTensors = 0
        for (file, expected) in try Manifest.load() {
            let store: WeightStore
            do { store = try WeightFile.open(Fixtures.path(file)) } catch {
                XCTFail("\(file): \(error)"); continue
            }
            let want = Dictionary(expected.map { ($0.key, $0.entry) }, uniquingKeysWith: { a, _ in a })
            let got = Set(store.keys)
            XCTAssertEqual(store.keys.count, got.count, "\(file): duplicate keys")
            XCTAssertEqual(got.subtracting(want.keys).sorted(), [], "\(file): keys not in the manifest")
            XCTAssertEqual(Set(want.keys).subtracting(got).sorted(), [], "\(file): manifest keys not read")
            for (key, tensor) in store.entries {
                guard let w = want[key] else { continue }
                XCTAssertEqual(tensor.dtype.name, w.dtype, "\(file) \(key): dtype")
                XCTAssertEqual(tensor.shape, w.shape, "\(file) \(key): shape")
                XCTAssertEqual(tensor.sha256(), w.sha256, "\(file) \(key): sha256")
                checkedTensors += 1
            }
            checkedFiles += 1
        }
        XCTAssertGreaterThanOrEqual(checkedFiles, 32)
        XCTAssertGreaterThan(checkedTensors, 1000)
    }

    /// The manifest keeps file order; the store must too (it is the order `inspect` lists).
    func testKeysAreInFileOrder() throws {
        let store = try WeightFile.open(Fixtures.path("edge-cases.pth"))
        XCTAssertEqual(store.keys.first, "tensors.f32")
        XCTAssertEqual(store.keys.last, "tensors." + String(repeating: "long.", count: 40) + "key")
        XCTAssertEqual(Array(store.keys.prefix(4)), ["tensors.f32", "tensors.f64", "tensors.f16", "tensors.bf16"])
    }
}
