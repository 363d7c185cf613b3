// TinifyRuntime: OpenBLAS set-up. OpenBLAS 0.3.21 (Debian 12) picks its kernels from the CPU
// model number; on CPUs newer than it knows (e.g. Sapphire/Emerald Rapids, family 6 model 143/207)
// DYNAMIC_ARCH falls back to the SSE3 "Prescott" kernels, 5–8× slower than the AVX-512 ones the
// CPU supports. When the user has not chosen a core (OPENBLAS_CORETYPE) and OpenBLAS settled on
// such a generic core, this re-runs OpenBLAS's own selection (`gotoblas_dynamic_quit` /
// `gotoblas_dynamic_init`, exported by DYNAMIC_ARCH builds) with OPENBLAS_CORETYPE set from the
// CPU's feature flags, before the first BLAS call. Nothing changes when the symbols are absent.
import CBLAS
import CLazyLibraries
import Dispatch
import TinifyCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Process-wide settings the library never makes on its own: the command (or a program that owns
/// its process) asks for them.
public enum ProcessSettings {
    /// Sets OpenBLAS up for Tinify's kernels, once per process: loads it (throwing
    /// `RuntimeError.libraryUnavailable` when it cannot be), upgrades a generic fallback core to
    /// the one the CPU's features call for (unless `OPENBLAS_CORETYPE` is set), makes every BLAS
    /// call single-threaded (the kernels spread tiles over the cores themselves) and stops
    /// OpenBLAS's idle worker threads. These change OpenBLAS for the whole process, so call it
    /// only where no other code relies on OpenBLAS's own threading. Without it the kernels work
    /// the same, with OpenBLAS as the process has it.
    ///
    /// With `whenFirstUsed`, nothing is loaded now: the set-up runs when a kernel first loads
    /// OpenBLAS (a run on the deterministic kernels alone never does).
    public static func configureOpenBLAS(whenFirstUsed: Bool = false) throws {
        if whenFirstUsed {
            BLASSetup.requested.withLock { $0 = true }
        } else {
            try SystemLibraries.loadBLAS()
            BLASSetup.configure
        }
    }
}

extension ProcessSettings {
    /// Starts loading OpenBLAS (and its set-up, when `configureOpenBLAS(whenFirstUsed:)` asked
    /// for it) on a background thread, so that a command which will need it does not wait the
    /// ~5 ms of loading at its first kernel. A failure is left for that kernel to report.
    public static func preloadOpenBLAS() {
        DispatchQueue.global().async { try? SystemLibraries.loadBLAS() }
    }
}

/// Chooses OpenBLAS's kernels and thread count once per process.
enum BLASSetup {
    /// Whether the set-up is to run when OpenBLAS is first loaded.
    static let requested = Protected(false)

    typealias VoidFunction = @convention(c) () -> Void
    typealias NameFunction = @convention(c) () -> UnsafeMutablePointer<CChar>?

    /// The core OpenBLAS uses (e.g. `SkylakeX`), if it can be asked.
    static func coreName() -> String? {
        guard let handle = dlopen(nil, RTLD_NOW), let sym = dlsym(handle, "openblas_get_corename") else { return nil }
        let f = unsafeBitCast(sym, to: NameFunction.self)
        return f().map { String(cString: $0) }
    }

    /// The OpenBLAS core name the CPU's feature flags call for, from /proc/cpuinfo.
    static func bestCoreForThisCPU() -> String? {
        guard let text = Environment.readText("/proc/cpuinfo"),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return nil }
        let flags = Set(line.split(separator: " ").map(String.init))
        if ["avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"].allSatisfy(flags.contains) { return "SkylakeX" }
        if ["avx2", "fma"].allSatisfy(flags.contains) { return "Haswell" }
        if flags.contains("avx") { return "SandyBridge" }
        return nil
    }

    /// Runs once: upgrades a generic fallback core, then makes each BLAS call single-threaded
    /// (the kernels spread tiles over the cores themselves) and stops OpenBLAS's idle threads.
    static let configure: Void = {
        // OpenBLAS is loaded (globally, so that its exported helpers below can be found) by
        // `ProcessSettings.configureOpenBLAS` before this runs.
        let generic: Set<String> = ["Prescott", "Katmai", "Coppermine", "Northwood", "Banias", "Core2", "Penryn", "Dunnington", "Nehalem", "Atom"]
        if Environment.value("OPENBLAS_CORETYPE") == nil,
           let current = coreName(), generic.contains(current),
           let best = bestCoreForThisCPU(), let handle = dlopen(nil, RTLD_NOW),
           let quit = dlsym(handle, "gotoblas_dynamic_quit"), let initialise = dlsym(handle, "gotoblas_dynamic_init") {
            setenv("OPENBLAS_CORETYPE", best, 1)
            unsafeBitCast(quit, to: VoidFunction.self)()
            unsafeBitCast(initialise, to: VoidFunction.self)()
            unsetenv("OPENBLAS_CORETYPE")
        }
        #if !canImport(Darwin)
        openblas_set_num_threads(1)
        #endif
        // The pool of OpenBLAS worker threads is never used (every call is single-threaded) and
        // its idle threads spin on sched_yield for a while after start-up: stop them.
        if let handle = dlopen(nil, RTLD_NOW), let shutdown = dlsym(handle, "blas_thread_shutdown_") {
            _ = unsafeBitCast(shutdown, to: (@convention(c) () -> Int32).self)()
        }
    }()
}
