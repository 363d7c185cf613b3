// tinify-bench: runs Python snippets for the anchors (torch, CompressAI).
import Foundation

enum Python {
    /// Runs `python3 -c code args…`; returns stdout, or throws with its last stderr line.
    static func run(_ code: String, _ args: [String] = []) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", code] + args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let errHandle = err.fileHandleForReading
        final class Box: @unchecked Sendable { var data = Data() }
        let box = Box()
        let reader = DispatchGroup()
        reader.enter()
        DispatchQueue.global().async { box.data = errHandle.readDataToEndOfFile(); reader.leave() }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        reader.wait()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            let last = String(decoding: box.data, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? "no message"
            throw BenchError("python3 failed: \(last)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Whether every module in `modules` imports.
    static func has(_ modules: [String]) -> Bool {
        (try? run("import " + modules.joined(separator: ", "))) != nil
    }
}

/// A long-lived `python3 -c code args…` that answers one line per request line, so that Python's
/// timings can be interleaved with Tinify's in the same moments of a shared machine.
final class PythonSession {
    private let process = Process()
    private let input = Pipe(), output = Pipe(), errors = Pipe()
    private var buffer: [UInt8] = []

    /// Starts the script; it must print one line when ready and then one line per request.
    init(_ code: String, _ args: [String]) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", code] + args
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        _ = try line()
    }

    /// Sends `request` and returns the reply line.
    func ask(_ request: String) throws -> String {
        input.fileHandleForWriting.write(Data((request + "\n").utf8))
        return try line()
    }

    private func line() throws -> String {
        while true {
            if let nl = buffer.firstIndex(of: 10) {
                let l = String(decoding: buffer[..<nl], as: UTF8.self)
                buffer.removeSubrange(...nl)
                return l
            }
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else {
                let err = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                throw BenchError("python3 stopped: \(err.split(separator: "\n").last.map(String.init) ?? "no message")")
            }
            buffer.append(contentsOf: chunk)
        }
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
