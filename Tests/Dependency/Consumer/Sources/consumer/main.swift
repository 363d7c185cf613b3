// consumer: reads a checkpoint through Tinify as a dependency and prints what it holds.
#if canImport(Glibc)
import Glibc
#endif
import TinifyKit

guard CommandLine.arguments.count == 2 else {
    print("usage: consumer CHECKPOINT")
    exit(2)
}
do {
    let store = try WeightFile.open(CommandLine.arguments[1])
    let summary = ArchitectureSummary(store)
    print("\(store.entries.count) tensors; \(summary.lines.joined(separator: "; "))")
} catch {
    print("error: \(error)")
    exit(1)
}
