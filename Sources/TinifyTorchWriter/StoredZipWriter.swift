// TinifyTorchWriter: a zip writer for torch archives: every record stored (method 0) with its
// data aligned to 64 bytes by an `FB` (0x4246) extra field of 'Z' padding, as PyTorch's writer
// does; correct CRC-32s; a central directory; ZIP64 extras where sizes or offsets need them, and
// the ZIP64 end records always (like torch).
import TinifyCore

/// Appends stored records to a `FileOutput`, then the central directory.
final class StoredZipWriter {
    private let out: FileOutput
    private let alignment: Int
    private var central: [UInt8] = []
    private var entryCount = 0
    private var finished = false

    init(out: FileOutput, alignment: Int = 64) {
        self.out = out
        self.alignment = alignment
    }

    /// Appends a stored record named `name` holding `data`.
    func add(name: String, data: UnsafeRawBufferPointer, crc: UInt32? = nil) throws {
        let nameBytes = Array(name.utf8)
        guard nameBytes.count <= 0xFFFF else { throw TorchWriterError.tooLarge("record name '\(name.prefix(40))…'") }
        let size = UInt64(data.count)
        let lho = UInt64(out.offset)
        let crc = crc ?? CRC32.of(data)
        let bigSize = size >= 0xFFFF_FFFF
        let bigOffset = lho >= 0xFFFF_FFFF

        var localExtra: [UInt8] = []
        if bigSize {
            localExtra += le16(0x0001) + le16(16) + le64(size) + le64(size)
        }
        let start = Int(lho) + 30 + nameBytes.count + localExtra.count + 4
        let pad = (alignment - start % alignment) % alignment
        localExtra += [UInt8(ascii: "F"), UInt8(ascii: "B")] + le16(UInt16(pad)) + [UInt8](repeating: UInt8(ascii: "Z"), count: pad)

        let needed: UInt16 = (bigSize || bigOffset) ? 45 : 20
        var local: [UInt8] = le32(0x0403_4B50) + le16(needed) + le16(0x0800) + le16(0) + le16(0) + le16(0x0021)
        local += le32(crc) + le32(bigSize ? 0xFFFF_FFFF : UInt32(size)) + le32(bigSize ? 0xFFFF_FFFF : UInt32(size))
        local += le16(UInt16(nameBytes.count)) + le16(UInt16(localExtra.count)) + nameBytes + localExtra
        try out.write(local)
        try out.write(data)

        var centralExtra: [UInt8] = []
        if bigSize || bigOffset {
            var fields: [UInt8] = []
            if bigSize { fields += le64(size) + le64(size) }
            if bigOffset { fields += le64(lho) }
            centralExtra = le16(0x0001) + le16(UInt16(fields.count)) + fields
        }
        central += le32(0x0201_4B50) + le16(needed) + le16(needed) + le16(0x0800) + le16(0) + le16(0) + le16(0x0021)
        central += le32(crc) + le32(bigSize ? 0xFFFF_FFFF : UInt32(size)) + le32(bigSize ? 0xFFFF_FFFF : UInt32(size))
        central += le16(UInt16(nameBytes.count)) + le16(UInt16(centralExtra.count)) + le16(0) + le16(0) + le16(0) + le32(0)
        central += le32(bigOffset ? 0xFFFF_FFFF : UInt32(lho)) + nameBytes + centralExtra
        entryCount += 1
    }

    /// Appends a record holding `bytes`.
    func add(name: String, bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try add(name: name, data: $0) }
    }

    /// Writes the central directory, the ZIP64 end record and locator, and the end record.
    func finish() throws {
        guard !finished else { return }
        finished = true
        let cdOffset = UInt64(out.offset)
        try out.write(central)
        let cdSize = UInt64(central.count)
        let n = UInt64(entryCount)
        let eocd64 = UInt64(out.offset)
        var tail: [UInt8] = le32(0x0606_4B50) + le64(44) + le16(45) + le16(45) + le32(0) + le32(0)
        tail += le64(n) + le64(n) + le64(cdSize) + le64(cdOffset)
        tail += le32(0x0706_4B50) + le32(0) + le64(eocd64) + le32(1)
        let n16: UInt16 = n >= 0xFFFF ? 0xFFFF : UInt16(n)
        tail += le32(0x0605_4B50) + le16(0) + le16(0) + le16(n16) + le16(n16)
        tail += le32(cdSize >= 0xFFFF_FFFF ? 0xFFFF_FFFF : UInt32(cdSize))
        tail += le32(cdOffset >= 0xFFFF_FFFF ? 0xFFFF_FFFF : UInt32(cdOffset)) + le16(0)
        try out.write(tail)
    }

    private func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    private func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * UInt32($0))) } }
    private func le64(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }
}
