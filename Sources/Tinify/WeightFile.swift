// Tinify: opens any supported weights file, whatever its format, by content: torch zip and
// legacy streams, Tinify's HDF5 layout, and safetensors.
import TinifyCore
import TinifyContainer
import TinifyWeights
import TinifyHDF5
import TinifySafetensors

/// How weight files are read.
public struct WeightReadOptions: Sendable {
    /// Where libhdf5 runs on an HDF5 input: in this process (the default for a library), or in a
    /// helper process whose crash on a hostile file is an error here (what `tinify` does).
    public var hdf5: HDF5ReadMode
    /// What a read may hold in memory beyond the mapped file (inflated zip records, expanded
    /// views, data read through libhdf5); nil keeps each reader's own limits.
    public var memory: MemoryBudget?

    /// Options; by default everything runs in this process, with each reader's own limits.
    public init(hdf5: HDF5ReadMode = .inProcess, memory: MemoryBudget? = nil) { self.hdf5 = hdf5; self.memory = memory }
}

/// Opens weight files of every supported format.
package enum WeightFile {
    /// Reads `path` (torch zip, legacy stream, HDF5 or safetensors, told apart by content) into a weight store.
    public static func open(_ path: String, options: WeightReadOptions = WeightReadOptions()) throws -> WeightStore {
        let file: MappedFile
        do { file = try MappedFile(path: path) } catch let e as FileError { throw WeightError.file(e) }
        return try open(file: file, options: options)
    }

    /// Reads an already mapped file (any supported format, told apart by content) into a weight
    /// store; zero-copy tensors are views of `file`.
    public static func open(file: MappedFile, options: WeightReadOptions = WeightReadOptions()) throws -> WeightStore {
        let kind: ContainerKind
        do { kind = try ContainerSniffer.sniff(ByteRegion(file: file).buffer) } catch let e as ContainerError { throw WeightError.container(e) }
        switch kind {
        case .torchZip, .torchLegacy:
            return try TorchCheckpoint.load(file: file, limits: options.memory.map { ReadLimits(memory: $0) } ?? ReadLimits())
        case .hdf5:
            return try HDF5WeightReader.read(file: file, limits: options.memory.map { HDF5ReadLimits(memory: $0) } ?? HDF5ReadLimits(),
                                             mode: options.hdf5)
        case .safetensors: return try SafetensorsReader.read(file: file)
        }
    }
}

extension WeightStore {
    /// Reads every tensor and value of the file at `path` (a torch.save archive of either
    /// format, Tinify's HDF5 layout or safetensors, told apart by content): the whole tree, a
    /// training checkpoint's optimizer state and epoch included, under dotted key paths. Use
    /// `StateDict` for the model weights alone.
    public convenience init(contentsOfFile path: String, options: WeightReadOptions = WeightReadOptions()) throws {
        self.init(copying: try WeightFile.open(path, options: options))
    }
}

/// SHA-256 digests of files, as zoo file names carry their first eight hex digits.
public enum FileDigest {
    /// The SHA-256 of the file at `path`, as lowercase hex (the file is mapped, not read whole).
    public static func sha256(ofFile path: String) throws -> String {
        SHA256Hasher.hex(of: try MappedFile(path: path))
    }
}

extension HDF5ReadMode {
    /// The helper side of `.isolated`: a program whose `.isolated(executable:arguments:)` names
    /// itself calls this with the arguments after those given there, and exits with the status
    /// it returns. It scans the HDF5 file named in the arguments with libhdf5 and writes what it
    /// found to standard output for the parent. Nil when the arguments are not a helper call.
    public static func serveIsolatedScan(arguments: [String]) -> Int32? {
        HDF5Isolation.serve(arguments: arguments)
    }
}
