// tinify: what `tinify inspect` reports about a weights file.
import Tinify

/// A description of a weights file: its tensors and non-tensor values.
package struct InspectReport {
    /// The store described.
    package let store: WeightStore
    /// Whether each tensor's SHA-256 is included.
    package let digest: Bool

    /// A report on `store`.
    package init(store: WeightStore, digest: Bool) {
        self.store = store
        self.digest = digest
    }

    /// Every non-tensor leaf, with its key path.
    package var scalars: [(String, Value)] {
        var out: [(String, Value)] = []
        store.root.forEachScalar { out.append(($0, $1)) }
        return out
    }

    /// The JSON object of the `--json` output (schema: `Schemas/inspect.schema.json`).
    package func json(file: String, extra: [(String, JSON)] = []) -> JSON {
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
    package func table(file: String, extra: [String] = []) -> String {
        // Built as UTF-8 bytes: String padding and `count` (grapheme counting) cost milliseconds here.
        var rows: [(key: String, dtype: String, shape: String, bytes: String, sha: String)] = []
        rows.reserveCapacity(store.count)
        for e in store.entries {
            var shape = "["
            for (i, d) in e.tensor.shape.enumerated() { if i > 0 { shape += ", " }; shape += String(d) }
            shape += "]"
            rows.append((e.key, e.tensor.dtype.name, shape, String(e.tensor.byteCount), digest ? e.tensor.sha256() : ""))
        }
        /// Display width: Unicode scalars (continuation bytes of UTF-8 do not count).
        func width(_ s: String) -> Int {
            var n = 0
            for b in s.utf8 where b & 0xC0 != 0x80 { n += 1 }
            return n
        }
        var w0 = 3, w1 = 5, w2 = 5, w3 = 5
        for r in rows {
            w0 = max(w0, width(r.key)); w1 = max(w1, width(r.dtype)); w2 = max(w2, width(r.shape)); w3 = max(w3, width(r.bytes))
        }
        var out: [UInt8] = []
        out.reserveCapacity((rows.count + 2) * (w0 + w1 + w2 + w3 + (digest ? 72 : 8)) + 1024)
        func put(_ s: String) { out.append(contentsOf: s.utf8) }
        func spaces(_ n: Int) { if n > 0 { out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: n)) } }
        func row(_ k: String, _ d: String, _ s: String, _ b: String, _ h: String?) {
            put(k); spaces(w0 - width(k) + 2)
            put(d); spaces(w1 - width(d) + 2)
            put(s); spaces(w2 - width(s) + 2)
            spaces(w3 - width(b)); put(b)
            if let h { spaces(2); put(h) }
            out.append(10)
        }
        row("key", "dtype", "shape", "bytes", digest ? "sha256" : nil)
        for r in rows { row(r.key, r.dtype, r.shape, r.bytes, digest ? r.sha : nil) }
        put("\nfile:      \(file)\ncontainer: \(store.container.rawValue)\ntensors:   \(store.count)\nbytes:     \(store.totalBytes)\n")
        for line in extra { put(line); out.append(10) }
        let s = scalars
        if !s.isEmpty {
            put("values:    \(s.count) non-tensor entries\n")
            for (k, v) in s.prefix(20) { put("  \(k) = \(v.brief)\n") }
            if s.count > 20 { put("  … \(s.count - 20) more (see --json)\n") }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
