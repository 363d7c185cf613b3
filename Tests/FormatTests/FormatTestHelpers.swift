// FormatTests: shared helpers — the fixture manifests, comparing a store with them, scratch
// directories, tensors made in memory, and running `tinify` and `python3`.
import Foundation
import TestSupport
import TinifyCore
import Tinify
import TinifyWeights
import XCTest

/// One tensor's entry in `Tests/Fixtures/manifests.json`.
struct Expected: Equatable {
    let dtype: String
    let shape: [Int]
    let sha256: String
}

/// A test precondition that failed.
struct FormatTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ s: String) { description = s }
}

enum Manifests {
    /// Every fixture file → (key → expected tensor).
    static func all() throws -> [String: [String: Expected]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("manifests.json")))
        guard let top = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw FormatTestFailure("manifests.json is not an object") }
        var out: [String: [String: Expected]] = [:]
        for (file, value) in top {
            guard let tensors = value as? [String: Any] else { throw FormatTestFailure("manifest of \(file) is not an object") }
            var m: [String: Expected] = [:]
            for (key, v) in tensors {
                guard let e = v as? [String: Any], let dtype = e["dtype"] as? String, let shape = e["shape"] as? [Int],
                      let sha = e["sha256"] as? String else { throw FormatTestFailure("manifest entry \(file) / \(key) is malformed") }
                m[key] = Expected(dtype: dtype, shape: shape, sha256: sha)
            }
            out[file] = m
        }
        return out
    }
}

/// Asserts that `store` holds exactly the tensors of `manifest`, bit for bit, dtypes kept.
func assertMatches(_ store: WeightStore, _ manifest: [String: Expected], _ stage: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(Set(store.keys), Set(manifest.keys), "\(stage): key sets differ", file: file, line: line)
    XCTAssertEqual(store.count, manifest.count, "\(stage): tensor count", file: file, line: line)
    for (key, t) in store.entries {
        guard let want = manifest[key] else { continue }
        XCTAssertEqual(t.dtype.name, want.dtype, "\(stage): \(key) dtype", file: file, line: line)
        XCTAssertEqual(t.shape, want.shape, "\(stage): \(key) shape", file: file, line: line)
        XCTAssertEqual(t.sha256(), want.sha256, "\(stage): \(key) values", file: file, line: line)
    }
}

/// A fresh scratch directory (removed by the caller with `removeScratch`).
func makeScratch(_ tag: String) -> String { Fixtures.scratch("formats-" + tag) }

/// Removes a scratch directory.
func removeScratch(_ dir: String) { try? FileManager.default.removeItem(atPath: dir) }

/// The names in `dir`, hidden ones included.
func listing(_ dir: String) -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted() }

/// The bytes of a file.
func fileBytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

/// Writes bytes to a file.
func writeFile(_ path: String, _ bytes: [UInt8]) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }

/// A contiguous tensor of `dtype` and `shape` over `bytes`.
func tensor(_ dtype: DType, _ shape: [Int], _ bytes: [UInt8]) throws -> Tensor {
    try Tensor(dtype: dtype, shape: shape, bytes: ByteRegion(bytes))
}

/// A float32 tensor of `values`.
func floats(_ values: [Float], shape: [Int]? = nil) throws -> Tensor {
    let bytes = values.flatMap { v -> [UInt8] in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
    return try tensor(.float32, shape ?? [values.count], bytes)
}

/// The result of running a process.
struct RunResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

enum Run {
    /// Runs `executable` with `arguments`.
    static func process(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> RunResult {
        let r = try ToolProcess.run(executable, arguments, environment: environment)
        return RunResult(status: r.status, stdout: r.stdoutText, stderr: r.stderr)
    }

    /// The `tinify` executable built beside the test bundle.
    static func tinifyPath() throws -> String {
        guard let p = ToolProcess.tinifyPath() else {
            throw FormatTestFailure("the tinify binary is not beside the test bundle; build it with `swift build --build-tests`")
        }
        return p
    }

    /// Runs `tinify`.
    static func tinify(_ arguments: [String]) throws -> RunResult { try process(try tinifyPath(), arguments) }

    /// The `python3` on PATH, if any.
    static func python() -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let p = String(dir) + "/python3"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    /// Whether the tests run under CI (`CI=true`), where missing interop tools are failures.
    static var underCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }
}
