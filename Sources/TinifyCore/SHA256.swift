// TinifyCore: SHA-256 through OpenSSL's libcrypto (hardware SHA extensions where the CPU has them).
import CCrypto
#if canImport(Glibc)
import Glibc
#endif

/// An incremental SHA-256 hasher.
public final class SHA256Hasher {
    private let ctx: OpaquePointer?

    /// A fresh hasher.
    public init() {
        ctx = EVP_MD_CTX_new()
        EVP_DigestInit_ex(ctx, EVP_sha256(), nil)
    }
    deinit { EVP_MD_CTX_free(ctx) }

    /// Adds `bytes` to the hash.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let b = bytes.baseAddress, bytes.count > 0 else { return }
        EVP_DigestUpdate(ctx, b, bytes.count)
    }

    /// The digest as 64 lowercase hex digits.
    public func hexDigest() -> String {
        var out = [UInt8](repeating: 0, count: 32)
        var len: UInt32 = 0
        out.withUnsafeMutableBufferPointer { _ = EVP_DigestFinal_ex(ctx, $0.baseAddress, &len) }
        return SHA256Hasher.hex(out)
    }

    /// Lowercase hex of `bytes`.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var s = [UInt8]()
        s.reserveCapacity(bytes.count * 2)
        for b in bytes { s.append(digits[Int(b >> 4)]); s.append(digits[Int(b & 15)]) }
        return String(decoding: s, as: UTF8.self)
    }

    /// The SHA-256 of a mapped file's contents, in hex. The file is read through a descriptor into
    /// a small buffer, so the mapping's pages stay untouched (tearing down the page-table entries
    /// of 100+ MB of touched mapping costs ~10–20 ms on whichever thread releases the file); it
    /// falls back to the mapping when the path no longer names the mapped file.
    public static func hex(of file: MappedFile) -> String {
        if let fd = file.openDescriptor() {
            defer { close(fd) }
            let h = SHA256Hasher()
            let size = 256 << 10
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 4096)
            defer { buffer.deallocate() }
            var offset = 0
            while offset < file.count {
                let r = pread(fd, buffer, min(size, file.count - offset), off_t(offset))
                if r < 0 && errno == EINTR { continue }
                guard r > 0 else { break }
                h.update(UnsafeRawBufferPointer(start: buffer, count: r))
                offset += r
            }
            if offset == file.count { return h.hexDigest() }
        }
        return withExtendedLifetime(file) { hex(of: ByteRegion(file: file).buffer) }
    }

    /// The SHA-256 of `bytes`, in hex.
    public static func hex(of bytes: UnsafeRawBufferPointer) -> String {
        let h = SHA256Hasher()
        h.update(bytes)
        return h.hexDigest()
    }
}

extension Tensor {
    /// SHA-256 of the elements in C order, little-endian (bfloat16 as its bit pattern, bool as 0/1 bytes):
    /// the convention of the fixtures' `manifests.json`.
    public func sha256() -> String {
        contiguousBytes().withUnsafeBytes { SHA256Hasher.hex(of: $0) }
    }
}
