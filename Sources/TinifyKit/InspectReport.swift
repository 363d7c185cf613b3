// TinifyKit: what `tinify inspect` reports about a weights file.
import TinifyCore
import TinifyWeights

/// A description of a weights file: its tensors and non-tensor values.
public struct InspectReport {
    /// The store described.
    public let store: WeightStore
    /// Whether each tensor's SHA-256 is included.
    public let digest: Bool

    /// A report on `store`.
    public init(store: WeightStore, digest: Bool) {
        self.store = store
        self.digest = digest
    }

    /// Every non-tensor leaf, with its key path.
    public var scalars: [(String, Value)] {
        var out: [(String, Value)] = []
        store.root.forEachScalar { out.append(($0, $1)) }
        return out
    }

    /// The JSON object of the `--json` output (schema: `Schemas/inspect.schema.json`).
    public func json(file: String, extra: [(String, JSON)] = []) -> JSON {
        let tensors: [JSON] = store.entries.map { e in
            var fields: [(String, JSON)] = [
                ("key", .string(e.key)),
                ("dtype", .string(e.tensor.dtype.name)),
                ("shape", .array(e.tensor.shape.map { .int($0) })),
                ("bytes", .int(e.tensor.byteCount)),
                ("contiguous", .bool(e.tensor.isContiguous)),
                ("storage", .string(e.tensor.storage.key)),
                ("storage_offset", .int(e.tensor.offset)),
            ]
            if digest { fields.append(("sha256", .string(e.tensor.sha256()))) }
            return .object(fields)
        }
        let values: [JSON] = scalars.map { .object([("key", .string($0.0)), ("value", .string($0.1.brief))]) }
        return .object([
            ("file", .string(file)),
            ("container", .string(store.container.rawValue)),
            ("tensor_count", .int(store.count)),
            ("total_bytes", .int(store.totalBytes)),
        ] + extra + [
            ("tensors", .array(tensors)),
            ("values", .array(values)),
        ])
    }

    /// The human-readable table.
    public func table(file: String, extra: [String] = []) -> String {
        let rows = store.entries.map { e in
            (e.key, e.tensor.dtype.name, "[" + e.tensor.shape.map(String.init).joined(separator: ", ") + "]", String(e.tensor.byteCount),
             digest ? e.tensor.sha256() : "")
        }
        let w0 = max(3, rows.map(\.0.count).max() ?? 0), w1 = max(5, rows.map(\.1.count).max() ?? 0)
        let w2 = max(5, rows.map(\.2.count).max() ?? 0), w3 = max(5, rows.map(\.3.count).max() ?? 0)
        func padR(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - s.count)) }
        func padL(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - s.count)) + s }
        var out = padR("key", w0) + "  " + padR("dtype", w1) + "  " + padR("shape", w2) + "  " + padL("bytes", w3) + (digest ? "  sha256" : "") + "\n"
        for r in rows {
            out += padR(r.0, w0) + "  " + padR(r.1, w1) + "  " + padR(r.2, w2) + "  " + padL(r.3, w3) + (digest ? "  " + r.4 : "") + "\n"
        }
        out += "\nfile:      \(file)\ncontainer: \(store.container.rawValue)\ntensors:   \(store.count)\nbytes:     \(store.totalBytes)\n"
        for line in extra { out += line + "\n" }
        let s = scalars
        if !s.isEmpty {
            out += "values:    \(s.count) non-tensor entries\n"
            for (k, v) in s.prefix(20) { out += "  \(k) = \(v.brief)\n" }
            if s.count > 20 { out += "  … \(s.count - 20) more (see --json)\n" }
        }
        return out
    }
}
