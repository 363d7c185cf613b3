// tinify-fuzz: what the targets share: the fixture models the codec target decodes with, the
// `.h5` file the answer target resolves against, and the helper that scans HDF5 input.
#if canImport(Glibc)
import Glibc
#endif
import TinifyCore
import TinifyHDF5
import TinifyWeights
import TinifyRuntime
import Tinify

enum Fixtures {
    /// Where the fixtures are: `TINIFY_FIXTURES`, or `Tests/Fixtures` of the working directory.
    static let directory = Environment.value("TINIFY_FIXTURES") ?? "Tests/Fixtures"

    /// The `tinify` binary that scans HDF5 input (`TINIFY_EXE`, or the release build's).
    static let helper = Environment.value("TINIFY_EXE") ?? ".build/release/tinify"

    /// HDF5 input is scanned in the helper process, as the command does.
    static let readOptions = WeightReadOptions(hdf5: .isolated(executable: helper, arguments: ["hdf5-scan"]))

    /// One fixture model per architecture, keyed by zoo name: `<arch>-N8-M<m>.pth` (updated, so
    /// its tables can decode).
    static let models: [Architecture: any CompressionRuntimeModel] = {
        var out: [Architecture: any CompressionRuntimeModel] = [:]
        let names = Replay.files(directory).map { String($0.split(separator: "/").last ?? "") }
        for id in CompressedImageFile.modelIDs.values.sorted(by: { $0.rawValue < $1.rawValue }) {  // the architectures the runtime codes
            let arch = id.rawValue
            guard let file = names.first(where: { name in
                guard name.hasPrefix(arch + "-N8-M"), name.hasSuffix(".pth") else { return false }
                return name.dropFirst(arch.count + 5).dropLast(4).allSatisfy(\.isNumber)
            }) else { print("tinify-fuzz: no \(arch)-N8-M*.pth in \(directory)"); continue }
            do {
                out[id] = try RuntimeModels.make(id, store: try WeightFile.open(directory + "/" + file))
            } catch {
                print("tinify-fuzz: cannot load \(file): \(error)")
            }
        }
        return out
    }()

    /// The `.h5` file the answer target's ranges point into.
    static let hdf5File: MappedFile? = {
        let path = directory + "/../Fuzz/Corpus/hdf5/hyperprior.h5"
        do { return try MappedFile(path: path) } catch {
            print("tinify-fuzz: cannot map \(path): \(error)")
            return nil
        }
    }()

    /// Keeps the bytes touched by `FuzzTarget.touch` observable.
    nonisolated(unsafe) static var sink: UInt8 = 0
}

/// One scratch file per process, rewritten for each input (the readers map files by path).
enum Scratch {
    static let path: String = {
        let dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
        return "\(dir)/tinify-fuzz-\(getpid())"
    }()

    /// Writes `bytes` to the scratch file and returns its path.
    static func write(_ bytes: UnsafeRawBufferPointer) throws -> String {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw FileError.cannotWrite(path: path, reason: "errno \(errno)") }
        defer { close(fd) }
        var done = 0
        while done < bytes.count, let base = bytes.baseAddress {
            let n = Glibc.write(fd, base + done, bytes.count - done)
            guard n > 0 else { throw FileError.cannotWrite(path: path, reason: "errno \(errno)") }
            done += n
        }
        return path
    }
}
