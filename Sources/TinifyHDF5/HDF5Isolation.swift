// TinifyHDF5: running the libhdf5 scan of an untrusted file in a helper process.
//
// Design: libhdf5 1.10 is not hardened against corrupted metadata (a flipped byte can make it
// double-free or segfault), so the process that holds the user's work never runs it on a file
// it has not seen succeed. The helper (`tinify hdf5-scan FILE`, or any executable that calls
// `HDF5Isolation.serve`) limits its own address space, CPU time and file writes, scans the file
// with every structural check of `HDF5Scan`, and writes the scan to standard output in a small
// length-prefixed format; datasets that are plain ranges of the file travel as (offset, count),
// the rest as their bytes. This process decodes that answer with every length bounded, checks
// each range against its own mapping of the file, and builds the tensors without libhdf5. A
// helper that crashes, exceeds a limit, runs past its deadline or answers malformed data is a
// one-line `HDF5Error.scanFailed`; the helper's own refusal of the file comes back verbatim as
// `HDF5Error.refusedByScan`.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CHDF5
import TinifyCore

/// Runs and serves the helper-process scan of HDF5 weights files.
package enum HDF5Isolation {
    static let magic: [UInt8] = Array("TNFYH5S1".utf8)

    /// What the helper is told: its own resource limits and the scan's limits, as `--name value`
    /// pairs, the file's path last. Built here and parsed by `serve(arguments:)`, so both sides
    /// of the protocol live in this file.
    struct Request {
        var limits: HDF5ReadLimits
        var memory: Int
        var seconds: Int
        var maxOutput: Int
        var path: String

        var arguments: [String] {
            let values: [(String, Int)] = [
                ("max-memory", memory), ("max-seconds", seconds), ("max-output", maxOutput),
                ("max-depth", limits.maxDepth), ("max-datasets", limits.maxDatasets), ("max-links", limits.maxLinks),
                ("max-total-bytes", limits.maxTotalBytes), ("max-read-bytes", limits.maxReadBytes),
                ("max-tensor-bytes", limits.maxTensorBytes), ("max-expansion", limits.maxExpansion),
                ("memory-budget", limits.memoryBudget),
            ]
            return values.flatMap { ["--" + $0.0, String($0.1)] } + [path]
        }

        /// The request `arguments` describes; nil unless every value is given, once, as an Int.
        init?(arguments: [String]) {
            guard arguments.count == 23, let path = arguments.last else { return nil }
            var values: [String: Int] = [:]
            for i in stride(from: 0, to: 22, by: 2) {
                let name = arguments[i]
                guard name.hasPrefix("--"), let v = Int(arguments[i + 1]), values.updateValue(v, forKey: String(name.dropFirst(2))) == nil else { return nil }
            }
            guard let memory = values["max-memory"], let seconds = values["max-seconds"], let maxOutput = values["max-output"],
                  let depth = values["max-depth"], let datasets = values["max-datasets"], let links = values["max-links"],
                  let total = values["max-total-bytes"], let read = values["max-read-bytes"],
                  let tensor = values["max-tensor-bytes"], let expansion = values["max-expansion"],
                  let budget = values["memory-budget"] else { return nil }
            var limits = HDF5ReadLimits()
            limits.maxDepth = depth; limits.maxDatasets = datasets; limits.maxLinks = links
            limits.maxTotalBytes = total; limits.maxReadBytes = read; limits.maxTensorBytes = tensor; limits.maxExpansion = expansion
            limits.memoryBudget = budget
            self.init(limits: limits, memory: memory, seconds: seconds, maxOutput: maxOutput, path: path)
        }

        init(limits: HDF5ReadLimits, memory: Int, seconds: Int, maxOutput: Int, path: String) {
            self.limits = limits; self.memory = memory; self.seconds = seconds; self.maxOutput = maxOutput; self.path = path
        }
    }

    /// Scans `path` in a helper process and decodes its answer.
    static func scan(path: String, fileSize: Int, limits: HDF5ReadLimits, executable: String, arguments: [String]) throws -> HDF5Scan {
        // The answer holds at most the bytes read through libhdf5 plus small per-dataset records.
        let maxOutput = Checked.add(limits.maxReadBytes, Checked.mul(limits.maxDatasets, 4096) ?? Int.max) ?? Int.max
        // libhdf5 reads metadata and at most `maxReadBytes` of filtered data (contiguous data is
        // mapped by the parent, never read here): well under a second for any weights file. A
        // hostile file can make it spin (seen: a fuzzed B-tree loops for ever), so the helper
        // gets 1.5 s plus 1 s per 100 MB of file, keeping a small file's refusal within 2 s.
        let deadline = 1.5 + Double(fileSize) / 1e8
        let seconds = Int(deadline.rounded(.up))
        let request = Request(limits: limits, memory: min(Checked.add(limits.maxReadBytes, 1 << 30) ?? Int.max, 1 << 40),
                              seconds: seconds, maxOutput: maxOutput, path: path)
        let result: ChildProcessResult
        do {
            result = try ChildProcess.run(executable, arguments + request.arguments, maxOutput: maxOutput, seconds: deadline)
        } catch {
            throw HDF5Error.scanFailed(reason: "\(error)")
        }
        if result.timedOut {
            let tenths = Int((deadline * 10).rounded())
            throw HDF5Error.scanFailed(reason: "libhdf5 did not finish within \(tenths / 10).\(tenths % 10) s (the helper was stopped)")
        }
        if let s = result.signal {
            if s == SIGXFSZ { throw HDF5Error.scanFailed(reason: "the scan's answer exceeds \(maxOutput) bytes") }
            if s == SIGXCPU { throw HDF5Error.scanFailed(reason: "libhdf5 used more than \(seconds) s of CPU on this file (the helper was stopped)") }
            let name = s == SIGSEGV ? "SIGSEGV" : s == SIGABRT ? "SIGABRT" : s == SIGKILL ? "SIGKILL" : s == SIGBUS ? "SIGBUS" : "signal \(s)"
            throw HDF5Error.scanFailed(reason: "libhdf5 crashed on this file (\(name) in the helper process): the file is corrupt or hostile")
        }
        if let status = result.exitStatus, status != 0 {
            throw HDF5Error.scanFailed(reason: "the helper exited with status \(status) (\(executable) does not serve HDF5 scans, or could not write its answer)")
        }
        var reader = AnswerReader(result.output)
        return try reader.decode(limits: limits)
    }

    /// Decodes a helper's answer about `file` and resolves it into tensors, as the isolated
    /// read does after the helper exits: the parent's whole share of the work on an answer a
    /// compromised helper could have written (the fuzz target of the answer format).
    @_spi(Fuzzing) public static func decodeAnswer(_ answer: ByteRegion, file: MappedFile, limits: HDF5ReadLimits) throws -> HDF5WeightContents {
        var reader = AnswerReader(answer)
        return try HDF5WeightReader.resolve(try reader.decode(limits: limits), file: file)
    }

    /// The helper's side, given the arguments after its own name (what `scan` passes): limits
    /// this process, turns off libhdf5's filter plugins, scans the file and writes the answer to
    /// standard output (a refusal is an answer too). Returns the exit status for the helper's
    /// `main` (0 for any answer written, 2 when nothing could be written), or nil when the
    /// arguments are not a scan request.
    public static func serve(arguments: [String]) -> Int32? {
        guard let request = Request(arguments: arguments) else { return nil }
        ChildProcess.limitSelf(memoryBytes: request.memory, cpuSeconds: request.seconds, maxFileBytes: request.maxOutput)
        var out = AnswerWriter()
        do {
            let file = try MappedFile(path: request.path)
            try HDF5.start()
            _ = H5PLset_loading_state(0)  // this process only ever scans: no plugin may load
            out.encode(try HDF5Scan(path: request.path, fileSize: file.count, limits: request.limits))
        } catch let e as MemoryBudgetError {
            out = AnswerWriter()
            out.encodeOverBudget(e)
        } catch {
            out = AnswerWriter()
            out.encodeRefusal("\(error)")
        }
        return out.flush(to: 1) ? 0 : 2
    }
}

/// Writes a scan in the helper's answer format.
private struct AnswerWriter {
    var head: [UInt8] = HDF5Isolation.magic
    var pieces: [(bytes: [UInt8], region: ByteRegion?)] = []

    mutating func u8(_ v: UInt8) { head.append(v) }
    mutating func u64(_ v: Int) { let u = UInt64(truncatingIfNeeded: v); for i in 0..<8 { head.append(UInt8(truncatingIfNeeded: u >> (8 * UInt64(i)))) } }
    mutating func str(_ s: String) { let b = Array(s.utf8); u64(b.count); head.append(contentsOf: b) }

    mutating func encode(_ scan: HDF5Scan) {
        u8(1)
        u64(scan.attributes.count)
        for (k, v) in scan.attributes.sorted(by: { $0.key < $1.key }) { str(k); str(v) }
        u64(scan.datasets.count)
        for d in scan.datasets {
            str(d.path); str(d.key)
            if let r = d.role { u8(1); str(r) } else { u8(0) }
            str(d.dtype.name)
            u64(d.shape.count)
            for s in d.shape { u64(s) }
            switch d.data {
            case .file(let offset, let count): u8(0); u64(offset); u64(count)
            case .bytes(let region):
                u8(1); u64(region.count)
                pieces.append((head, region))
                head = []
            case .alias(let index): u8(2); u64(index)
            }
        }
    }

    mutating func encodeRefusal(_ message: String) {
        u8(2)
        str(message)
    }

    /// A refusal by the memory budget, kept typed so the parent rethrows the same error.
    mutating func encodeOverBudget(_ e: MemoryBudgetError) {
        u8(3)
        str(e.what); u64(e.need); u64(e.budget)
    }

    /// Writes everything to `fd`; false when the write fails.
    mutating func flush(to fd: Int32) -> Bool {
        pieces.append((head, nil))
        head = []
        for (bytes, region) in pieces {
            guard bytes.withUnsafeBytes({ writeAll(fd, $0) }) else { return false }
            if let region, !region.withUnsafeBytes({ writeAll(fd, $0) }) { return false }
        }
        return true
    }

    private func writeAll(_ fd: Int32, _ b: UnsafeRawBufferPointer) -> Bool {
        var done = 0
        while done < b.count {
            guard let base = b.baseAddress else { return true }
            let n = write(fd, base + done, b.count - done)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            done += n
        }
        return true
    }
}

/// Reads the helper's answer; every length is checked against what remains.
private struct AnswerReader {
    let region: ByteRegion
    let bytes: UnsafeRawBufferPointer
    var pos = 0

    init(_ region: ByteRegion) {
        self.region = region
        bytes = region.buffer
    }

    func bad(_ what: String) -> HDF5Error { .scanFailed(reason: "malformed scan answer at byte \(pos): \(what)") }

    mutating func u8() throws -> UInt8 {
        guard pos < bytes.count else { throw bad("truncated") }
        defer { pos += 1 }
        return bytes[pos]
    }

    mutating func u64() throws -> Int {
        guard bytes.count - pos >= 8 else { throw bad("truncated") }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[pos + i]) << (8 * UInt64(i)) }
        pos += 8
        guard let i = Checked.int(v) else { throw bad("value \(v) out of range") }
        return i
    }

    mutating func count(limit: Int) throws -> Int {
        let n = try u64()
        guard n <= limit else { throw bad("count \(n) over \(limit)") }
        return n
    }

    mutating func str() throws -> String {
        let n = try u64()
        guard n <= bytes.count - pos else { throw bad("string of \(n) bytes") }
        defer { pos += n }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[pos..<(pos + n)]), as: UTF8.self)
    }

    mutating func decode(limits: HDF5ReadLimits) throws -> HDF5Scan {
        guard bytes.count >= HDF5Isolation.magic.count, Array(bytes[0..<HDF5Isolation.magic.count]) == HDF5Isolation.magic else {
            throw HDF5Error.scanFailed(reason: "the helper gave no scan answer (\(bytes.count) bytes)")
        }
        pos = HDF5Isolation.magic.count
        switch try u8() {
        case 1: break
        case 2: throw HDF5Error.refusedByScan(try str())
        case 3: throw MemoryBudgetError(what: try str(), need: try u64(), budget: try u64())
        case let k: throw bad("record kind \(k)")
        }
        var attributes: [String: String] = [:]
        for _ in 0..<(try count(limit: 4096)) {
            let k = try str()
            attributes[k] = try str()
        }
        var datasets: [HDF5Scan.Dataset] = []
        for _ in 0..<(try count(limit: limits.maxDatasets)) {
            let path = try str(), key = try str()
            let role: String? = try u8() == 1 ? try str() : nil
            let name = try str()
            guard let dtype = DType(rawValue: name) else { throw bad("dtype \(name.prefix(20))") }
            var shape: [Int] = []
            for _ in 0..<(try count(limit: 32)) { shape.append(try u64()) }
            let data: HDF5Scan.Dataset.Data
            switch try u8() {
            case 0: data = .file(offset: try u64(), count: try u64())
            case 1:
                let n = try u64()
                guard n <= bytes.count - pos, let slice = region.slice(pos, n) else { throw bad("dataset of \(n) bytes") }
                pos += n
                data = .bytes(slice)
            case 2: data = .alias(try u64())
            case let k: throw bad("data kind \(k)")
            }
            datasets.append(HDF5Scan.Dataset(path: path, key: key, role: role, dtype: dtype, shape: shape, data: data))
        }
        guard pos == bytes.count else { throw bad("\(bytes.count - pos) trailing bytes") }
        return HDF5Scan(attributes: attributes, datasets: datasets)
    }
}
