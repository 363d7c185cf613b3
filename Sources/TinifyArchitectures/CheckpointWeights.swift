// TinifyArchitectures: the model weights of a checkpoint, with canonical keys.
import TinifyCore
import TinifyWeights

/// A model's state dict taken from a checkpoint: where it was found and which renames fired.
package struct CheckpointWeights: Sendable {
    /// Tensors under their canonical keys, in file order.
    package let entries: [(key: String, tensor: Tensor)]
    /// The key path of the dict the weights came from (`state_dict` in a training checkpoint), or nil for the root.
    package let source: String?
    /// Renaming rules that fired.
    package let renamed: [RenameRecord]
    /// Canonical key → original key.
    package let originalKeys: [String: String]

    /// The wrapper keys searched, in order, for the weights of a training checkpoint (eval_model
    /// looks for `network`, `state_dict` and `model_state_dict`).
    package static let wrapperKeys = ["state_dict", "model", "model_state_dict", "net", "network"]

    /// The model weights of `store`: the first of `wrapperKeys` that holds a dict of tensors, else
    /// the root; keys migrated unless `migrate` is false.
    package init(_ store: WeightStore, migrate: Bool = true) {
        var source: String? = nil
        var picked = store.entries
        for w in CheckpointWeights.wrapperKeys {
            let prefix = w + "."
            if case .dict? = store.root[w], store.entries.contains(where: { $0.key.hasPrefix(prefix) }) {
                source = w
                picked = store.entries.filter { $0.key.hasPrefix(prefix) }.map { (String($0.key.dropFirst(prefix.count)), $0.tensor) }
                break
            }
        }
        let (keys, fired) = migrate ? KeyMigration.migrate(picked.map(\.key)) : (picked.map(\.key), [])
        var originals: [String: String] = [:]
        for (k, e) in zip(keys, picked) { originals[k] = (source.map { $0 + "." } ?? "") + e.key }
        entries = zip(keys, picked).map { ($0, $1.tensor) }
        self.source = source
        renamed = fired
        originalKeys = originals
    }

    /// Tensors by key (the last wins if a rename made two keys equal).
    package var byKey: [String: Tensor] {
        var d: [String: Tensor] = [:]
        for e in entries { d[e.key] = e.tensor }
        return d
    }
}
