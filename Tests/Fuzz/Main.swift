// tinify-fuzz: the entry point. Built with `-sanitize=fuzzer,address -DFUZZING` (see run.sh),
// `main` hands the target named by TINIFY_FUZZ_TARGET to libFuzzer's driver with the remaining
// arguments (corpus directories, -max_total_time, …). Built normally, it replays files:
// `tinify-fuzz [-v] TARGET FILE|DIR…` runs every file once (the regression check the tests use).
#if canImport(Glibc)
import Glibc
#endif
import TinifyCore

#if FUZZING
/// libFuzzer's driver (libclang_rt.fuzzer), given our callback instead of its `main`.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

nonisolated(unsafe) var selected: FuzzTarget = .pickle
#endif

@main
enum FuzzMain {
    static func main() {
        #if FUZZING
        guard let name = Environment.value("TINIFY_FUZZ_TARGET"), let target = FuzzTarget(rawValue: name) else {
            print("tinify-fuzz: set TINIFY_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))")
            exit(2)
        }
        selected = target
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            selected.run(UnsafeRawBufferPointer(start: data, count: size))
            return 0
        })
        #else
        var args = Array(CommandLine.arguments.dropFirst())
        let verbose = args.first == "-v"
        if verbose { args.removeFirst() }
        guard let name = args.first, let target = FuzzTarget(rawValue: name) else {
            print("usage: tinify-fuzz TARGET FILE|DIR… (targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")))")
            exit(2)
        }
        var count = 0
        for path in args.dropFirst() {
            for file in Replay.files(path) {
                guard let mapped = try? MappedFile(path: file) else { print("tinify-fuzz: cannot read \(file)"); exit(1) }
                if verbose { print(file) }
                target.run(UnsafeRawBufferPointer(start: mapped.pointer, count: mapped.count), verbose: verbose)
                count += 1
            }
        }
        print("tinify-fuzz: \(name): \(count) inputs ran without a crash")
        #endif
    }
}

/// Lists a corpus directory's files (sorted), or the path itself.
enum Replay {
    static func files(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [path] }
        defer { closedir(dir) }
        var out: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if !name.hasPrefix(".") { out.append(path + "/" + name) }
        }
        return out.sorted()
    }
}
