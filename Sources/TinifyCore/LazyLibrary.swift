// TinifyCore: calling a lazy library loader (CLazyLibraries' `clazy_load_*`, which return 0 or
// -1 with a one-line reason in a caller's buffer) and turning a failure into its reason.

/// Calls lazy library loaders.
package enum LazyLibrary {
    /// Runs `loader` and returns nil when the library is loaded, else the loader's reason.
    package static func failure(of loader: (UnsafeMutablePointer<CChar>?, Int) -> Int32) -> String? {
        var reason = [CChar](repeating: 0, count: 512)
        let status = reason.withUnsafeMutableBufferPointer { loader($0.baseAddress, $0.count - 1) }
        guard status != 0 else { return nil }
        return String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
