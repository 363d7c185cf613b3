// tinify: the HDF5 helper. Every command reads `.h5` inputs with libhdf5 running in a child
// process (`tinify hdf5-scan`), so a libhdf5 crash on a hostile file is a one-line error, not
// the end of the command (see Sources/TinifyHDF5/HDF5Isolation.swift).
import TinifyKit
import TinifyHDF5
#if canImport(Glibc)
import Glibc
#endif

/// How every command reads weight files: HDF5 through the helper process, which is this very
/// executable (resolved once, so a renamed or moved binary still finds itself).
let readOptions: WeightReadOptions = {
    var buffer = [CChar](repeating: 0, count: 4096)
    let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    let executable = n > 0 ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
    return WeightReadOptions(hdf5: .isolated(executable: executable, arguments: ["hdf5-scan"]))
}()

/// `tinify hdf5-scan …` (not listed in the help): the helper's side; its arguments are
/// HDF5Isolation's to define and parse. Returns nil when the arguments are not a helper call.
func runHDF5ScanHelper(_ arguments: [String]) -> Int32? {
    guard arguments.first == "hdf5-scan" else { return nil }
    return HDF5Isolation.serve(arguments: Array(arguments.dropFirst()))
}
