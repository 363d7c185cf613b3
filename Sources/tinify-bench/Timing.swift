// tinify-bench: wall-clock timing of spawned processes, medians, and finding the tinify binary.
import Foundation

enum Timing {
    /// Monotonic seconds.
    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// The median and range of `samples` as a figure.
    static func figure(_ label: String, _ samples: [Double]) -> Figure {
        let s = samples.sorted()
        let mid = s.count / 2
        let median = s.count % 2 == 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2
        return Figure(label: label, seconds: median, runs: s.count, min: s.first ?? 0, max: s.last ?? 0)
    }

    /// Runs `executable arguments` to completion with output discarded; returns the wall time from
    /// spawn to exit. Throws if it exits non-zero.
    static func spawn(_ executable: String, _ arguments: [String]) throws -> Double {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        let err = Pipe()
        p.standardError = err
        // The termination handler fires as soon as the child is reaped; waitUntilExit polls a run loop.
        let done = DispatchSemaphore(value: 0)
        p.terminationHandler = { _ in done.signal() }
        let t0 = now()
        try p.run()
        done.wait()
        let t = now() - t0
        guard p.terminationStatus == 0 else {
            let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw BenchError("\(executable) \(arguments.joined(separator: " ")) exited with \(p.terminationStatus): \(text)")
        }
        return t
    }

    /// The pause before each measurement. An in-process anchor's worker threads (torch's) keep
    /// running for a while after its call returns: a whole mbt2018 768×512 `tinify compress`
    /// started at once took 1.05–1.23 s, started 0.3 s later 0.76–0.85 s, started right after
    /// another tinify run 0.88–0.91 s (medians of 6, two sessions). The pause lets each side
    /// start on a machine the other has left.
    static let settle = 0.5

    /// One warm-up of each, then `runs` alternating measurements (ours, then the anchor's), so
    /// both see the same moments of a shared, noisy machine, each after a pause of `settle`
    /// seconds. Each closure returns seconds.
    static func interleaved(runs: Int, ours: () throws -> Double, anchor: () throws -> Double) throws -> (ours: [Double], anchor: [Double]) {
        _ = try ours()
        _ = try anchor()
        var a: [Double] = [], b: [Double] = []
        for _ in 0..<runs {
            Thread.sleep(forTimeInterval: settle)
            a.append(try ours())
            Thread.sleep(forTimeInterval: settle)
            b.append(try anchor())
        }
        return (a, b)
    }

    /// The `name` executable beside this one (both are built into the same products directory).
    static func sibling(_ name: String) throws -> String {
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let p = me.deletingLastPathComponent().appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: p) else {
            throw BenchError("\(p) not found: build it with `swift build -c release` (tinify-bench expects \(name) beside it)")
        }
        return p
    }
}
