// tinify: the command-line tool.
import ArgumentParser
import TinifyKit

@main
struct Tinify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tinify",
        abstract: "Read, verify, convert and run CompressAI checkpoints without Python.",
        version: TinifyVersion.string,
        subcommands: [Inspect.self, Verify.self, Convert.self, Diff.self])
}
