// The declarations against CompressAI's own state-dict manifests, and the Schemas/ snapshots.
import XCTest
import Foundation
import TestSupport
import TinifyArchitectures

final class DeclarationTests: XCTestCase {
    /// Compares a declaration at (N, M) with a manifest CompressAI wrote, key for key, in order.
    private func check(_ id: Architecture, _ file: String) throws {
        let text = try String(contentsOfFile: Fixtures.path("architectures/" + file), encoding: .utf8)
        let manifest = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: [String: Any]])
        // Key order of the JSON object as written (JSONSerialization loses it).
        let order = text.split(separator: "\n").compactMap { line -> String? in
            let t = line.drop { $0 == " " }
            guard line.hasPrefix(" \""), t.hasSuffix("{") else { return nil }
            return String(t.dropFirst().prefix { $0 != "\"" })
        }
        let index = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("architectures/index.json")))) as? [String: Any])
        let info = try XCTUnwrap((index["files"] as? [String: [String: Any]])?[file])
        let h = Hyperparameters(N: try XCTUnwrap(info["N"] as? Int), M: try XCTUnwrap(info["M"] as? Int))
        let decls = id.declarations(h)
        XCTAssertEqual(decls.map(\.key), order, "\(file): key order")
        var bindings: [String: Int] = [:]
        for d in decls {
            guard let m = manifest[d.key] else { XCTFail("\(file): \(d.key) not in CompressAI's manifest"); continue }
            let shape = try XCTUnwrap(m["shape"] as? [Int])
            for (dim, actual) in zip(d.shape, shape) { if case .dynamic(let n) = dim { bindings[n] = bindings[n] ?? actual } }
            XCTAssertEqual(d.shape(for: h, bindings: bindings).map { $0 ?? -1 }, shape, "\(file): \(d.key) shape")
            XCTAssertEqual(d.role.torchRole, m["kind"] as? String, "\(file): \(d.key) role")
            XCTAssertEqual(d.kind.canonicalDType, m["dtype"] as? String, "\(file): \(d.key) dtype")
            XCTAssertEqual(d.role == .dynamicBuffer, (m["dynamic"] as? Bool) ?? false, "\(file): \(d.key) dynamic")
        }
        XCTAssertEqual(decls.count, manifest.count, "\(file): key count")
    }

    func testDeclarationsMatchCompressAIAtQuality1AndSmallSizes() throws {
        let files: [(Architecture, String)] = [
            (.bmshj2018Factorized, "bmshj2018-factorized"), (.bmshj2018Hyperprior, "bmshj2018-hyperprior"),
            (.mbt2018Mean, "mbt2018-mean"), (.mbt2018, "mbt2018"),
        ]
        for (id, stem) in files {
            try check(id, stem + "_q1.json")
            try check(id, stem + "_N8_M12.json")
        }
        for (id, stem) in [(Architecture.cheng2020Anchor, "cheng2020-anchor"), (.cheng2020Attention, "cheng2020-attn")] {
            try check(id, stem + "_q1.json")
            try check(id, stem + "_N8.json")
        }
    }

    func testReLUVariantReplacesEveryGDNWithAParameterlessSlot() {
        let h = Hyperparameters(N: 8, M: 12)
        let gdnFree = Architecture.bmshj2018Factorized.declarations(h).filter { !$0.key.contains(".1.") && !$0.key.contains(".3.") && !$0.key.contains(".5.") || $0.key.hasPrefix("entropy") }
        XCTAssertEqual(Architecture.bmshj2018FactorizedReLU.declarations(h).map(\.key), gdnFree.map(\.key))
        XCTAssertEqual(Architecture.bmshj2018FactorizedReLU.declarations(h).count, 36)
    }

    func testZooTable() {
        XCTAssertEqual(Architecture.bmshj2018Factorized.zoo(quality: 5), Hyperparameters(N: 128, M: 192))
        XCTAssertEqual(Architecture.bmshj2018Hyperprior.zoo(quality: 6), Hyperparameters(N: 192, M: 320))
        XCTAssertEqual(Architecture.mbt2018Mean.zoo(quality: 5), Hyperparameters(N: 192, M: 320))
        XCTAssertEqual(Architecture.mbt2018.zoo(quality: 1), Hyperparameters(N: 192, M: 192))
        XCTAssertEqual(Architecture.cheng2020Attention.zoo(quality: 6), Hyperparameters(N: 192, M: 192))
        XCTAssertNil(Architecture.cheng2020Anchor.zoo(quality: 7))
    }

    /// Schemas/<arch>.schema.json are generated from the declarations; regenerate with
    /// `TINIFY_RECORD_SCHEMAS=1 swift test --filter DeclarationTests`.
    func testCommittedSchemasMatchTheDeclarations() throws {
        let record = ProcessInfo.processInfo.environment["TINIFY_RECORD_SCHEMAS"] == "1"
        for id in Architecture.allCases {
            let path = Fixtures.root + "/Schemas/\(id.rawValue).schema.json"
            let fresh = ArchitectureSchema.json(id)
            if record { try fresh.write(toFile: path, atomically: true, encoding: .utf8); continue }
            let committed = try String(contentsOfFile: path, encoding: .utf8)
            XCTAssertEqual(committed, fresh, "\(path) is stale: regenerate with TINIFY_RECORD_SCHEMAS=1")
            XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(fresh.utf8)), "\(id.rawValue) schema is not valid JSON")
        }
    }
}
