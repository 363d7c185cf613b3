// HostileInputTests: every fuzz target's seed corpus, and every input a fuzzer ever crashed on
// (Tests/Fuzz/Regressions/<target>/), replayed through the plain (non-sanitizer) `tinify-fuzz`
// build: each runs to an error or a result, never to a crash. Tests/Fuzz/run.sh does the fuzzing.
import Foundation
import TestSupport
import XCTest

final class FuzzCorpusTests: XCTestCase {
    static let targets = ["pickle", "safetensors", "hdf5", "hdf5-answer", "codec", "png", "model"]

    func testEveryCorpusAndRegressionReplaysWithoutACrash() throws {
        let fuzz = try XCTUnwrap(ToolProcess.builtProduct("tinify-fuzz"), "build tinify-fuzz (swift build --build-tests)")
        let tinify = try XCTUnwrap(ToolProcess.tinifyPath(), "build tinify")
        let fuzzDir = Fixtures.root + "/Tests/Fuzz"
        var environment = ProcessInfo.processInfo.environment
        environment["TINIFY_EXE"] = tinify
        environment["TINIFY_FIXTURES"] = Fixtures.directory
        for target in Self.targets {
            var dirs = [fuzzDir + "/Corpus/" + target]
            let regressions = fuzzDir + "/Regressions/" + target
            if FileManager.default.fileExists(atPath: regressions) { dirs.append(regressions) }
            let seeds = try FileManager.default.contentsOfDirectory(atPath: dirs[0]).filter { !$0.hasPrefix(".") }
            XCTAssertFalse(seeds.isEmpty, "\(target): no seeds")
            let r = try ToolProcess.run(fuzz, ["-v", target] + dirs, environment: environment)
            XCTAssertEqual(r.status, 0, "\(target): \(r.stderr.suffix(2000))")
            XCTAssertTrue(r.stdoutText.contains("tinify-fuzz: \(target): "), r.stdoutText.suffix(500) + "")
            // The seeds are meant to reach past the readers: at least one input per target is read whole.
            XCTAssertTrue(r.stdoutText.contains("  ok"), "\(target): no seed got past the reader:\n\(r.stdoutText.suffix(2000))")
        }
    }
}
