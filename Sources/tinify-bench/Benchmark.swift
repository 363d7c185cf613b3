// tinify-bench: the benchmark protocol, options, and the "Tinify beside anchor, ratio" report.
import Foundation

/// One benchmark subcommand.
protocol Benchmark: Sendable {
    /// The subcommand name, e.g. `inspect`.
    var name: String { get }
    /// One line for the usage text.
    var summary: String { get }
    /// The options it accepts (without `--`), each taking one value.
    var options: [String] { get }
    /// Measures and returns the comparisons to print.
    func run(_ options: BenchOptions) throws -> [Comparison]
}

/// The registry of benchmarks.
enum Benchmarks {
    /// Every benchmark, in usage order.
    static let all: [Benchmark] = [InspectBenchmark(), VerifyBenchmark(), ConvertBenchmark(), EvalBenchmark(), CodecBenchmark(), EvalDatasetBenchmark()]

    /// The usage text.
    static var usage: String {
        "usage: tinify-bench <benchmark> [options]\n\nbenchmarks:\n"
            + all.map { "  \($0.name.padding(toLength: 10, withPad: " ", startingAt: 0)) \($0.summary)" }.joined(separator: "\n")
            + "\n\ncommon options: --runs N (timed runs of each after one warm-up, at least 5, default 9; Tinify's and\nthe anchor's alternate, so both see the same load on a shared machine)"
    }
}

/// A failure to set up or run a benchmark, said plainly.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ s: String) { description = s }
}

/// `--name value` options.
struct BenchOptions {
    private var values: [String: String] = [:]

    init(_ args: [String], allowed: [String]) throws {
        var i = 0
        while i < args.count {
            let a = args[i]
            guard a.hasPrefix("--"), allowed.contains(String(a.dropFirst(2))) || a == "--runs" else {
                throw BenchError("unknown argument '\(a)' (options: \((allowed + ["runs"]).map { "--" + $0 }.joined(separator: ", ")))")
            }
            guard i + 1 < args.count else { throw BenchError("\(a) needs a value") }
            values[String(a.dropFirst(2))] = args[i + 1]
            i += 2
        }
    }

    /// The value of `--name`, if given.
    subscript(_ name: String) -> String? { values[name] }

    /// `--runs`, or `fallback`; at least 5.
    func runs(_ fallback: Int) throws -> Int {
        guard let s = values["runs"] else { return fallback }
        guard let n = Int(s), n >= 5 else { throw BenchError("--runs must be a number ≥ 5") }
        return n
    }
}

/// A median time and how it was taken.
struct Figure {
    /// What was timed.
    let label: String
    /// Median, in seconds.
    let seconds: Double
    /// Timed runs (after warm-up).
    let runs: Int
    /// Fastest and slowest run, in seconds.
    let min: Double, max: Double
}

/// A Tinify figure beside its anchor.
struct Comparison {
    /// The benchmark and its input, e.g. `inspect cheng2020-attn-q6.pth (126.8 MB)`.
    let title: String
    let tinify: Figure
    let anchor: Figure
    /// Further measured lines printed under the ratio (e.g. a cost the goal has to fit in).
    var notes: [String] = []

    /// The report: both figures and the ratio Tinify / anchor (below 1 means Tinify is faster).
    var text: String {
        func ms(_ s: Double) -> String { String(format: "%8.2f ms", s * 1000) }
        func row(_ f: Figure) -> String {
            f.label.padding(toLength: 44, withPad: " ", startingAt: 0) + ms(f.seconds)
                + String(format: "   median of %d (min %.2f, max %.2f)", f.runs, f.min * 1000, f.max * 1000)
        }
        let ratio = tinify.seconds / anchor.seconds
        return [title, "  " + row(tinify), "  " + row(anchor),
                "  " + "ratio Tinify/anchor".padding(toLength: 44, withPad: " ", startingAt: 0) + String(format: "%8.2f", ratio)
                    + (ratio <= 1 ? "      (Tinify no slower)" : "      (Tinify slower)")]
            .joined(separator: "\n") + notes.map { "\n  " + $0 }.joined()
    }
}
