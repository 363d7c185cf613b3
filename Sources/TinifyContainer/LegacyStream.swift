// TinifyContainer: the legacy stream format (torch < 1.6, or `_use_new_zipfile_serialization=False`).
//
// Layout: pickle(magic number) pickle(1001) pickle(sys_info) pickle(main object)
// pickle(storage keys, sorted as strings), then per key an int64 element count and the raw bytes.
import TinifyCore
import TinifyPickle

/// A parsed legacy stream: its main pickle, storage keys and where the storage data starts.
package final class LegacyStream {
    /// The magic number torch writes first, `0x1950A86A20F9469CFC6C`, little-endian.
    static let magic: [UInt8] = [0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]

    /// The file.
    package let file: MappedFile
    /// The main object's pickle.
    package let main: PickleResult
    /// Storage keys in file order.
    package let keys: [String]
    /// Offset of the first storage's element count.
    package let dataStart: Int
    /// The byte order sys_info declares.
    package let byteOrder: ByteOrder

    /// Whether `bytes` start with a pickle of torch's magic number.
    package static func looksLegacy(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count >= 2, bytes[0] == 0x80 else { return false }
        var limits = PickleLimits()
        limits.maxStack = 16; limits.maxContainers = 16
        guard let r = try? PickleMachine.run(UnsafeRawBufferPointer(rebasing: bytes.prefix(64)), limits: limits),
              case .bigInt(let b) = r.value else { return false }
        return b.prefix(10).elementsEqual(magic)
    }

    /// Parses the four leading pickles and the key list.
    package init(file: MappedFile, limits: PickleLimits = PickleLimits()) throws {
        self.file = file
        let region = ByteRegion(file: file)
        let bytes = region.buffer
        func run(_ at: Int, _ what: String) throws -> PickleResult {
            guard at < bytes.count else { throw ContainerError.legacy("the file ends before the \(what) (truncated?)", offset: at) }
            do { return try PickleMachine.run(bytes, start: at, limits: limits) } catch let e as PickleError { throw ContainerError.pickle(e) }
        }
        let magic = try run(0, "magic number")
        guard case .bigInt(let m) = magic.value, m.prefix(10).elementsEqual(LegacyStream.magic) else {
            throw ContainerError.legacy("bad magic number", offset: 0)
        }
        let proto = try run(magic.end, "protocol version")
        guard case .int(1001) = proto.value else { throw ContainerError.legacy("protocol version is not 1001", offset: magic.end) }
        let sys = try run(proto.end, "sys_info")
        var order = ByteOrder.little
        if case .dict(let d) = sys.value {
            for (k, v) in d.entries { if case .string("little_endian") = k, case .bool(false) = v { order = .big } }
        } else {
            throw ContainerError.legacy("sys_info is not a dict", offset: proto.end)
        }
        main = try run(sys.end, "main object")
        let keyList = try run(main.end, "storage key list")
        guard case .list(let l) = keyList.value else { throw ContainerError.legacy("storage key list is not a list", offset: main.end) }
        var keys: [String] = []
        for k in l.items {
            guard case .string(let s) = k else { throw ContainerError.legacy("storage key is a \(k.kindName), not a string", offset: main.end) }
            keys.append(s)
        }
        self.keys = keys
        dataStart = keyList.end
        byteOrder = order
    }

    /// Walks the storage section. `itemSize` gives each key's element size (from the main
    /// pickle's storage references). Returns each storage's element count and bytes.
    package func storages(itemSize: (String) -> Int?) throws -> [String: (count: Int, bytes: ByteRegion)] {
        let region = ByteRegion(file: file)
        var out: [String: (count: Int, bytes: ByteRegion)] = [:]
        var at = dataStart
        for key in keys {
            guard let size = itemSize(key) else { throw ContainerError.legacy("storage '\(key)' is listed but never referenced", offset: at) }
            guard let header = region.slice(at, 8) else { throw ContainerError.legacy("truncated before storage '\(key)'", offset: at) }
            let raw = header.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            let declared = UInt64(littleEndian: raw)
            guard let count = Checked.int(declared), let bytes = Checked.mul(count, size),
                  let data = region.slice(at + 8, bytes) else {
                throw ContainerError.legacy("storage '\(key)' declares \(declared) elements, past the end of the file", offset: at)
            }
            guard out[key] == nil else { throw ContainerError.legacy("storage '\(key)' listed twice", offset: at) }
            out[key] = (count, data)
            at += 8 + bytes
        }
        return out
    }
}
