// tinify verify: check a checkpoint against an architecture, reporting every problem.
import ArgumentParser
import Tinify

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check every tensor against an architecture (detected unless --arch); exit 1 listing every problem.")

    @Argument(help: "A weights file (.pth, .pth.tar, .pt, .h5, .safetensors).") var file: String
    @Option(help: "The architecture (zoo name, e.g. bmshj2018-hyperprior); detected when absent.") var arch: Architecture?
    @Flag(help: "Print one JSON object.") var json = false
    @OptionGroup var memory: MemoryOption

    func run() throws {
        var ok = false
        try reportingErrors(file) {
            let state = try StateDict(contentsOfFile: file, options: readOptions(try memory.budget()))
            let check = try ModelCheck(stateDict: state, path: file, architecture: arch)
            if json { print(check.json(file: file).pretty) } else { print(check.text(file: file), terminator: "") }
            ok = check.ok
        }
        if !ok { throw ExitCode(1) }
    }
}
