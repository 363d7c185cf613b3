// TinifyRuntime: loading OpenBLAS and libpng (on first use, see CLazyLibraries) with a thrown
// error when one cannot be loaded, before any of their functions is called.
import CLazyLibraries

/// The system libraries the runtime loads on first use.
enum SystemLibraries {
    /// Loads OpenBLAS, or throws `RuntimeError.libraryUnavailable` with the loader's reason.
    static func loadBLAS() throws { try load(clazy_load_blas) }

    /// Loads libpng, or throws `RuntimeError.libraryUnavailable` with the loader's reason.
    static func loadPNG() throws { try load(clazy_load_png) }

    private static func load(_ loader: (UnsafeMutablePointer<CChar>?, Int) -> Int32) throws {
        var reason = [CChar](repeating: 0, count: 512)
        let status = reason.withUnsafeMutableBufferPointer { loader($0.baseAddress, $0.count) }
        guard status == 0 else {
            let text = String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw RuntimeError.libraryUnavailable(text)
        }
    }
}
