// TinifyKit: opens any supported weights file, whatever its format, by content.
import TinifyCore
import TinifyContainer
import TinifyWeights

/// Opens weight files of every supported format.
public enum WeightFile {
    /// Reads `path` (torch zip, legacy stream, …) into a weight store.
    public static func open(_ path: String) throws -> WeightStore {
        try TorchCheckpoint.load(path: path)
    }
}
