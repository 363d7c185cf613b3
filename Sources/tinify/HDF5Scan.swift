// tinify: the HDF5 helper. Every command reads `.h5` inputs with libhdf5 running in a child
// process (`tinify hdf5-scan`), so a libhdf5 crash on a hostile file is a one-line error, not
// the end of the command (see Sources/TinifyHDF5/HDF5Isolation.swift).
import Tinify
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// This very executable, the HDF5 helper (resolved once, so a renamed or moved binary still
/// finds itself).
let helperExecutable: String = {
    var buffer = [CChar](repeating: 0, count: 4096)
    let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    return n > 0 ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
}()

/// How every command reads weight files: HDF5 through the helper process, and what the read
/// may hold in memory bounded by the command's budget.
func readOptions(_ memory: MemoryBudget) -> WeightReadOptions {
    WeightReadOptions(hdf5: .isolated(executable: helperExecutable, arguments: ["hdf5-scan"]), memory: memory)
}

/// `tinify hdf5-scan …` (not listed in the help): the helper's side; its arguments are
/// HDF5Isolation's to define and parse. Returns nil when the arguments are not a helper call.
func runHDF5ScanHelper(_ arguments: [String]) -> Int32? {
    guard arguments.first == "hdf5-scan" else { return nil }
    return HDF5ReadMode.serveIsolatedScan(arguments: Array(arguments.dropFirst()))
}
