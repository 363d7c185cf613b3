// TinifySafetensors: writes a safetensors file the way the reference implementation does:
// tensors sorted by descending alignment (element size) then name, so every tensor is naturally
// aligned; the header padded with spaces to a multiple of 8; views materialised contiguously.
import TinifyCore

/// Writes safetensors files.
package enum SafetensorsWriter {
    /// The planned layout: the header bytes (padded) and the tensors in data order with offsets.
    package struct Layout {
        /// The header JSON, padded with spaces to a multiple of 8.
        package let header: [UInt8]
        /// Indices into the entries, in the order their data is written.
        package let order: [Int]
        /// The total size of the data buffer.
        package let dataBytes: Int
    }

    /// Plans the file: checks names and dtypes, orders the tensors and builds the header.
    package static func layout(entries: [(key: String, tensor: Tensor)], metadata: [String: String]?) throws -> Layout {
        var seen = Set<String>()
        var names: [String] = []
        names.reserveCapacity(entries.count)
        for e in entries {
            guard e.key != "__metadata__" else { throw SafetensorsError.reservedName(e.key) }
            guard seen.insert(e.key).inserted else { throw SafetensorsError.duplicateKey(e.key) }
            guard let name = SafetensorsDType.name(e.tensor.dtype) else { throw SafetensorsError.cannotWriteDType(key: e.key, dtype: e.tensor.dtype) }
            names.append(name)
        }
        let order = entries.indices.sorted { a, b in
            let sa = entries[a].tensor.dtype.itemSize, sb = entries[b].tensor.dtype.itemSize
            if sa != sb { return sa > sb }
            return entries[a].key.utf8.lexicographicallyPrecedes(entries[b].key.utf8)
        }
        var header: [UInt8] = [UInt8(ascii: "{")]
        var first = true
        if let metadata {
            HeaderText.append("\"__metadata__\":{", to: &header)
            for (i, k) in metadata.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                if i > 0 { header.append(UInt8(ascii: ",")) }
                HeaderText.appendQuoted(k, to: &header)
                header.append(UInt8(ascii: ":"))
                HeaderText.appendQuoted(metadata[k] ?? "", to: &header)
            }
            header.append(UInt8(ascii: "}"))
            first = false
        }
        var offset = 0
        for i in order {
            let t = entries[i].tensor
            guard let end = Checked.add(offset, t.byteCount) else { throw SafetensorsError.overflow(key: entries[i].key) }
            if !first { header.append(UInt8(ascii: ",")) }
            first = false
            HeaderText.appendQuoted(entries[i].key, to: &header)
            HeaderText.append(":{\"dtype\":\"\(names[i])\",\"shape\":[" + t.shape.map(String.init).joined(separator: ",")
                              + "],\"data_offsets\":[\(offset),\(end)]}", to: &header)
            offset = end
        }
        header.append(UInt8(ascii: "}"))
        let pad = (8 - header.count % 8) % 8
        header.append(contentsOf: repeatElement(UInt8(ascii: " "), count: pad))
        guard header.count <= SafetensorsReader.maxHeaderBytes else { throw SafetensorsError.headerTooLargeToWrite(bytes: header.count) }
        return Layout(header: header, order: order, dataBytes: offset)
    }

    /// Writes `entries` (and `metadata` as `__metadata__`, when given) to `path` atomically.
    /// An existing `path` is replaced unless `replace` is false.
    package static func write(entries: [(key: String, tensor: Tensor)], metadata: [String: String]? = nil, to path: String,
                             replace: Bool = true, progress: WriteProgress? = nil) throws {
        let plan = try layout(entries: entries, metadata: metadata)
        do {
            try AtomicFile.write(to: path, replace: replace) { out in
                var length = [UInt8](repeating: 0, count: 8)
                for i in 0..<8 { length[i] = UInt8(truncatingIfNeeded: UInt64(plan.header.count) >> (8 * UInt64(i))) }
                try out.write(length)
                try out.write(plan.header)
                var done = 0
                for i in plan.order {
                    let t = entries[i].tensor
                    try out.write(t.contiguousBytes())
                    done += t.byteCount
                    progress?(done, plan.dataBytes)
                }
            }
        } catch let e as FileError {
            throw SafetensorsError.file(e)
        }
    }
}
