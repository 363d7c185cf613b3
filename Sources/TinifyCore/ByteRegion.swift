// TinifyCore: read-only byte regions that keep their owner (a mapping or a heap block) alive.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a byte region's memory belongs to; released when the last region referring to it goes.
package protocol ByteOwner: AnyObject {}

/// A heap block owned by the region(s) made from it.
package final class HeapBlock: ByteOwner {
    /// The block's start (nil when empty).
    public let pointer: UnsafeMutableRawPointer?
    /// The block's length in bytes.
    public let count: Int

    /// Allocates `count` uninitialised bytes, 64-byte aligned. When the memory cannot be had the
    /// block is empty (`count` 0): callers that must tell use `init?(allocating:)`; readers
    /// bound every size by their limits before allocating.
    public init(count: Int) {
        pointer = HeapBlock.allocate(count)
        self.count = pointer == nil ? 0 : count
    }
    /// Allocates `count` uninitialised bytes, 64-byte aligned, or nil when the memory cannot be
    /// had (never aborts).
    public init?(allocating count: Int) {
        guard count >= 0 else { return nil }
        pointer = HeapBlock.allocate(count)
        guard pointer != nil || count == 0 else { return nil }
        self.count = count
    }
    /// `count` bytes from posix_memalign (64-byte aligned), or nil for none or when it fails.
    private static func allocate(_ count: Int) -> UnsafeMutableRawPointer? {
        var p: UnsafeMutableRawPointer?
        guard count > 0, posix_memalign(&p, 64, count) == 0 else { return nil }
        return p
    }
    deinit { pointer.map { free($0) } }
}

/// A read-only, memory-mapped file. Sendable: every property is a constant and the mapping is
/// never written (PROT_READ), so any thread may read it until the last reference goes.
package final class MappedFile: ByteOwner, @unchecked Sendable {
    /// The path the file was opened at.
    public let path: String
    /// The mapping's start (nil for an empty file).
    public let pointer: UnsafeRawPointer?
    /// The file's length in bytes.
    public let count: Int
    /// What identifies the mapped file on its file system: device, inode and modification time.
    private let identity: (device: UInt64, inode: UInt64, seconds: Int, nanoseconds: Int)

    /// Maps `path` read-only. Throws `FileError` when it cannot be opened or mapped.
    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw FileError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw FileError.notARegularFile(path: path) }
        count = Int(st.st_size)
        identity = (UInt64(st.st_dev), UInt64(st.st_ino), Int(st.st_mtim.tv_sec), Int(st.st_mtim.tv_nsec))
        if count == 0 {
            pointer = nil
            return
        }
        let p = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else { throw FileError.cannotOpen(path: path, reason: "mmap failed: \(String(cString: strerror(errno)))") }
        pointer = UnsafeRawPointer(p)
    }
    deinit {
        if let pointer { munmap(UnsafeMutableRawPointer(mutating: pointer), count) }
    }

    /// A new read-only descriptor on the mapped file, for calls that want one (`copy_file_range`),
    /// or nil when `path` no longer names the file that was mapped (another device, inode, size or
    /// modification time) or cannot be opened. The caller closes it.
    public func openDescriptor() -> Int32? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var st = stat()
        guard fstat(fd, &st) == 0, UInt64(st.st_dev) == identity.device, UInt64(st.st_ino) == identity.inode,
              Int(st.st_size) == count, Int(st.st_mtim.tv_sec) == identity.seconds, Int(st.st_mtim.tv_nsec) == identity.nanoseconds else {
            close(fd)
            return nil
        }
        return fd
    }
}

/// Errors opening or writing files.
public enum FileError: Error, CustomStringConvertible {
    /// The file could not be opened or read.
    case cannotOpen(path: String, reason: String)
    /// The path names a directory, device or other non-regular file.
    case notARegularFile(path: String)
    /// Writing failed.
    case cannotWrite(path: String, reason: String)
    /// The output exists and `--force` was not given.
    case outputExists(path: String)

    /// A one-line, lowercase description.
    public var description: String {
        switch self {
        case .cannotOpen(_, let r): return "cannot open: \(r)"
        case .notARegularFile: return "not a regular file"
        case .cannotWrite(let p, let r): return "cannot write \(p): \(r)"
        case .outputExists(let p): return "\(p) exists"
        }
    }
}

/// A read-only view of bytes that keeps their owner alive. Slicing is free and checked.
public struct ByteRegion: @unchecked Sendable {
    /// The owner of the memory.
    package let owner: ByteOwner?
    /// The first byte (nil when `count == 0`).
    public let base: UnsafeRawPointer?
    /// The number of bytes.
    public let count: Int

    /// A region over `count` bytes at `base`, kept alive by `owner`.
    package init(owner: ByteOwner?, base: UnsafeRawPointer?, count: Int) {
        self.owner = owner
        self.base = count > 0 ? base : nil
        self.count = count
    }

    /// The whole of a mapped file.
    package init(file: MappedFile) { self.init(owner: file, base: file.pointer, count: file.count) }

    /// The whole of a heap block.
    package init(block: HeapBlock) { self.init(owner: block, base: block.pointer.map { UnsafeRawPointer($0) }, count: block.count) }

    /// A copy of `bytes` on the heap.
    public init(copying bytes: UnsafeRawBufferPointer) {
        let block = HeapBlock(count: bytes.count)
        if let d = block.pointer, let s = bytes.baseAddress { d.copyMemory(from: s, byteCount: bytes.count) }
        self.init(block: block)
    }

    /// A copy of an array of bytes.
    public init(_ bytes: [UInt8]) {
        self = bytes.withUnsafeBytes { ByteRegion(copying: $0) }
    }

    /// A region of no bytes, owned by nothing.
    public static let empty = ByteRegion(owner: nil, base: nil, count: 0)

    /// The bytes, valid while this region (or its owner) lives.
    public var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// The sub-region `[offset, offset+length)`, or nil when it is not inside this region.
    public func slice(_ offset: Int, _ length: Int) -> ByteRegion? {
        guard offset >= 0, length >= 0, let end = Checked.add(offset, length), end <= count else { return nil }
        return ByteRegion(owner: owner, base: base.map { $0 + offset }, count: length)
    }

    /// Calls `body` with the bytes.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withExtendedLifetime(owner) { try body(buffer) }
    }

    /// The mapped file this region lies in and the offset of its first byte in that file, when
    /// its owner is a `MappedFile` (a zero-copy slice of a file); nil for heap memory.
    package var fileRange: (file: MappedFile, offset: Int)? {
        guard let file = owner as? MappedFile, let start = file.pointer else { return nil }
        guard let base else { return count == 0 ? (file, 0) : nil }
        let offset = base - start
        guard offset >= 0, let end = Checked.add(offset, count), end <= file.count else { return nil }
        return (file, offset)
    }

    /// The bytes as an array (a copy).
    public var array: [UInt8] { withUnsafeBytes { Array($0) } }
}

extension FileError: TinifyError {}
