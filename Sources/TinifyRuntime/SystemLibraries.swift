// TinifyRuntime: loading OpenBLAS, libpng and libjpeg (on first use, see CLazyLibraries) with a thrown
// error when one cannot be loaded, before any of their functions is called.
import CLazyLibraries
import TinifyCore

/// The system libraries the runtime loads on first use.
enum SystemLibraries {
    /// Loads OpenBLAS, or throws `RuntimeError.libraryUnavailable` with the loader's reason.
    /// Runs the process set-up if the program asked for it (`ProcessSettings`).
    static func loadBLAS() throws {
        try load(clazy_load_blas)
        if BLASSetup.requested.withLock({ $0 }) { BLASSetup.configure }
    }

    /// Loads libpng, or throws `RuntimeError.libraryUnavailable` with the loader's reason.
    static func loadPNG() throws { try load(clazy_load_png) }

    /// Loads libjpeg, or throws `RuntimeError.libraryUnavailable` with the loader's reason.
    static func loadJPEG() throws { try load(clazy_load_jpeg) }

    private static func load(_ loader: (UnsafeMutablePointer<CChar>?, Int) -> Int32) throws {
        if let reason = LazyLibrary.failure(of: loader) { throw RuntimeError.libraryUnavailable(reason) }
    }
}
