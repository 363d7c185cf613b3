// TinifyHDF5: filling contiguous datasets' raw data without libhdf5. The writer creates every
// contiguous dataset with its space allocated at creation (`H5D_ALLOC_TIME_EARLY`, never filled)
// and reads back where it lies (`H5Dget_offset`); the bytes are then put there directly: with
// `copy_file_range` from the source file when a tensor is a contiguous little-endian slice of a
// mapped file (the kernel copies page cache to page cache; nothing passes through this process),
// else with `pwrite` of its materialised bytes. Writeback is started as each few megabytes land
// (`sync_file_range`), so the sync that makes the file durable finds little left to do.
// For a contiguous, unfiltered dataset whose memory and file types are the same, `H5Dwrite`
// stores exactly these bytes at that offset, so readers see the same data either way.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TinifyCore

/// One dataset's place in the file and the tensor whose elements go there.
struct RawPlacement {
    /// The file offset of the dataset's raw data (`H5Dget_offset`).
    let address: Int
    /// The tensor; its `byteCount` bytes are written, in C order, little-endian.
    let tensor: Tensor
    /// The dataset path under `/state_dict`, for errors.
    let path: String
}

/// Writes raw data at given offsets of a file.
enum RawDataWriter {
    /// Writeback is started after this many bytes have been written since the last start.
    static let writebackBytes = 8 << 20
    /// Writeback is never started within this distance of the end of the data: libhdf5 sets the
    /// file's size when it flushes or closes the file, and changing the size waits for writeback
    /// of the (possibly large) folio at the new end, ~10–20 ms. The final sync writes this tail.
    static let unsyncedTail = 4 << 20

    /// Writes every placement into the file at `path` (which libhdf5 holds open; the ranges are
    /// allocated and never written by it). `target` names the output in errors. `done` is called
    /// with the bytes written after each tensor.
    static func fill(_ path: String, target: String, placements: [RawPlacement], done: (Int) -> Void) throws {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(target, "open", errno) }
        var closed = false
        defer { if !closed { close(fd) } }
        var sources = SourceDescriptors()
        defer { sources.closeAll() }

        var written = 0
        var pendingStart = Int.max, pendingEnd = 0
        let dataEnd = placements.map { $0.address + $0.tensor.byteCount }.max() ?? 0
        let writebackLimit = max(dataEnd - unsyncedTail, 0) & ~((2 << 20) - 1)
        func startWriteback() {
            let end = min(pendingEnd, writebackLimit)
            if end > pendingStart { Kernel.startWriteback(fd, from: pendingStart, count: end - pendingStart) }
            pendingStart = Int.max
            pendingEnd = 0
        }
        for p in placements.sorted(by: { $0.address < $1.address }) {
            let t = p.tensor
            let length = t.byteCount
            guard length > 0 else { continue }
            var copied = 0
            if t.isContiguous && (t.storage.byteOrder == .little || t.dtype.swapUnit == 1),
               let range = t.storage.bytes.fileRange, let sfd = sources.descriptor(for: range.file),
               let skip = Checked.mul(t.offset, t.dtype.itemSize), let start = Checked.add(range.offset, skip) {
                copied = try copyRange(from: sfd, at: start, to: fd, at: p.address, count: length, target: target, path: p.path)
                if copied < length { sources.disableCopying() }
            }
            if copied < length {
                let bytes = t.contiguousBytes()
                guard bytes.count == length else {
                    throw HDF5Error.badData(path: p.path, reason: "\(bytes.count) bytes materialised, \(length) expected")
                }
                try bytes.withUnsafeBytes { b in
                    guard let base = b.baseAddress else { return }
                    try writeAll(fd, base + copied, count: length - copied, at: p.address + copied, target: target)
                }
            }
            written += length
            pendingStart = min(pendingStart, p.address)
            pendingEnd = max(pendingEnd, p.address + length)
            if pendingEnd - pendingStart >= writebackBytes { startWriteback() }
            done(written)
        }
        startWriteback()
        closed = true
        guard close(fd) == 0 else { throw failure(target, "close", errno) }
    }

    /// Waits until the data written to `path` so far is on disk (`fdatasync`).
    static func syncData(_ path: String, target: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(target, "open", errno) }
        defer { close(fd) }
        guard fdatasync(fd) == 0 else { throw failure(target, "fdatasync", errno) }
    }

    /// Copies with `copy_file_range` as far as it goes; returns the bytes copied, which are fewer
    /// than `count` only when the call is unavailable for these files (the rest is then written
    /// from memory). Real write errors (no space, I/O) throw.
    private static func copyRange(from sfd: Int32, at source: Int, to fd: Int32, at destination: Int,
                                  count: Int, target: String, path: String) throws -> Int {
        guard let copy = Kernel.copyFileRange else { return 0 }
        var inOff = Int64(source), outOff = Int64(destination)
        var done = 0
        while done < count {
            let r = copy(sfd, &inOff, fd, &outOff, count - done, 0)
            if r > 0 {
                done += r
                continue
            }
            if r == 0 { return done }  // the source ended early (it shrank): fall back to the mapping
            let e = errno
            switch e {
            case EINTR: continue
            case EXDEV, EINVAL, ENOSYS, EOPNOTSUPP, EBADF, EPERM, ETXTBSY, EOVERFLOW, EISDIR, EAGAIN: return done
            default: throw failure(target, "copy_file_range (\(path))", e)
            }
        }
        return done
    }

    private static func writeAll(_ fd: Int32, _ p: UnsafeRawPointer, count: Int, at offset: Int, target: String) throws {
        var done = 0
        while done < count {
            let r = pwrite(fd, p + done, min(count - done, 1 << 30), off_t(offset + done))
            if r < 0 {
                if errno == EINTR { continue }
                throw failure(target, "write", errno)
            }
            if r == 0 { throw FileError.cannotWrite(path: target, reason: "write returned 0") }
            done += r
        }
    }

    private static func failure(_ target: String, _ what: String, _ code: Int32) -> HDF5Error {
        .file(.cannotWrite(path: target, reason: "\(what): " + String(cString: strerror(code))))
    }

    /// Read descriptors on the mapped source files, opened once each and checked to be the file
    /// that was mapped.
    private struct SourceDescriptors {
        private var fds: [ObjectIdentifier: Int32] = [:]
        private var copying = Kernel.copyFileRange != nil

        /// A descriptor for `file`, or nil when copying is off or the file cannot be reopened as itself.
        mutating func descriptor(for file: MappedFile) -> Int32? {
            guard copying else { return nil }
            let id = ObjectIdentifier(file)
            if let fd = fds[id] { return fd >= 0 ? fd : nil }
            let fd = file.openDescriptor() ?? -1
            fds[id] = fd
            return fd >= 0 ? fd : nil
        }

        /// Stops using `copy_file_range` (it is not supported between these files).
        mutating func disableCopying() { copying = false }

        func closeAll() { for fd in fds.values where fd >= 0 { close(fd) } }
    }
}

/// Linux calls the Glibc module does not export (they are declared only under `_GNU_SOURCE`),
/// looked up once in the C library; nil where it does not have them.
enum Kernel {
    typealias CopyFileRange = @convention(c) (Int32, UnsafeMutablePointer<Int64>?, Int32, UnsafeMutablePointer<Int64>?, Int, UInt32) -> Int
    typealias SyncFileRange = @convention(c) (Int32, Int64, Int64, UInt32) -> Int32

    /// `copy_file_range(2)`.
    static let copyFileRange: CopyFileRange? = symbol("copy_file_range", as: CopyFileRange.self)
    /// `sync_file_range(2)`.
    static let syncFileRange: SyncFileRange? = symbol("sync_file_range", as: SyncFileRange.self)

    /// `SYNC_FILE_RANGE_WRITE`: start writeback of the dirty pages in the range, without waiting.
    static let syncFileRangeWrite: UInt32 = 2

    /// Starts writeback of `[offset, offset+count)`; a hint, so failures are ignored (fsync follows).
    static func startWriteback(_ fd: Int32, from offset: Int, count: Int) {
        _ = syncFileRange?(fd, Int64(offset), Int64(count), syncFileRangeWrite)
    }

    private static func symbol<T>(_ name: String, as type: T.Type) -> T? {
        #if os(Linux)
        guard let p = dlsym(nil, name) else { return nil }  // nil handle: RTLD_DEFAULT
        return unsafeBitCast(p, to: type)
        #else
        return nil
        #endif
    }
}
