// TinifyCore: SHA-256 through OpenSSL's libcrypto (hardware SHA extensions where the CPU has them).
import CCrypto
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An incremental SHA-256 hasher.
package final class SHA256Hasher {
    private let ctx: OpaquePointer?

    /// A fresh hasher.
    package init() {
        ctx = EVP_MD_CTX_new()
        EVP_DigestInit_ex(ctx, EVP_sha256(), nil)
    }
    deinit { EVP_MD_CTX_free(ctx) }

    /// Adds `bytes` to the hash.
    package func update(_ bytes: UnsafeRawBufferPointer) {
        guard let b = bytes.baseAddress, bytes.count > 0 else { return }
        EVP_DigestUpdate(ctx, b, bytes.count)
    }

    /// The digest as 64 lowercase hex digits.
    package func hexDigest() -> String {
        var out = [UInt8](repeating: 0, count: 32)
        var len: UInt32 = 0
        out.withUnsafeMutableBufferPointer { _ = EVP_DigestFinal_ex(ctx, $0.baseAddress, &len) }
        return SHA256Hasher.hex(out)
    }

    /// Lowercase hex of `bytes`.
    package static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var s = [UInt8]()
        s.reserveCapacity(bytes.count * 2)
        for b in bytes { s.append(digits[Int(b >> 4)]); s.append(digits[Int(b & 15)]) }
        return String(decoding: s, as: UTF8.self)
    }

    /// The SHA-256 of a mapped file's contents, in hex. The file is hashed through a mapping of its
    /// own, populated when it is made (`MAP_POPULATE`: one pass over the page cache instead of a
    /// fault per 64 KiB, and no copy into a buffer as `pread` makes), so `file`'s mapping stays
    /// untouched. `digested`, when given, gets the digest before that mapping is released
    /// (unmapping 100+ MB of page tables takes a few milliseconds), so a waiting thread can go on.
    /// When the path no longer names the mapped file, `file`'s own mapping is hashed.
    package static func hex(of file: MappedFile, digested: ((String) -> Void)? = nil) -> String {
        hex(of: file, stop: nil, digested: digested) ?? ""
    }

    /// `hex(of:digested:)` that ends early, returning nil, once `stop` (asked between 8 MiB
    /// chunks) answers true; nothing is then passed to `digested`.
    package static func hex(of file: MappedFile, stop: (() -> Bool)?, digested: ((String) -> Void)? = nil) -> String? {
        if file.count > 0, let fd = file.openDescriptor() {
            defer { close(fd) }
            if let p = mmap(nil, file.count, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0), p != MAP_FAILED {
                defer { munmap(p, file.count) }
                _ = madvise(p, file.count, MADV_SEQUENTIAL)
                guard let digest = hex(of: UnsafeRawBufferPointer(start: p, count: file.count), stop: stop) else { return nil }
                digested?(digest)
                return digest
            }
        }
        let digest = withExtendedLifetime(file) { hex(of: ByteRegion(file: file).buffer, stop: stop) }
        if let digest { digested?(digest) }
        return digest
    }

    /// The SHA-256 of `bytes` in 8 MiB chunks, asking `stop` before each; nil once it says true.
    package static func hex(of bytes: UnsafeRawBufferPointer, stop: (() -> Bool)?) -> String? {
        guard let stop else { return hex(of: bytes) }
        let h = SHA256Hasher()
        let chunk = 8 << 20
        var offset = 0
        while offset < bytes.count {
            if stop() { return nil }
            let end = offset + min(chunk, bytes.count - offset)
            h.update(UnsafeRawBufferPointer(rebasing: bytes[offset..<end]))
            offset = end
        }
        return h.hexDigest()
    }

    /// The SHA-256 of `bytes`, in hex.
    package static func hex(of bytes: UnsafeRawBufferPointer) -> String {
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
