// CommandLineHostileTests: the `tinify` binary (the release build in CI, through TINIFY_EXE) on
// every file of Tests/Fixtures/hostile-cli (made by make_hostile_cli.py): HDF5 files that reach
// other files, bombs, runtime shape lies, allocation cases, invalid bools. Each command must print
// one line `error: <file>: …` naming its reason, exit 1, within 2 s and 512 MiB, and leave no
// output file. Also: a failed `convert` to HDF5 exits cleanly 200 times in a row (the source hash
// thread is joined before the process exits), and a libhdf5 crash becomes a one-line error.
import Foundation
import TestSupport
import TinifyCore
import TinifyHDF5
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class CommandLineHostileTests: XCTestCase {
    private struct Case: Decodable {
        let file: String
        let args: [String]
        let contains: String
        let about: String
    }

    private func tinify() throws -> String {
        guard let t = ToolProcess.tinifyPath() else { throw XCTSkip("the tinify binary was not found; build it with `swift build --build-tests`") }
        return t
    }

    private func scratch() throws -> String {
        let dir = NSTemporaryDirectory() + "tinify-hostile-cli-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    func testEveryHostileFileGetsItsOneLineErrorWithinTheBudgets() throws {
        let exe = try tinify()
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("hostile-cli/cases.json")))
        struct Cases: Decodable { let cases: [Case] }
        let cases = try JSONDecoder().decode(Cases.self, from: data).cases
        XCTAssertGreaterThanOrEqual(cases.count, 30)
        mkfifo("/tmp/tinify-hostile-fifo", 0o600)
        for c in cases {
            let dir = try scratch()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let file = Fixtures.path("hostile-cli/" + c.file)
            let args = c.args.map {
                $0.replacingOccurrences(of: "{file}", with: file).replacingOccurrences(of: "{out}", with: dir + "/out")
                    .replacingOccurrences(of: "{sample}", with: Fixtures.path("random-samples/bmshj2018-hyperprior-N16-M24.pth"))
                    .replacingOccurrences(of: "{image}", with: Fixtures.sample("image-96x64.png"))
            }
            let label = "\(c.file) \(c.args.first ?? "") (\(c.about))"
            let start = Date()
            let r = try runMeasured(exe, args, scratch: dir)
            let seconds = Date().timeIntervalSince(start)
            XCTAssertEqual(r.status, 1, "\(label): exit status; stderr: \(r.stderr)")
            let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false)
            XCTAssertEqual(lines.count, 2, "\(label): stderr is not one line: \(r.stderr)")
            XCTAssertTrue(r.stderr.hasPrefix("error: \(file): "), "\(label): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(c.contains), "\(label): '\(r.stderr)' lacks '\(c.contains)'")
            // The time budget is the shipped (release) binary's, which CI tests through TINIFY_EXE;
            // an unoptimised debug build gets five times as long.
            let limit = ProcessInfo.processInfo.environment["TINIFY_EXE"] == nil ? 10.0 : 2.0
            XCTAssertLessThan(seconds, limit, "\(label): took \(seconds) s")
            XCTAssertLessThan(r.maxRSSKiB, 512 * 1024, "\(label): reached \(r.maxRSSKiB) KiB")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).filter { !$0.hasPrefix(".measured-") }, [],
                           "\(label): left output behind")
        }
    }

    /// Runs `exe` with stdout and stderr in files and returns its status, stderr and the peak
    /// resident size of it and the helpers it waited for (wait4's rusage, per process).
    private func runMeasured(_ exe: String, _ args: [String], scratch: String) throws -> (status: Int32, stderr: String, maxRSSKiB: Int) {
        let errPath = scratch + "/.measured-stderr", outPath = scratch + "/.measured-stdout"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv: [UnsafeMutablePointer<CChar>?] = ([exe] + args).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, exe, &actions, nil, argv, environ) == 0 else { throw XCTSkip("cannot run \(exe)") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        let exitStatus: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (exitStatus, stderr, usage.ru_maxrss)
    }

    /// A library caller's limits reach the helper process: a scan through `tinify hdf5-scan`
    /// refuses at the caller's read limit, not the default one, and reads within it.
    func testIsolatedScanHonoursTheCallersLimits() throws {
        let exe = try tinify()
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let h5 = dir + "/gzip.h5"
        let c = try ToolProcess.run(exe, ["convert", "--compress", "gzip", Fixtures.path("random-samples/bmshj2018-hyperprior-N16-M24.pth"), h5])
        XCTAssertEqual(c.status, 0, c.stderr)
        let mode = HDF5ReadMode.isolated(executable: exe, arguments: ["hdf5-scan"])
        XCTAssertEqual(try HDF5WeightReader.read(h5, mode: mode).entries.count, 91)
        var limits = HDF5ReadLimits()
        limits.maxReadBytes = 4096
        XCTAssertThrowsError(try HDF5WeightReader.read(h5, limits: limits, mode: mode)) { error in
            XCTAssertTrue("\(error)".contains("bytes read through libhdf5"), "\(error)")
            XCTAssertTrue("\(error)".contains("exceeds the limit of 4096"), "\(error)")
            XCTAssertFalse("\(error)".hasPrefix("hdf5: hdf5:"), "\(error)")
        }
        // The caller's memory budget travels too, and comes back as the same typed error.
        var budgeted = HDF5ReadLimits(memory: MemoryBudget(bytes: 4096))
        budgeted.maxDatasets = 1000
        XCTAssertThrowsError(try HDF5WeightReader.read(h5, limits: budgeted, mode: mode)) { error in
            guard let e = error as? MemoryBudgetError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.budget, 4096)
            XCTAssertGreaterThan(e.need, 4096)
            XCTAssertTrue(e.what.contains("read through libhdf5"), e.what)
        }
    }

    /// `convert` of an invalid input to HDF5 starts hashing the source on another thread; the
    /// process must exit cleanly (no signal) every time.
    func testFailedConvertExitsCleanly200Times() throws {
        let exe = try tinify()
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bad = Fixtures.path("hostile/truncated-zip-half.pth")
        for i in 0..<200 {
            let r = try ToolProcess.run(exe, ["convert", bad, dir + "/out.h5"])
            XCTAssertEqual(r.status, 1, "run \(i): \(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "run \(i): \(r.stderr)")
            if r.status != 1 { break }
        }
    }

    /// Flipped bytes in a file Tinify wrote: whatever libhdf5 does with them (crash included, in
    /// its helper process), the command ends with exit 0 or one line and exit 1, never a signal.
    func testFlippedBytesInAnHDF5FileNeverTakeTheCommandDown() throws {
        let exe = try tinify()
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let h5 = dir + "/sample.h5"
        let c = try ToolProcess.run(exe, ["convert", Fixtures.path("random-samples/bmshj2018-hyperprior-N16-M24.pth"), h5])
        XCTAssertEqual(c.status, 0, c.stderr)
        let original = try Data(contentsOf: URL(fileURLWithPath: h5))
        var rng = SplitMix64(seed: 9)
        var outcomes: [String: Int] = [:]
        // Metadata lives at the start of the file (superblock, object headers, heaps, B-trees).
        for i in 0..<60 {
            var bytes = [UInt8](original)
            let at = Int(rng.next() % UInt64(min(bytes.count, 8192)))
            bytes[at] ^= UInt8(1 << (rng.next() % 8))
            let path = dir + "/m\(i).h5"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let r = try ToolProcess.run(exe, ["inspect", "--digest", path])
            XCTAssertTrue(r.status == 0 || r.status == 1, "flip at \(at): status \(r.status), \(r.stderr)")
            if r.status == 1 {
                XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "flip at \(at): \(r.stderr)")
                XCTAssertTrue(r.stderr.hasPrefix("error: \(path): "), r.stderr)
                let kind = r.stderr.contains("crashed") ? "crash in helper" : "error"
                outcomes[kind, default: 0] += 1
            } else {
                outcomes["read", default: 0] += 1
            }
        }
        print("flipped-byte outcomes: \(outcomes)")
    }
}
