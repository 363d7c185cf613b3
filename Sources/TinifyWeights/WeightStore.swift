// TinifyWeights: the typed weight store: every tensor of a checkpoint under its dotted key
// path, plus the whole value tree, plus where it came from.
import TinifyCore
import TinifyContainer

/// Every tensor of a checkpoint by key path, in file order, with the value tree they came from.
public final class WeightStore {
    /// The decoded root object.
    public let root: Value
    /// The tensors in order, keyed by dotted path (`g_a.0.weight`, `state_dict.g_a.0.weight`).
    public private(set) var entries: [(key: String, tensor: Tensor)]
    private var index: [String: Int]
    /// What container the file was.
    public let container: ContainerKind
    /// The file read, if any.
    public let path: String?
    /// Metadata from the file (HDF5 root attributes, safetensors `__metadata__`).
    public var attributes: [String: String]

    /// A store over `root`'s tensors.
    public init(root: Value, container: ContainerKind, path: String?, attributes: [String: String] = [:]) {
        self.root = root
        self.container = container
        self.path = path
        self.attributes = attributes
        var entries: [(key: String, tensor: Tensor)] = []
        var index: [String: Int] = [:]
        root.forEachTensor { key, t in
            if let at = index[key] { entries[at].tensor = t } else {
                index[key] = entries.count
                entries.append((key, t))
            }
        }
        self.entries = entries
        self.index = index
    }

    /// A second store over `other`'s tree and tensors (no walk of the tree again).
    package init(copying other: WeightStore) {
        root = other.root
        entries = other.entries
        index = other.index
        container = other.container
        path = other.path
        attributes = other.attributes
    }

    /// A store of `entries` (a flat state dict), built as an ordered dict of tensors.
    public convenience init(entries: [(key: String, tensor: Tensor)], container: ContainerKind, path: String?, attributes: [String: String] = [:]) {
        self.init(root: .dict(entries.map { (Value.string($0.key), Value.tensor($0.tensor)) }), container: container, path: path, attributes: attributes)
    }

    /// The tensor at `key`.
    public subscript(key: String) -> Tensor? { index[key].map { entries[$0].tensor } }

    /// The keys in order.
    public var keys: [String] { entries.map(\.key) }

    /// The number of tensors.
    public var count: Int { entries.count }

    /// The bytes all tensors occupy when contiguous.
    public var totalBytes: Int { entries.reduce(0) { Checked.add($0, $1.tensor.byteCount) ?? Int.max } }
}
