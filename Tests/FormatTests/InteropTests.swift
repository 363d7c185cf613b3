// FormatTests: independent readers. Tinify's .h5 and .safetensors output of every fixture is
// read by h5py / numpy / safetensors (`interop_check.py`), its .pth output by torch and
// CompressAI (`torch_check.py`, which skips plainly where torch is missing), and a file h5py
// writes in Tinify's layout is read back by Tinify. Under CI=true a missing python3 or module fails.
import Foundation
import TestSupport
import TinifyCore
import TinifyHDF5
import Tinify
import TinifySafetensors
import TinifyTorchWriter
import XCTest

final class InteropTests: XCTestCase {
    private let script = Fixtures.root + "/Tests/FormatTests/interop_check.py"
    private let torchScript = Fixtures.root + "/Tests/FormatTests/torch_check.py"

    private func python() throws -> String {
        guard let p = Run.python() else {
            if Run.underCI { throw FormatTestFailure("python3 is not installed (CI=true)") }
            throw XCTSkip("python3 is not installed")
        }
        return p
    }

    /// Runs a check script; exit 77 means a module is missing (a skip outside CI, where the script itself fails).
    private func runScript(_ args: [String]) throws -> RunResult {
        let r = try Run.process(try python(), args)
        if r.status == 77 { throw XCTSkip(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) }
        return r
    }

    func testPythonReadsTinifyHDF5AndSafetensors() throws {
        let dir = makeScratch("interop")
        defer { removeScratch(dir) }
        let manifests = try Manifests.all()
        for file in manifests.keys.sorted() {
            let store = try WeightFile.open(Fixtures.path(file))
            try HDF5WeightWriter.write(entries: store.entries, attributes: HDF5RootAttributes(sourceContainer: store.container.rawValue),
                                       to: dir + "/\(file).h5", compress: file.hasPrefix("cheng2020-attn"))
            try SafetensorsWriter.write(entries: store.entries, metadata: ["format": "pt"], to: dir + "/\(file).safetensors")
        }
        let r = try runScript([script, dir])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("interop: ok: \(2 * manifests.count) files"), r.stdout)
    }

    func testTinifyReadsTheLayoutWrittenByH5py() throws {
        let dir = makeScratch("h5py")
        defer { removeScratch(dir) }
        let r = try runScript([script, "--make-h5py", dir])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/h5py-layout.json"))
        let expected = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]])
        let contents = try HDF5WeightReader.readContents(dir + "/h5py-layout.h5")
        let store = contents.store
        XCTAssertEqual(Set(store.keys), Set(expected.keys))
        for (key, want) in expected {
            let t = try XCTUnwrap(store[key], key)
            XCTAssertEqual(t.dtype.name, want["dtype"] as? String, key)
            XCTAssertEqual(t.shape, want["shape"] as? [Int], key)
            XCTAssertEqual(t.sha256(), want["sha256"] as? String, key)
        }
        XCTAssertEqual(store.attributes["architecture"], "bmshj2018-factorized")
        XCTAssertEqual(store.attributes["N"], "8")
        XCTAssertEqual(store.attributes["M"], "12")
        XCTAssertEqual(store.attributes["producer"], "h5py", "fixed-length strings are read too")
        XCTAssertEqual(contents.roles, ["weird.bf16": "buffer"])
        // And `tinify inspect` / `diff` accept it like any other weights file.
        let inspect = try Run.tinify(["inspect", dir + "/h5py-layout.h5"])
        XCTAssertEqual(inspect.status, 0, inspect.stderr)
        XCTAssertTrue(inspect.stdout.contains("container: hdf5"), inspect.stdout)
    }

    func testTorchLoadsTinifyPth() throws {
        let dir = makeScratch("torch")
        defer { removeScratch(dir) }
        for file in try Manifests.all().keys.sorted() {
            let store = try WeightFile.open(Fixtures.path(file))
            try TorchZipWriter.write(entries: store.entries, to: dir + "/\(file).pth")
        }
        let r = try runScript([torchScript, dir])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("torch not installed: skipped") || r.stdout.contains("torch: ok: "), r.stdout)
        if r.stdout.contains("torch: ok: ") {
            XCTAssertTrue(r.stdout.contains("from_state_dict"), "CompressAI built the models: \(r.stdout)")
        }
    }
}
