// tinify: the standard streams without touching C's `stdout`/`stderr` globals (shared mutable
// state to Swift 6): errors and progress go straight to file descriptor 2.
import Tinify
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes to the terminal's streams.
enum Console {
    /// Writes `text` to standard error, unbuffered (as C's `stderr` is).
    static func error(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var done = 0
            while done < bytes.count, let base = bytes.baseAddress {
                let n = write(2, base + done, bytes.count - done)
                if n > 0 { done += n } else if n < 0 && errno == EINTR { continue } else { return }
            }
        }
    }

    /// Flushes what `print` buffered for standard output.
    static func flushOutput() { fflush(nil) }
}
