// TinifyRuntime: OpenBLAS set-up. OpenBLAS 0.3.21 (Debian 12) picks its kernels from the CPU
// model number; on CPUs newer than it knows (e.g. Sapphire/Emerald Rapids, family 6 model 143/207)
// DYNAMIC_ARCH falls back to the SSE3 "Prescott" kernels, 5–8× slower than the AVX-512 ones the
// CPU supports. When the user has not chosen a core (OPENBLAS_CORETYPE) and OpenBLAS settled on
// such a generic core, this re-runs OpenBLAS's own selection (`gotoblas_dynamic_quit` /
// `gotoblas_dynamic_init`, exported by DYNAMIC_ARCH builds) with OPENBLAS_CORETYPE set from the
// CPU's feature flags, before the first BLAS call. Nothing changes when the symbols are absent.
import CBLAS
import CLazyLibraries
import TinifyCore
#if canImport(Glibc)
import Glibc
#endif

/// Chooses OpenBLAS's kernels and thread count once per process.
enum BLASSetup {
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
        // OpenBLAS is loaded on first use (CLazyLibraries), globally, so that its exported
        // helpers below can be found. `RuntimeModels.make` has loaded it already (and thrown
        // the reason if it could not); kernels used on their own load it here, and a library
        // that cannot be loaded then stops the process at the first BLAS call.
        _ = LazyLibrary.failure(of: clazy_load_blas)
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
        openblas_set_num_threads(1)
        // The pool of OpenBLAS worker threads is never used (every call is single-threaded) and
        // its idle threads spin on sched_yield for a while after start-up: stop them.
        if let handle = dlopen(nil, RTLD_NOW), let shutdown = dlsym(handle, "blas_thread_shutdown_") {
            _ = unsafeBitCast(shutdown, to: (@convention(c) () -> Int32).self)()
        }
    }()
}
