// tinify: the plain command lines of compress and decompress, read without ArgumentParser. Its
// first parse costs about 5 ms of the Swift runtime's protocol-conformance lookups, a twentieth
// of a small image's whole run; these two commands are the ones run once per image.
import ArgumentParser
import Tinify

/// A compress or decompress command line in its plain form.
enum CodecRequest {
    case compress(CompressJob)
    case decompress(DecompressJob)

    /// Recognises `compress` / `decompress` with their own options, each at most once, as
    /// separate words (`--option value`, `-o value`), and one positional argument that does not
    /// start with `-`. Anything else (help, `--option=value`, unknown, repeated or valueless
    /// options, a bad --arch or --quality, `--`) gives nil, and ArgumentParser parses it and
    /// reports any mistake as usual.
    init?(arguments: [String]) {
        guard let command = arguments.first, command == "compress" || command == "decompress" else { return nil }
        let compress = command == "compress"
        let valued: Set<String> = compress ? ["--checkpoint", "--output", "--arch", "--quality", "--metric", "--max-memory"]
                                           : ["--checkpoint", "--output", "--arch", "--reference", "--max-memory"]
        let flags: Set<String> = compress ? ["--bit-exact", "--force"] : ["--bit-exact", "--latent-digest", "--force"]
        var values: [String: String] = [:], set: Set<String> = [], positional: String?
        var words = arguments.dropFirst().makeIterator()
        while let word = words.next() {
            let name = word == "-o" ? "--output" : word
            if valued.contains(name) {
                guard values[name] == nil, let value = words.next(), !value.hasPrefix("-") else { return nil }
                values[name] = value
            } else if flags.contains(name) {
                guard set.insert(name).inserted else { return nil }
            } else {
                guard positional == nil, !word.hasPrefix("-") else { return nil }
                positional = word
            }
        }
        guard let checkpoint = values["--checkpoint"], let output = values["--output"], let positional else { return nil }
        var arch: Architecture?
        if let name = values["--arch"] {
            guard let a = Architecture(rawValue: name) else { return nil }
            arch = a
        }
        if compress {
            var job = CompressJob(checkpoint: checkpoint, image: positional, output: output, arch: arch,
                                  force: set.contains("--force"), maxMemory: values["--max-memory"])
            if let q = values["--quality"] {
                guard let quality = Int(q) else { return nil }
                job.quality = quality
            }
            if let metric = values["--metric"] { job.metric = metric }
            self = .compress(job)
        } else {
            self = .decompress(DecompressJob(checkpoint: checkpoint, input: positional, output: output, arch: arch,
                                             bitExact: set.contains("--bit-exact"), reference: values["--reference"],
                                             latentDigest: set.contains("--latent-digest"), force: set.contains("--force"),
                                             maxMemory: values["--max-memory"]))
        }
    }

    /// Runs the command; errors are printed and give the exit status as ArgumentParser's would.
    func runAndExit() -> Never {
        do {
            switch self {
            case .compress(let job): try job.run()
            case .decompress(let job): try job.run()
            }
        } catch {
            TinifyCommand.exit(withError: error)
        }
        Console.flushOutput()
        processExit(0)
    }
}

/// Values the command keeps until the process exits: the kernel reclaims their memory at once,
/// which is quicker than releasing a model's buffers one by one just before exiting.
nonisolated(unsafe) private var keptUntilExit: [AnyObject] = []

/// Keeps `object` alive until the process exits.
func keepUntilExit(_ object: AnyObject) { keptUntilExit.append(object) }
