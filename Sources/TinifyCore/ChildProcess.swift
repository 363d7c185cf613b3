// TinifyCore: running a helper process (posix_spawn) and collecting its standard output, with a
// cap on the bytes taken and a wall-clock deadline, reporting how it ended. Used to run code that
// is not hardened against hostile input (libhdf5) where its crash cannot take this process down.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a helper process ended, and what it wrote to standard output.
package struct ChildProcessResult: Sendable {
    /// The exit status, when it exited.
    package let exitStatus: Int32?
    /// The signal that ended it, when one did (SIGKILL after the deadline included).
    package let signal: Int32?
    /// Whether it was killed for passing the deadline.
    package let timedOut: Bool
    /// Its standard output: a read-only mapping of an unlinked temporary file (no copy, and no
    /// anonymous memory however large the output), at most the cap.
    package let output: ByteRegion
}

/// Why a helper process could not be run.
package enum ChildProcessError: Error, CustomStringConvertible, Sendable {
    /// posix_spawn, the temporary file or its mapping failed.
    case cannotStart(executable: String, reason: String)
    /// The process wrote more than the cap to standard output.
    case outputTooLarge(executable: String, bytes: Int, limit: Int)

    /// One line.
    package var description: String {
        switch self {
        case .cannotStart(let e, let r): return "cannot start \(e): \(r)"
        case .outputTooLarge(let e, let b, let l): return "\(e) wrote \(b) bytes, more than the limit of \(l)"
        }
    }
}

/// A read-only mapping of a descriptor, unmapped with its last region.
final class DescriptorMapping: ByteOwner {
    let pointer: UnsafeRawPointer?
    let count: Int

    init?(fd: Int32, count: Int) {
        self.count = count
        if count == 0 { pointer = nil; return }
        guard let p = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else { return nil }
        pointer = UnsafeRawPointer(p)
    }
    deinit { if let pointer { munmap(UnsafeMutableRawPointer(mutating: pointer), count) } }
}

/// Runs helper processes.
package enum ChildProcess {
    /// Runs `executable` with `arguments` (argv[0] is the executable), standard input and error on
    /// /dev/null and standard output into an unlinked temporary file (in `TMPDIR` or /tmp), and
    /// returns that output once the process ends. It is killed (SIGKILL) when it runs past
    /// `seconds`; the helper itself should cap its writes (`limitSelf(maxFileBytes:)`), and output
    /// past `maxOutput` throws `outputTooLarge` here.
    package static func run(_ executable: String, _ arguments: [String], maxOutput: Int, seconds: Double) throws -> ChildProcessResult {
        let fail = { (what: String) in ChildProcessError.cannotStart(executable: executable, reason: what + ": " + String(cString: strerror(errno))) }
        let directory = Environment.value("TMPDIR").flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((directory + "/tinify-helper-XXXXXX").utf8CString)
        let out = template.withUnsafeMutableBufferPointer { b in b.baseAddress.map { mkstemp($0) } ?? -1 }
        guard out >= 0 else { throw fail("temporary file in \(directory)") }
        defer { close(out) }
        template.withUnsafeBufferPointer { b in if let p = b.baseAddress { _ = unlink(p) } }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, out, 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard status == 0 else {
            throw ChildProcessError.cannotStart(executable: executable, reason: String(cString: strerror(status)))
        }

        var timedOut = false
        var wstatus: Int32 = 0
        let deadline = now() + seconds
        var pause = 200_000  // ns, doubling to 10 ms
        while true {
            let r = waitpid(pid, &wstatus, WNOHANG)
            if r == pid { break }
            if r < 0 && errno != EINTR { break }
            if now() > deadline {
                timedOut = true
                kill(pid, SIGKILL)
                while waitpid(pid, &wstatus, 0) < 0 && errno == EINTR {}
                break
            }
            var t = timespec(tv_sec: 0, tv_nsec: pause)
            nanosleep(&t, nil)
            pause = min(pause * 2, 10_000_000)
        }
        var st = stat()
        guard fstat(out, &st) == 0 else { throw fail("fstat") }
        let size = Int(st.st_size)
        guard size <= maxOutput else { throw ChildProcessError.outputTooLarge(executable: executable, bytes: size, limit: maxOutput) }
        guard let mapping = DescriptorMapping(fd: out, count: size) else { throw fail("mmap") }
        let output = ByteRegion(owner: mapping, base: mapping.pointer, count: size)
        let termSignal = wstatus & 0x7f
        return ChildProcessResult(exitStatus: termSignal == 0 ? (wstatus >> 8) & 0xff : nil,
                                  signal: termSignal == 0 ? nil : termSignal, timedOut: timedOut, output: output)
    }

    /// Limits this process's own resources (for a helper, at its start): address space, CPU
    /// seconds, the largest file it may write (its answer) and no core dumps. Returns false
    /// when a limit cannot be set.
    @discardableResult
    package static func limitSelf(memoryBytes: Int, cpuSeconds: Int, maxFileBytes: Int) -> Bool {
        func set(_ resource: UInt32, _ value: Int) -> Bool {
            var r = rlimit(rlim_cur: rlim_t(max(value, 0)), rlim_max: rlim_t(max(value, 0)))
            return setrlimit(__rlimit_resource_t(resource), &r) == 0
        }
        var ok = set(RLIMIT_AS.rawValue, max(memoryBytes, 1 << 28))
        ok = set(RLIMIT_CPU.rawValue, max(cpuSeconds, 1)) && ok
        ok = set(RLIMIT_FSIZE.rawValue, maxFileBytes) && ok
        ok = set(RLIMIT_CORE.rawValue, 0) && ok
        return ok
    }

    private static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
}

extension ChildProcessError: TinifyError {}
