// TinifyKit: opens any supported weights file, whatever its format, by content: torch zip and
// legacy streams, Tinify's HDF5 layout, and safetensors.
import TinifyCore
import TinifyContainer
import TinifyWeights
import TinifyHDF5
import TinifySafetensors

/// Opens weight files of every supported format.
public enum WeightFile {
    /// Reads `path` (torch zip, legacy stream, HDF5 or safetensors, told apart by content) into a weight store.
    public static func open(_ path: String) throws -> WeightStore {
        let file: MappedFile
        do { file = try MappedFile(path: path) } catch let e as FileError { throw WeightError.file(e) }
        return try open(file: file)
    }

    /// Reads an already mapped file (any supported format, told apart by content) into a weight
    /// store; zero-copy tensors are views of `file`.
    public static func open(file: MappedFile) throws -> WeightStore {
        let kind: ContainerKind
        do { kind = try ContainerSniffer.sniff(ByteRegion(file: file).buffer) } catch let e as ContainerError { throw WeightError.container(e) }
        switch kind {
        case .torchZip, .torchLegacy: return try TorchCheckpoint.load(file: file)
        case .hdf5: return try HDF5WeightReader.read(file: file)
        case .safetensors: return try SafetensorsReader.read(file: file)
        }
    }
}
