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
// one-line `HDF5Error.scanFailed`.
#if canImport(Glibc)
import Glibc
#endif
import TinifyCore

/// Runs and serves the helper-process scan of HDF5 weights files.
public enum HDF5Isolation {
    static let magic: [UInt8] = Array("TNFYH5S1".utf8)

    /// Scans `path` in a helper process and decodes its answer.
    static func scan(path: String, fileSize: Int, limits: HDF5ReadLimits, executable: String, arguments: [String]) throws -> HDF5Scan {
        // The answer holds at most the bytes read through libhdf5 plus small per-dataset records.
        let maxOutput = (Checked.add(limits.maxReadBytes, Checked.mul(limits.maxDatasets, 4096) ?? Int.max) ?? Int.max)
        let seconds = 10 + Double(fileSize) / 50e6
        let memory = min(Checked.add(limits.maxReadBytes, 1 << 30) ?? Int.max, 1 << 40)
        let result: ChildProcessResult
        do {
            result = try ChildProcess.run(executable, arguments + ["--max-memory", String(memory), "--max-seconds", String(Int(seconds)),
                                                                   "--max-output", String(maxOutput), path],
                                          maxOutput: maxOutput, seconds: seconds)
        } catch {
            throw HDF5Error.scanFailed(reason: "\(error)")
        }
        if result.timedOut { throw HDF5Error.scanFailed(reason: "libhdf5 did not finish within \(Int(seconds)) s (the helper was stopped)") }
        if let s = result.signal {
            if s == SIGXFSZ { throw HDF5Error.scanFailed(reason: "the scan's answer exceeds \(maxOutput) bytes") }
            if s == SIGXCPU { throw HDF5Error.scanFailed(reason: "libhdf5 used more than \(Int(seconds)) s of CPU on this file (the helper was stopped)") }
            let name = s == SIGSEGV ? "SIGSEGV" : s == SIGABRT ? "SIGABRT" : s == SIGKILL ? "SIGKILL" : s == SIGBUS ? "SIGBUS" : "signal \(s)"
            throw HDF5Error.scanFailed(reason: "libhdf5 crashed on this file (\(name) in the helper process): the file is corrupt or hostile")
        }
        var reader = AnswerReader(result.output)
        return try reader.decode(limits: limits)
    }

    /// The helper's side: limits this process, scans `path` in it and writes the answer to
    /// standard output (an error is an answer too). Returns the exit status for the helper's
    /// `main` to exit with (0 for any answer written, 2 when nothing could be written).
    public static func serve(path: String, maxMemory: Int, maxSeconds: Int, maxOutput: Int) -> Int32 {
        ChildProcess.limitSelf(memoryBytes: maxMemory, cpuSeconds: maxSeconds, maxFileBytes: maxOutput)
        var out = AnswerWriter()
        do {
            let file = try MappedFile(path: path)
            let scan = try HDF5Scan(path: path, fileSize: file.count, limits: HDF5ReadLimits(maxReadBytes: maxMemory))
            out.encode(scan)
        } catch {
            out = AnswerWriter()
            out.encodeError("\(error)")
        }
        return out.flush(to: 1) ? 0 : 2
    }
}

extension HDF5ReadLimits {
    /// The defaults with a bound on the bytes read through libhdf5.
    init(maxReadBytes: Int) {
        self.init()
        self.maxReadBytes = min(self.maxReadBytes, maxReadBytes)
    }
}

/// Writes a scan in the helper's answer format.
private struct AnswerWriter {
    var head: [UInt8] = HDF5Isolation.magic
    var regions: [ByteRegion] = []
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

    mutating func encodeError(_ message: String) {
        u8(2)
        str(message)
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
        case 2: throw HDF5Error.scanFailed(reason: try str())
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
