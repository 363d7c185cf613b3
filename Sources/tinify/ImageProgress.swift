// tinify: a progress bar on standard error for long runs (`tinify eval`): items done of the
// total, the rate and the time left, redrawn in place. Drawn only when standard error is a
// terminal; nothing at all otherwise (logs and pipes stay clean).
import Dispatch
import Tinify
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A thread-safe progress line on a terminal's standard error.
final class ImageProgress: @unchecked Sendable {
    private let total: Int
    private let unit: String
    private let enabled: Bool
    private let start = DispatchTime.now().uptimeNanoseconds
    private var done = 0
    private var lastDraw: UInt64 = 0
    private var mutex = pthread_mutex_t()

    /// A bar for `total` items named `unit` (e.g. "images"); drawn only when standard error is a terminal.
    init(total: Int, unit: String) {
        self.total = total
        self.unit = unit
        self.enabled = isatty(2) != 0 && total > 0
        pthread_mutex_init(&mutex, nil)
        draw(force: true)
    }

    deinit { pthread_mutex_destroy(&mutex) }

    /// Counts one more item done.
    func advance() {
        pthread_mutex_lock(&mutex)
        done += 1
        draw(force: done == total)
        pthread_mutex_unlock(&mutex)
    }

    /// Ends the line.
    func finish() {
        if enabled { Console.error("\n") }
    }

    private func draw(force: Bool) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard force || now - lastDraw > 100_000_000 else { return }
        lastDraw = now
        let elapsed = Double(now - start) / 1e9
        let width = 30
        let filled = total > 0 ? width * done / total : width
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        var line = "\r\(bar) \(done)/\(total) \(unit)"
        if done > 0, elapsed > 0 {
            let rate = Double(done) / elapsed
            line += rate >= 1 ? ", \(decimal(rate, 1)) \(unit)/s" : ", \(decimal(1 / rate, 1)) s each"
            if done < total { line += ", \(clock(Double(total - done) / rate)) left" } else { line += ", \(clock(elapsed))" }
        }
        Console.error(line + "\u{1B}[K")
    }

    private func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        let two = { (v: Int) in v < 10 ? "0\(v)" : "\(v)" }
        return s >= 3600 ? "\(s / 3600):\(two(s / 60 % 60)):\(two(s % 60))" : "\(s / 60):\(two(s % 60))"
    }
}
