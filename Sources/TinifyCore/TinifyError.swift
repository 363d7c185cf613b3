// TinifyCore: the one protocol every stage's error type conforms to, so that a caller can ask any
// Tinify error the same questions — which stage, which kind, which file, key, offset or limit —
// without knowing the stage's own enum.

/// An error thrown by a Tinify stage (container, pickle machine, weights, architectures, runtime,
/// coder, HDF5, safetensors, torch writer, files, memory budget).
///
/// Every error states the fact in its `description` (one line, naming the key, offset or limit
/// involved); the properties give the same facts as values. They are read from the error's case
/// and its labelled payload (`key:`, `offset:`, `path:`, `limit:`), following a wrapped error
/// (a `PickleError` inside a `ContainerError`, say) when the outer one has no such field.
public protocol TinifyError: Error, CustomStringConvertible {}

extension TinifyError {
    /// The stage the error comes from: its type's name without `Error` (`Pickle`, `Container`, …).
    public var stage: String {
        let name = String(describing: type(of: self))
        return name.hasSuffix("Error") ? String(name.dropLast(5)) : name
    }

    /// The kind of failure: the error's case (`truncated`, `forbiddenGlobal`, `missingTensor`, …).
    public var kind: String {
        Mirror(reflecting: self).children.first?.label ?? String(describing: self as Any).split(separator: "(").first.map(String.init) ?? stage
    }

    /// The key (state-dict key, archive record, HDF5 path) involved, if any.
    public var key: String? { field(["key", "name"]) as? String }

    /// The byte offset involved, if any.
    public var offset: Int? { field(["offset", "atByte"]) as? Int }

    /// The file involved, if any.
    public var file: String? { field(["path"]) as? String }

    /// The limit exceeded, if any.
    public var limit: Int? { field(["limit"]) as? Int }

    /// The error this one wraps, if any.
    public var underlying: (any TinifyError)? {
        payload.lazy.compactMap { $0.value as? any TinifyError }.first
    }

    /// The labelled values of the error's case.
    private var payload: [Mirror.Child] {
        guard let value = Mirror(reflecting: self).children.first?.value else { return [] }
        let inner = Mirror(reflecting: value)
        return inner.displayStyle == .tuple ? Array(inner.children) : [(label: nil, value: value)]
    }

    /// The first payload value labelled with one of `labels`, here or in the wrapped error.
    private func field(_ labels: [String]) -> Any? {
        if let hit = payload.first(where: { $0.label.map(labels.contains) ?? false }) { return hit.value }
        return underlying?.field(labels)
    }
}
