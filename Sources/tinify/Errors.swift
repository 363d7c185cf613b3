// tinify: every failure is one line on stderr, `error: <file>: <what>`, and exit status 1.
import ArgumentParser
import Tinify
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `body`; on error prints `error: <file>: <what>` and exits 1.
func reportingErrors(_ file: String, _ body: () throws -> Void) throws {
    do {
        try body()
    } catch let e as ExitCode {
        throw e
    } catch {
        var text = String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
        // The library states the fact; the command adds what the user can do about it.
        if error is MemoryBudgetError { text += " (raise it with --max-memory or TINIFY_MAX_MEMORY)" }
        if case CodingError.notUpdated = error { text += " (run `tinify update` first)" }
        if case FileError.outputExists = error { text += " (use --force to replace it)" }
        Console.error("error: \(file): \(text)\n")
        throw ExitCode(1)
    }
}

/// Refuses an existing `path` (`FileError.outputExists`) unless `replace`: checked before any work,
/// so a command that would fail at the end fails at once (the write itself checks again).
func refuseExisting(_ path: String, replace: Bool) throws {
    if !replace, access(path, F_OK) == 0 { throw FileError.outputExists(path: path) }
}
