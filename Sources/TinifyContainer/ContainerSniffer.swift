// TinifyContainer: what kind of file is this? Decided by content, never by file name.
import TinifyCore

/// The container kinds Tinify knows.
public enum ContainerKind: String, Sendable, Codable {
    /// torch ≥ 1.6 zip archive.
    case torchZip = "torch-zip"
    /// torch < 1.6 stream of pickles.
    case torchLegacy = "torch-legacy"
    /// safetensors.
    case safetensors = "safetensors"
    /// HDF5 (Tinify's native format).
    case hdf5 = "hdf5"
}

/// Recognises a file's container from its first bytes.
package enum ContainerSniffer {
    /// The container of `bytes`, or an error that says what the file looks like instead.
    public static func sniff(_ bytes: UnsafeRawBufferPointer) throws -> ContainerKind {
        guard !bytes.isEmpty else { throw ContainerError.empty }
        func starts(_ s: String, at o: Int = 0) -> Bool {
            let u = Array(s.utf8)
            return bytes.count >= o + u.count && bytes[o..<(o + u.count)].elementsEqual(u)
        }
        if starts("PK\u{03}\u{04}") { return .torchZip }
        if starts("PK\u{05}\u{06}") { throw ContainerError.notACheckpoint("an empty zip archive") }
        if bytes.count >= 8, bytes[0] == 0x89, starts("HDF\r\n\u{1A}\n", at: 1) { return .hdf5 }
        if starts("version https://git-lfs") { throw ContainerError.notACheckpoint("a Git LFS pointer file (run `git lfs pull` to fetch the real file)") }
        if bytes.count > 262, starts("ustar", at: 257) {
            throw ContainerError.unsupported("the pre-2018 tar checkpoint format (load and re-save it with torch)")
        }
        let head = bytes.prefix(512).drop(while: { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF })
        if head.first == UInt8(ascii: "<") { throw ContainerError.notACheckpoint("an HTML or XML page (a failed download?)") }
        if head.first == UInt8(ascii: "{") { throw ContainerError.notACheckpoint("a JSON or text file") }
        if bytes.count >= 9, bytes[8] == UInt8(ascii: "{") {
            let n = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[$1]) << (8 * UInt64($1)) }
            if n >= 2, n <= UInt64(bytes.count - 8) { return .safetensors }
        }
        if bytes[0] == 0x80 {
            if LegacyStream.looksLegacy(bytes) { return .torchLegacy }
            throw ContainerError.notACheckpoint("a plain pickle without torch's magic number (torch.save writes a zip archive or a legacy stream)")
        }
        let shown = bytes.prefix(8).map { String($0, radix: 16) }.joined(separator: " ")
        throw ContainerError.notACheckpoint("unrecognised content (first bytes \(shown))")
    }

    /// Whether a zip archive is a TorchScript archive rather than a state dict.
    public static func isTorchScript(_ zip: ZipArchive) -> Bool {
        zip.entry("constants.pkl") != nil || zip.entries.contains { $0.name.hasPrefix(zip.prefix + "/code/") }
    }
}
