// tinify-bench: Tinify's timings beside their Python anchors, measured in the same run.
//
//   tinify-bench                       lists the benchmarks
//   tinify-bench inspect [--checkpoint PATH] [--runs N]
//
// Each benchmark prints the Tinify figure, the anchor's figure and the ratio Tinify/anchor.
// New benchmarks (verify, convert, eval) are a `Benchmark` added to `Benchmarks.all`.
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
guard let name = arguments.first, !["-h", "--help", "help"].contains(name) else {
    print(Benchmarks.usage)
    exit(arguments.isEmpty ? 0 : 0)
}
guard let bench = Benchmarks.all.first(where: { $0.name == name }) else {
    FileHandle.standardError.write(Data("error: unknown benchmark '\(name)'\n\(Benchmarks.usage)\n".utf8))
    exit(2)
}
do {
    let options = try BenchOptions(Array(arguments.dropFirst()), allowed: bench.options)
    for comparison in try bench.run(options) { print(comparison.text) }
} catch {
    FileHandle.standardError.write(Data("error: \(name): \(error)\n".utf8))
    exit(1)
}
