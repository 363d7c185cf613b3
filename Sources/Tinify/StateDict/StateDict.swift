// Tinify: a model's state dict as one value: tensors under their canonical CompressAI keys, in
// order, read from any file `torch.save`, Tinify or safetensors wrote and written to any of them.
import TinifyCore
import TinifyContainer
import TinifyWeights
import TinifyArchitectures

/// A model's state dict: tensors by key, in order, as PyTorch's `OrderedDict` holds them.
///
/// Read from a file, a training checkpoint's weights are taken from under its wrapper key
/// (`state_dict`, `model`, …) and keys that older CompressAI versions wrote are renamed to
/// today's names, so the keys are always the ones `load_state_dict` of CompressAI 1.2.8 expects.
/// A `StateDict` is a value: changing a copy never changes the original.
public struct StateDict: Sendable, Sequence {
    private var storage: [(key: String, tensor: Tensor)] = []
    private var index: [String: Int] = [:]
    /// The wrapper key the weights were found under in a training checkpoint (`state_dict`), or nil.
    public private(set) var wrapperKey: String?
    /// The renaming rules that fired while reading (old CompressAI key names), with their counts.
    public private(set) var renamed: [RenameRecord] = []
    /// The container the file was (torch zip, legacy stream, HDF5 or safetensors), or nil when the
    /// state dict was made in memory.
    public private(set) var container: ContainerKind?

    /// An empty state dict.
    public init() {}

    /// A state dict of `entries`, in their order; a repeated key keeps its first position and its
    /// last tensor.
    public init(_ entries: [(key: String, tensor: Tensor)]) {
        for e in entries { self[e.key] = e.tensor }
    }

    /// Reads the model weights of the file at `path`: a `torch.save` archive (zip or legacy,
    /// `.pth`, `.pth.tar`, a training checkpoint with optimizer state), Tinify's HDF5 file or
    /// a safetensors file, told apart by content. Nothing in the file executes; a malformed
    /// file throws an error naming the offset, key or limit involved.
    public init(contentsOfFile path: String, options: WeightReadOptions = WeightReadOptions()) throws {
        self.init(try WeightFile.open(path, options: options))
    }

    /// The model weights of a store already read (see `init(contentsOfFile:options:)`: a
    /// training checkpoint's weights unwrapped, old key names migrated).
    public init(_ store: WeightStore) {
        self.init(CheckpointWeights(store))
        container = store.container
    }

    /// The weights of a checkpoint already read.
    package init(_ weights: CheckpointWeights) {
        self.init(weights.entries)
        wrapperKey = weights.source
        renamed = weights.renamed
    }

    /// The number of tensors.
    public var count: Int { storage.count }
    /// Whether there are no tensors.
    public var isEmpty: Bool { storage.isEmpty }
    /// The keys, in order.
    public var keys: [String] { storage.map(\.key) }
    /// The key–tensor pairs, in order.
    public var entries: [(key: String, tensor: Tensor)] { storage }

    /// The tensor under `key`; assigning nil removes it, assigning a new key appends it.
    public subscript(key: String) -> Tensor? {
        get { index[key].map { storage[$0].tensor } }
        set {
            if let t = newValue {
                if let at = index[key] { storage[at].tensor = t } else {
                    index[key] = storage.count
                    storage.append((key, t))
                }
            } else {
                removeValue(forKey: key)
            }
        }
    }

    /// Removes the tensor under `key`, returning it (nil when there was none).
    @discardableResult
    public mutating func removeValue(forKey key: String) -> Tensor? {
        guard let at = index.removeValue(forKey: key) else { return nil }
        let t = storage.remove(at: at).tensor
        for i in at..<storage.count { index[storage[i].key] = i }
        return t
    }

    /// Iterates the key–tensor pairs in order.
    public func makeIterator() -> IndexingIterator<[(key: String, tensor: Tensor)]> { storage.makeIterator() }

    /// The same tensors as a weight store (the form the architecture binder and the writers read).
    package var store: WeightStore { WeightStore(entries: storage, container: container ?? .torchZip, path: nil) }

    /// The same tensors as the architecture binder takes them (keys already canonical).
    package var checkpointWeights: CheckpointWeights { CheckpointWeights(store, migrate: false) }

    /// Writes the state dict to `path` in the format its extension names: `.h5` / `.hdf5`
    /// (Tinify's HDF5 layout, with the architecture, N, M and each tensor's role when an
    /// architecture fits), `.safetensors`, or `.pth` / `.pt` (a torch zip archive that
    /// `torch.load(weights_only=True)` reads). The write is atomic: a failure leaves no file, and
    /// an existing `path` is replaced only when `replace` is true.
    public func write(toFile path: String, replace: Bool = true) throws {
        let report = try? ArchitectureDetector.detect(checkpointWeights)
        try WeightWriting.write(entries: storage, to: path, report: report, sourceContainer: container?.rawValue, replace: replace)
    }
}
