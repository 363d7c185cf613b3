// HostileInputTests: every crafted file in Tests/Fixtures/hostile (made by make_hostile.py) is
// refused with its own one-line error, in under a second and 256 MiB, and runs nothing; mutated
// real checkpoints either load or throw, never crash, hang or balloon; and the `tinify` binary
// reports a hostile file as exactly one `error: <file>: …` line with exit status 1.
import Foundation
import TestSupport
import TinifyContainer
import TinifyCore
import Tinify
import TinifyPickle
import TinifyWeights
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class HostileInputTests: XCTestCase {
    /// Every hostile file is refused with the error case and text `expected.json` names.
    func testEveryHostileFileIsRefusedWithItsError() throws {
        let corpus = try HostileCorpus.load()
        Markers.clear(corpus.markerPrefix)
        for c in corpus.hostile {
            let path = Fixtures.path("hostile/" + c.file)
            let m = Measured.read(path)
            let label = "\(c.file) (\(c.about))"
            m.assertWithinBudget(label)
            guard case .failure(let error) = m.outcome else {
                XCTFail("\(label): loaded (\(m.outcome)) but must be refused with \(c.error): \(c.contains)")
                continue
            }
            let text = String(describing: error)
            XCTAssertEqual(CasePath.of(error), c.error, "\(label): wrong error case for '\(text)'")
            XCTAssertTrue(text.contains(c.contains), "\(label): '\(text)' lacks '\(c.contains)'")
            XCTAssertTrue(OneLine.holds(text), "\(label): error is not one clean line: \(text.debugDescription)")
        }
        Markers.assertNone(corpus.markerPrefix)
    }

    /// The corpus is what the brief asks for: enough files, each listed, each kind of attack present.
    func testCorpusIsCompleteAndCoversEveryAttackKind() throws {
        let corpus = try HostileCorpus.load()
        XCTAssertGreaterThanOrEqual(corpus.hostile.count, 30)
        let listed = Set(corpus.hostile.map(\.file) + corpus.valid.map(\.file))
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: Fixtures.path("hostile"))
            .filter { $0.hasSuffix(".pth") || $0.hasSuffix(".pt") }
        XCTAssertEqual(Set(onDisk), listed, "files in Tests/Fixtures/hostile and expected.json differ; rerun make_hostile.py")
        for file in listed {
            XCTAssertTrue(FileManager.default.fileExists(atPath: Fixtures.path("hostile/" + file)), "\(file) is listed but missing")
        }
        // The attack families of FORMATS.md §5 and §8, by file-name prefix.
        for family in ["rce-reduce-", "rce-stack-global-", "rce-build-", "rce-newobj-", "rce-inst-", "rce-obj-", "full-module-",
                       "truncated-zip-", "truncated-data-pkl", "truncated-storage-", "truncated-legacy-", "memo-get-", "memo-bomb-",
                       "stack-underflow-", "stack-overflow-", "mark-", "length-", "deep-", "self-referencing-", "setitem-on-list",
                       "append-on-dict", "numel-", "view-", "storage-key-", "zip-duplicate-", "zip-overlapping-", "zip-dotdot-",
                       "zip-entry-outside-prefix", "deflate-bomb-", "torchscript", "git-lfs-", "html-", "empty", "plain-pickle",
                       "tar-", "byteorder-"] {
            XCTAssertTrue(corpus.hostile.contains { $0.file.hasPrefix(family) }, "no hostile file for '\(family)'")
        }
        XCTAssertTrue(corpus.hostile.allSatisfy { !$0.contains.isEmpty && $0.error.hasPrefix("WeightError.") })
    }

    /// The big-endian checkpoints (zip `byteorder`=big, and a legacy stream with
    /// little_endian=False) load with exactly the values written, views and all.
    func testBigEndianCheckpointsLoadWithTheirValues() throws {
        let corpus = try HostileCorpus.load()
        XCTAssertFalse(corpus.valid.isEmpty)
        for v in corpus.valid {
            let path = Fixtures.path("hostile/" + v.file)
            let m = Measured.read(path)
            guard case .success(let store) = m.outcome else {
                XCTFail("\(v.file): \(m.outcome)")
                continue
            }
            XCTAssertEqual(store.container.rawValue, v.container, v.file)
            XCTAssertEqual(store.keys, v.tensors.map(\.key), v.file)
            for t in v.tensors {
                guard let tensor = store[t.key] else { XCTFail("\(v.file): no tensor '\(t.key)'"); continue }
                XCTAssertEqual(tensor.dtype.name, t.dtype, "\(v.file): \(t.key)")
                XCTAssertEqual(tensor.shape, t.shape, "\(v.file): \(t.key)")
                let hex = tensor.contiguousBytes().array.map { String(format: "%02x", $0) }.joined()
                XCTAssertEqual(hex, t.leHex, "\(v.file): \(t.key) values (C order, little-endian)")
            }
            m.assertWithinBudget(v.file)
        }
    }

    /// Byte flips, overwrites and truncations of real checkpoints (zip, legacy, protocol 5,
    /// DEFLATE): every read loads (and then materialises every tensor) or throws a typed
    /// one-line error, within the budget.
    func testMutatedRealCheckpointsNeverCrashHangOrBalloon() throws {
        let fixtures = [
            "bmshj2018-hyperprior-N8-M12.pth",
            "edge-cases-legacy.pth",
            "cheng2020-attn-N8-M8-protocol5.pth",
            "edge-cases.pth",
            "bmshj2018-hyperprior-N8-M12-deflated.pth",
        ]
        let scratch = Fixtures.scratch("hostile-mutations")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var loaded = 0, refused = 0
        var kinds: [String: Int] = [:]
        for (f, fixture) in fixtures.enumerated() {
            let original = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path(fixture)))
            var rng = SplitMix64(seed: 0x7A11_F1E5 &+ UInt64(f))
            let mutations = Mutations.plan(for: original, hot: Mutations.hotRanges(Fixtures.path(fixture), count: original.count), rng: &rng)
            XCTAssertGreaterThanOrEqual(mutations.count, 60, fixture)
            for (i, mutation) in mutations.enumerated() {
                let bytes = mutation.apply(to: original)
                let path = scratch + "/m\(f)-\(i).pth"
                try bytes.write(to: URL(fileURLWithPath: path))
                let m = Measured.read(path, materialise: true)
                let label = "\(fixture) \(mutation)"
                switch m.outcome {
                case .success:
                    loaded += 1
                case .failure(let error):
                    refused += 1
                    let text = String(describing: error)
                    XCTAssertTrue(error is WeightError, "\(label): untyped error \(type(of: error)): \(text)")
                    XCTAssertTrue(!text.isEmpty && OneLine.holds(text), "\(label): error is not one clean line: \(text.debugDescription)")
                    kinds[CasePath.of(error), default: 0] += 1
                }
                m.assertWithinBudget(label)
                try? FileManager.default.removeItem(atPath: path)
            }
        }
        // Both outcomes happen, and the refusals are not all one error: the mutations reach the parsers.
        XCTAssertGreaterThan(loaded, 0)
        XCTAssertGreaterThan(refused, 0)
        XCTAssertGreaterThanOrEqual(kinds.count, 8, "mutations produced only \(kinds)")
    }

    /// The `tinify` binary prints exactly one `error: <file>: …` line on stderr, nothing on
    /// stdout, and exits 1.
    func testCommandLineReportsHostileFilesOnOneLine() throws {
        guard let tinify = ToolProcess.tinifyPath() else {
            throw XCTSkip("the tinify binary was not found beside the test bundle (\(ToolProcess.searchedDirectories.joined(separator: ", "))); build it with `swift build --build-tests`")
        }
        let corpus = try HostileCorpus.load()
        let byName = Dictionary(uniqueKeysWithValues: corpus.hostile.map { ($0.file, $0) })
        for (file, json) in [("rce-reduce-os-system.pth", false), ("truncated-zip-half.pth", true), ("deflate-bomb-storage.pth", false),
                             ("rce-legacy-os-system.pth", true), ("empty.pth", false), ("memo-bomb-lists.pth", true),
                             ("zip-name-control-chars.pth", false), ("view-key-control-chars.pth", true)] {
            guard let c = byName[file] else { XCTFail("\(file) is not in expected.json"); continue }
            let path = Fixtures.path("hostile/" + file)
            let r = try ToolProcess.run(tinify, ["inspect"] + (json ? ["--json"] : []) + [path])
            XCTAssertEqual(r.status, 1, "\(file): exit status")
            XCTAssertTrue(r.stdout.isEmpty, "\(file): stdout is not empty: \(String(decoding: r.stdout, as: UTF8.self).prefix(200))")
            let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false)
            XCTAssertEqual(lines.count, 2, "\(file): stderr is not exactly one line: \(r.stderr)")
            XCTAssertEqual(lines.last, "", "\(file): stderr does not end with a newline")
            let line = String(lines.first ?? "")
            XCTAssertTrue(line.hasPrefix("error: \(path): "), "\(file): \(line)")
            XCTAssertTrue(line.contains(c.contains), "\(file): '\(line)' lacks '\(c.contains)'")
        }
        Markers.assertNone(corpus.markerPrefix)
    }

    /// The error-case paths the corpus relies on are computed as intended.
    func testCasePathNamesNestedCases() {
        XCTAssertEqual(CasePath.of(WeightError.container(.pickle(.missingMemo(index: 1, offset: 2)))), "WeightError.container.pickle.missingMemo")
        XCTAssertEqual(CasePath.of(WeightError.container(.empty)), "WeightError.container.empty")
        XCTAssertEqual(CasePath.of(WeightError.badView(path: "w", .overflow)), "WeightError.badView.overflow")
        XCTAssertEqual(CasePath.of(WeightError.badView(path: "w", .outOfBounds(needed: 2, available: 1))), "WeightError.badView.outOfBounds")
        XCTAssertEqual(CasePath.of(WeightError.limitExceeded(what: "x", limit: 1)), "WeightError.limitExceeded")
    }
}

// MARK: - The corpus

/// One hostile file and the error reading it must give.
private struct HostileCase {
    let file: String
    let error: String
    let contains: String
    let about: String
}

/// One valid file and the tensors it must load to.
private struct ValidCase {
    let file: String
    let container: String
    let tensors: [(key: String, dtype: String, shape: [Int], leHex: String)]
}

/// `Tests/Fixtures/hostile/expected.json`.
private struct HostileCorpus {
    let hostile: [HostileCase]
    let valid: [ValidCase]
    let markerPrefix: String

    static func load() throws -> HostileCorpus {
        let raw = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("hostile/expected.json")))
        guard let root = try JSONSerialization.jsonObject(with: raw) as? [String: Any],
              let hostile = root["hostile"] as? [String: [String: String]],
              let valid = root["valid"] as? [String: [String: Any]],
              let prefix = root["marker_prefix"] as? String else {
            throw CorpusError("expected.json lacks hostile / valid / marker_prefix")
        }
        let cases = try hostile.keys.sorted().map { file -> HostileCase in
            let c = hostile[file] ?? [:]
            guard let error = c["error"], let contains = c["contains"] else { throw CorpusError("\(file): no error / contains") }
            return HostileCase(file: file, error: error, contains: contains, about: c["about"] ?? "")
        }
        let valids = try valid.keys.sorted().map { file -> ValidCase in
            guard let v = valid[file], let container = v["container"] as? String,
                  let tensors = v["tensors"] as? [[String: Any]] else { throw CorpusError("\(file): malformed valid entry") }
            return ValidCase(file: file, container: container, tensors: try tensors.map { t in
                guard let key = t["key"] as? String, let dtype = t["dtype"] as? String, let shape = t["shape"] as? [Int],
                      let hex = t["le_hex"] as? String else { throw CorpusError("\(file): malformed tensor \(t)") }
                return (key, dtype, shape, hex)
            })
        }
        return HostileCorpus(hostile: cases, valid: valids, markerPrefix: prefix)
    }
}

private struct CorpusError: Error, CustomStringConvertible {
    let description: String
    init(_ s: String) { description = s }
}

/// What "one line" means for an error: no line break of any kind (`\n`, `\r`, U+2028, …) and no
/// other control character (a terminal escape quoted from the file).
private enum OneLine {
    static func holds(_ text: String) -> Bool {
        !text.contains(where: \.isNewline) && !text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
    }
}

// MARK: - Error case paths

/// The dotted path of an error's enum cases through nested errors, e.g.
/// `WeightError.container.pickle.truncated`.
enum CasePath {
    static func of(_ error: Error) -> String {
        var parts = [String(describing: type(of: error))]
        var current: Any = error
        while true {
            let mirror = Mirror(reflecting: current)
            guard mirror.displayStyle == .enum else { break }
            guard let child = mirror.children.first, let label = child.label else {
                parts.append(payloadless(current))
                break
            }
            parts.append(label)
            if child.value is Error {
                current = child.value
                continue
            }
            // A payload tuple holding a nested error, e.g. `badView(path:, TensorViewError)`.
            let payload = Mirror(reflecting: child.value)
            guard payload.displayStyle == .tuple, let nested = payload.children.first(where: { $0.value is Error }) else { break }
            current = nested.value
        }
        return parts.joined(separator: ".")
    }

    /// Mirror shows no label for a case without a payload; these are the ones the readers have.
    private static func payloadless(_ value: Any) -> String {
        if let e = value as? ContainerError, case .empty = e { return "empty" }
        if let e = value as? TensorViewError, case .overflow = e { return "overflow" }
        return "<\(value)>"
    }
}

// MARK: - Measuring a read

/// One read of a file: its outcome, wall-clock and CPU time, and how much the peak RSS grew.
private struct Measured {
    let outcome: Result<WeightStore, Error>
    let seconds: Double
    let cpuSeconds: Double
    /// Growth of `getrusage`'s ru_maxrss across the read.
    let maxRSSGrowth: Int
    /// Growth of the peak RSS from just before the read, when the kernel's high-water mark can be
    /// reset first (so an earlier, larger peak cannot hide this one); nil otherwise.
    let hwmGrowth: Int?

    /// Reads `path` with `WeightFile.open`; with `materialise`, also makes every tensor contiguous.
    static func read(_ path: String, materialise: Bool = false) -> Measured {
        let reset = Memory.resetPeak()
        let rss0 = Memory.status("VmRSS") ?? 0
        let max0 = Memory.maxRSS()
        let cpu0 = Memory.cpuSeconds()
        let t0 = DispatchTime.now().uptimeNanoseconds
        let outcome: Result<WeightStore, Error>
        do {
            let store = try WeightFile.open(path)
            if materialise {
                for e in store.entries {
                    let bytes = e.tensor.contiguousBytes()
                    if bytes.count != e.tensor.byteCount { throw CorpusError("tensor '\(e.key)' materialised to \(bytes.count) bytes, not \(e.tensor.byteCount)") }
                }
                _ = store.totalBytes
            }
            outcome = .success(store)
        } catch {
            outcome = .failure(error)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        let hwm = reset ? Memory.status("VmHWM").map { $0 - rss0 } : nil
        return Measured(outcome: outcome, seconds: seconds, cpuSeconds: Memory.cpuSeconds() - cpu0,
                        maxRSSGrowth: Memory.maxRSS() - max0, hwmGrowth: hwm)
    }

    func assertWithinBudget(_ label: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertLessThan(seconds, Budget.seconds, "\(label): took \(seconds) s (\(cpuSeconds) s of CPU)", file: file, line: line)
        XCTAssertLessThan(maxRSSGrowth, Budget.bytes, "\(label): peak RSS grew by \(maxRSSGrowth >> 20) MiB", file: file, line: line)
        if let hwmGrowth {
            XCTAssertLessThan(hwmGrowth, Budget.bytes, "\(label): RSS peaked \(hwmGrowth >> 20) MiB above its start", file: file, line: line)
        }
    }
}

/// What one read may cost.
private enum Budget {
    static let seconds = 1.0
    static let bytes = 256 << 20
}

/// Process memory and CPU figures (Linux).
private enum Memory {
    /// `getrusage(RUSAGE_SELF).ru_maxrss`, in bytes (Linux reports KiB).
    static func maxRSS() -> Int {
        var u = rusage()
        getrusage(rusageSelf, &u)
        return u.ru_maxrss * 1024
    }

    /// User plus system CPU time of the process so far.
    static func cpuSeconds() -> Double {
        var u = rusage()
        getrusage(rusageSelf, &u)
        return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
    }

    /// Resets the kernel's RSS high-water mark (`VmHWM`) to the current RSS; false when not allowed.
    static func resetPeak() -> Bool {
        let fd = open("/proc/self/clear_refs", O_WRONLY)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return write(fd, "5", 1) == 1
    }

    /// A `kB` field of `/proc/self/status` (`VmRSS`, `VmHWM`), in bytes.
    static func status(_ field: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            let digits = line.dropFirst(field.count + 1).filter(\.isNumber)
            return Int(digits).map { $0 * 1024 }
        }
        return nil
    }
}

private let rusageSelf = RUSAGE_SELF.rawValue

// MARK: - Payload markers

/// The files a payload would create if anything in the corpus ever ran (`touch <prefix><name>`).
private enum Markers {
    static func existing(_ prefix: String) -> [String] {
        let dir = (prefix as NSString).deletingLastPathComponent
        let stem = (prefix as NSString).lastPathComponent
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { $0.hasPrefix(stem) }.map { dir + "/" + $0 }
    }

    /// Removes markers left by anything before this run (they can only come from running a payload).
    static func clear(_ prefix: String) {
        for m in existing(prefix) { try? FileManager.default.removeItem(atPath: m) }
    }

    static func assertNone(_ prefix: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(existing(prefix), [], "a payload ran: marker files exist", file: file, line: line)
    }
}

// MARK: - Mutations


/// One way of damaging a file.
private enum Mutation: CustomStringConvertible {
    case truncate(Int)
    case set(Int, UInt8)
    case xor(Int, UInt8)
    case fill(Int, Int, UInt8)

    func apply(to data: Data) -> Data {
        var d = data
        switch self {
        case .truncate(let n): return d.prefix(n)
        case .set(let at, let v): d[d.startIndex + at] = v
        case .xor(let at, let v): d[d.startIndex + at] ^= v
        case .fill(let at, let n, let v):
            for i in at..<min(at + n, d.count) { d[d.startIndex + i] = v }
        }
        return d
    }

    var description: String {
        switch self {
        case .truncate(let n): return "truncated to \(n) bytes"
        case .set(let at, let v): return "byte \(at) set to 0x\(String(v, radix: 16))"
        case .xor(let at, let v): return "byte \(at) xor 0x\(String(v, radix: 16))"
        case .fill(let at, let n, let v): return "\(n) bytes at \(at) filled with 0x\(String(v, radix: 16))"
        }
    }
}

private enum Mutations {
    /// The byte ranges where damage reaches a parser rather than tensor data: a zip's data.pkl,
    /// its small records and its central directory; the whole file otherwise.
    static func hotRanges(_ path: String, count: Int) -> [Range<Int>] {
        guard let file = try? MappedFile(path: path), let zip = try? ZipArchive(file: file) else { return [0..<count] }
        var ranges: [Range<Int>] = []
        for e in zip.entries where !e.name.contains("/data/") || e.compressedSize < 64 {
            ranges.append(e.headerOffset..<min(count, e.dataOffset + e.compressedSize))
        }
        if let last = zip.entries.max(by: { $0.dataOffset < $1.dataOffset }) {
            ranges.append(min(count, last.dataOffset + last.compressedSize)..<count)   // central directory and end records
        }
        return ranges.filter { !$0.isEmpty }
    }

    /// 90 deterministic mutations of `data`: truncations anywhere, and single-byte changes and
    /// short runs of 0x00/0xFF mostly inside the hot ranges.
    static func plan(for data: Data, hot: [Range<Int>], rng: inout SplitMix64) -> [Mutation] {
        let n = data.count
        var out: [Mutation] = []
        for k in 0..<15 { out.append(.truncate(n * k / 15)) }
        for _ in 0..<10 { out.append(.truncate(rng.below(n))) }
        let hotBytes = hot.reduce(0) { $0 + $1.count }
        func position() -> Int {   // uniform over the hot bytes four times in five
            if hotBytes == 0 || rng.below(5) == 0 { return rng.below(n) }
            var k = rng.below(hotBytes)
            for r in hot {
                if k < r.count { return r.lowerBound + k }
                k -= r.count
            }
            return rng.below(n)
        }
        for _ in 0..<25 { out.append(.xor(position(), UInt8(1 << rng.below(8)))) }
        for _ in 0..<15 { out.append(.set(position(), UInt8(truncatingIfNeeded: rng.next()))) }
        for _ in 0..<10 { out.append(.set(position(), [0x00, 0xFF, 0x7F, 0x80][rng.below(4)])) }
        for _ in 0..<15 { out.append(.fill(position(), 1 + rng.below(8), rng.below(2) == 0 ? 0x00 : 0xFF)) }
        return out
    }
}
