// ReaderTests: shared helpers — the manifest, byte decoding of materialised tensors, and
// running the `tinify` binary built beside the test bundle.
import Foundation
import TestSupport
import TinifyContainer
import TinifyCore
import Tinify
import TinifyWeights
import XCTest

/// One tensor's entry in `Tests/Fixtures/manifests.json`.
struct ManifestEntry: Equatable {
    let dtype: String
    let shape: [Int]
    let sha256: String
}

enum Manifest {
    /// Every fixture's manifest: file name → (key → entry), keys in file order.
    static func load() throws -> [(file: String, tensors: [(key: String, entry: ManifestEntry)])] {
        // JSONSerialization loses key order; the key *set* is what is compared, order comes from the file.
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("manifests.json")))
        guard let top = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw TestFailure("manifests.json is not an object")
        }
        var out: [(String, [(String, ManifestEntry)])] = []
        for (file, value) in top.sorted(by: { $0.key < $1.key }) {
            guard let tensors = value as? [String: Any] else { throw TestFailure("manifest of \(file) is not an object") }
            var entries: [(String, ManifestEntry)] = []
            for (key, v) in tensors {
                guard let e = v as? [String: Any], let dtype = e["dtype"] as? String,
                      let shape = e["shape"] as? [Int], let sha = e["sha256"] as? String else {
                    throw TestFailure("manifest entry \(file) / \(key) is malformed")
                }
                entries.append((key, ManifestEntry(dtype: dtype, shape: shape, sha256: sha)))
            }
            out.append((file, entries))
        }
        return out
    }

    /// The manifest of one fixture, key → entry.
    static func of(_ file: String) throws -> [String: ManifestEntry] {
        guard let m = try load().first(where: { $0.file == file }) else { throw TestFailure("\(file) is not in manifests.json") }
        return Dictionary(m.tensors.map { ($0.key, $0.entry) }, uniquingKeysWith: { a, _ in a })
    }
}

/// A test precondition that failed (thrown so that the test stops with a message).
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ s: String) { description = s }
}

extension Tensor {
    /// The materialised elements as `T` (C order, little-endian on this little-endian host).
    func elements<T>(as: T.Type) -> [T] {
        contiguousBytes().withUnsafeBytes { raw in
            (0..<(raw.count / MemoryLayout<T>.stride)).map { raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.stride, as: T.self) }
        }
    }
}

/// The result of running a process.
typealias ProcessResult = ToolProcess.Result

enum TinifyBinary {
    /// The `tinify` executable built beside the test bundle (`.build-*/debug/tinify`).
    static func path() throws -> String {
        guard let p = ToolProcess.tinifyPath() else {
            throw TestFailure("the tinify binary is not beside the test bundle (looked in \(ToolProcess.searchedDirectories)); build it with `swift build --build-tests`")
        }
        return p
    }

    /// Runs `executable` with `arguments`, collecting both outputs.
    static func run(_ executable: String, _ arguments: [String]) throws -> ProcessResult { try ToolProcess.run(executable, arguments) }

    /// Runs `tinify` with `arguments`.
    static func run(_ arguments: [String]) throws -> ProcessResult { try run(path(), arguments) }
}
