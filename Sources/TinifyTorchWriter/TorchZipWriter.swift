// TinifyTorchWriter: writes a state dict as the zip archive `torch.save` makes, so that
// `torch.load(weights_only=True)` and CompressAI's `from_state_dict` accept it. Records, in
// torch 2.x's order: `data.pkl`, `.format_version`, `.storage_alignment`, `byteorder`,
// `data/<i>`, `version`, `.data/serialization_id`. Every tensor gets its own contiguous storage
// (views are materialised; tensors that shared a storage are written separately).
import TinifyCore

/// Writes torch zip checkpoints.
package enum TorchZipWriter {
    /// The archive's top-level folder (torch takes the prefix from the first record).
    package static let prefix = "archive"

    /// Writes `entries` as an `OrderedDict` state dict to `path` atomically.
    /// An existing `path` is replaced unless `replace` is false.
    package static func write(entries: [(key: String, tensor: Tensor)], to path: String, replace: Bool = true,
                             progress: WriteProgress? = nil) throws {
        try checkKeys(entries)
        do {
            try AtomicFile.write(to: path, replace: replace) { out in try write(entries: entries, to: out, progress: progress, holeBeforeData: 0) }
        } catch let e as FileError {
            throw TorchWriterError.file(e)
        }
    }

    private static func checkKeys(_ entries: [(key: String, tensor: Tensor)]) throws {
        var seen = Set<String>()
        for e in entries { guard seen.insert(e.key).inserted else { throw TorchWriterError.duplicateKey(e.key) } }
    }

    /// Writes the archive to `out`. Tests leave a sparse `holeBeforeData` between the metadata
    /// records and the tensor records, to put headers past 4 GiB (ZIP64 offsets) cheaply.
    static func write(entries: [(key: String, tensor: Tensor)], to out: FileOutput, progress: WriteProgress?,
                      holeBeforeData: Int) throws {
        try checkKeys(entries)
        let items = entries.enumerated().map { i, e in
            StateDictPickler.Item(key: e.key, dtype: e.tensor.dtype, shape: e.tensor.shape, numel: e.tensor.count, storageKey: String(i))
        }
        let pickle = StateDictPickler.pickle(items)
        let total = entries.reduce(0) { $0 + $1.tensor.byteCount }
        let zip = StoredZipWriter(out: out)
        var crcs: [UInt32] = []
        func record(_ name: String, _ bytes: [UInt8]) throws {
            let crc = bytes.withUnsafeBytes { CRC32.of($0) }
            crcs.append(crc)
            try bytes.withUnsafeBytes { try zip.add(name: prefix + "/" + name, data: $0, crc: crc) }
        }
        try record("data.pkl", pickle)
        try record(".format_version", Array("1".utf8))
        try record(".storage_alignment", Array("64".utf8))
        try record("byteorder", Array("little".utf8))
        try out.skip(holeBeforeData)
        var done = 0
        for (i, e) in entries.enumerated() {
            let bytes = e.tensor.contiguousBytes()
            try bytes.withUnsafeBytes { b in
                let crc = CRC32.of(b)
                crcs.append(crc)
                try zip.add(name: prefix + "/data/\(i)", data: b, crc: crc)
            }
            done += e.tensor.byteCount
            progress?(done, total)
        }
        try record("version", Array("3\n".utf8))
        try record(".data/serialization_id", serializationID(crcs))
        try zip.finish()
    }

    /// 40 decimal digits derived from the records' CRCs, like torch's id (which readers do not check).
    static func serializationID(_ crcs: [UInt32]) -> [UInt8] {
        var a: UInt64 = 0xCBF2_9CE4_8422_2325, b: UInt64 = 0x8422_2325_CBF2_9CE4
        for c in crcs {
            for k in 0..<4 {
                let byte = UInt64((c >> (8 * UInt32(k))) & 0xFF)
                a = (a ^ byte) &* 0x0000_0100_0000_01B3
                b = (b ^ (byte ^ 0x5A)) &* 0x0000_0100_0000_01B3
            }
        }
        func digits(_ v: UInt64) -> String {
            let s = String(v % 10_000_000_000_000_000_000)
            return String(repeating: "0", count: 20 - s.count) + s
        }
        return Array((digits(a) + digits(b)).utf8)
    }
}
