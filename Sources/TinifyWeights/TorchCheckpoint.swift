// TinifyWeights: reads a `torch.save` file (zip or legacy stream) into a `WeightStore`.
import TinifyCore
import TinifyContainer
import TinifyPickle

/// Reading limits for torch checkpoints.
package struct ReadLimits: Sendable {
    /// Largest `data.pkl`.
    package var maxPickleBytes = 128 << 20
    /// Pickle machine limits.
    package var pickle = PickleLimits()
    /// Decoded value limits.
    package var decode = DecodeLimits()
    /// Zip archive limits.
    package var zip = ZipLimits()
    /// The defaults.
    package init() {}

    /// The defaults, with what the read may hold in memory (inflated records, materialised
    /// expanded views) bounded by `memory`.
    package init(memory: MemoryBudget) {
        zip.maxInflatedBytes = memory.bytes
        decode.maxExpandedViewBytes = min(decode.maxExpandedViewBytes, memory.bytes)
    }
}

/// Loader for files written by `torch.save`.
package enum TorchCheckpoint {
    /// Reads a torch zip archive or legacy stream at `path`.
    package static func load(path: String, limits: ReadLimits = ReadLimits()) throws -> WeightStore {
        let file: MappedFile
        do { file = try MappedFile(path: path) } catch let e as FileError { throw WeightError.file(e) }
        return try load(file: file, limits: limits)
    }

    /// Reads a torch zip archive or legacy stream from a mapped file.
    package static func load(file: MappedFile, limits: ReadLimits = ReadLimits()) throws -> WeightStore {
        do {
            let kind = try ContainerSniffer.sniff(ByteRegion(file: file).buffer)
            switch kind {
            case .torchZip: return try loadZip(file, limits)
            case .torchLegacy: return try loadLegacy(file, limits)
            default: throw ContainerError.notACheckpoint("a \(kind.rawValue) file, not a torch checkpoint")
            }
        } catch let e as ContainerError {
            throw WeightError.container(e)
        } catch let e as PickleError {
            throw WeightError.pickle(e)
        }
    }

    private struct ZipResolver: StorageResolver {
        let zip: ZipArchive
        let order: ByteOrder
        func storage(key: String, byteCount: Int) throws -> TensorStorage {
            guard let e = zip.entry("data/" + key) else { throw ContainerError.missingRecord(zip.prefix + "/data/" + key) }
            guard e.size == byteCount else { throw ContainerError.recordSize(name: e.name, expected: byteCount, actual: e.size) }
            return TensorStorage(key: key, bytes: try zip.record(e), byteOrder: order)
        }
    }

    private static func loadZip(_ file: MappedFile, _ limits: ReadLimits) throws -> WeightStore {
        let zip = try ZipArchive(file: file, limits: limits.zip)
        if ContainerSniffer.isTorchScript(zip) {
            throw ContainerError.unsupported("a TorchScript archive (torch.jit.save); save the model's state_dict() instead")
        }
        guard zip.entry("data.pkl") != nil else {
            throw ContainerError.notACheckpoint("a zip archive without '\(zip.prefix)/data.pkl'")
        }
        var order = ByteOrder.little
        if let e = zip.entry("byteorder") {
            let text = String(decoding: try zip.record(e, limit: 64).array, as: UTF8.self).trimmingCharacters(in: " \n\r\t")
            switch text {
            case "little": order = .little
            case "big": order = .big
            default: throw ContainerError.zip("byteorder record says '\(text.prefix(20))'", offset: e.dataOffset)
            }
        }
        let pkl = try zip.record("data.pkl", limit: limits.maxPickleBytes)
        let result = try pkl.withUnsafeBytes { try PickleMachine.run($0, limits: limits.pickle) }
        let root = try TorchDecoder(resolver: ZipResolver(zip: zip, order: order), limits: limits.decode).decode(result.value)
        return WeightStore(root: root, container: .torchZip, path: file.path)
    }

    private struct LegacyResolver: StorageResolver {
        let table: [String: (count: Int, bytes: ByteRegion)]
        let order: ByteOrder
        func storage(key: String, byteCount: Int) throws -> TensorStorage {
            guard let s = table[key] else { throw ContainerError.missingRecord("legacy storage " + key) }
            guard s.bytes.count == byteCount else { throw ContainerError.recordSize(name: "legacy storage " + key, expected: byteCount, actual: s.bytes.count) }
            return TensorStorage(key: key, bytes: s.bytes, byteOrder: order)
        }
    }

    private static func loadLegacy(_ file: MappedFile, _ limits: ReadLimits) throws -> WeightStore {
        let stream = try LegacyStream(file: file, limits: limits.pickle)
        // Element sizes of each storage key, from the references in the main pickle.
        var sizes: [String: Int] = [:]
        for pid in stream.main.persistentIDs {
            guard case .persistentID(.tuple(let t)) = pid, t.items.count >= 3, case .string(let key) = t.items[2] else { continue }
            switch t.items[1] {
            case .global(.storageClass(_, let d)): sizes[key] = d.itemSize
            case .global(.untypedStorage): sizes[key] = 1
            default: continue
            }
        }
        let table = try stream.storages { sizes[$0] }
        let root = try TorchDecoder(resolver: LegacyResolver(table: table, order: stream.byteOrder), limits: limits.decode).decode(stream.main.value)
        return WeightStore(root: root, container: .torchLegacy, path: file.path)
    }
}

extension String {
    /// `self` without leading and trailing bytes of the ASCII `set` (byte-level: no grapheme breaking).
    func trimmingCharacters(in set: String) -> String {
        let drop = Array(set.utf8)
        let u = Array(utf8)
        var a = 0, b = u.count
        while a < b, drop.contains(u[a]) { a += 1 }
        while b > a, drop.contains(u[b - 1]) { b -= 1 }
        return String(decoding: u[a..<b], as: UTF8.self)
    }
}

