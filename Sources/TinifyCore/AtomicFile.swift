// TinifyCore: atomic output. Every writer writes a temporary file beside the output, fsyncs it
// and renames it into place; on any error the temporary is removed, so no partial output remains.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files all at once or not at all.
package enum AtomicFile {
    /// Writes `path` through a buffered `FileOutput` on a temporary file in the same directory,
    /// then fsyncs and renames it over `path`. When `replace` is false an existing `path` is
    /// refused (`FileError.outputExists`), also if it appears while writing.
    /// If `body` throws, the temporary file is removed and the error rethrown.
    package static func write<R>(to path: String, replace: Bool = true, _ body: (FileOutput) throws -> R) throws -> R {
        let target = try prepare(path, replace: replace)
        let (temp, fd) = try createTemporary(target)
        let out = FileOutput(fd: fd, path: temp, target: path)
        do {
            let result = try body(out)
            try out.flush()
            guard fsync(fd) == 0 else { throw FileError.cannotWrite(path: path, reason: "fsync: " + errnoText()) }
            out.closeDescriptor()
            guard out.closeResult == 0 else { throw FileError.cannotWrite(path: path, reason: "close: " + errnoText()) }
            try commit(temp, to: path, directory: target.directory, replace: replace)
            return result
        } catch {
            out.closeDescriptor()
            unlink(temp)
            throw error
        }
    }

    /// For libraries that open the file themselves (libhdf5): `body` gets the path of an empty
    /// temporary file in `path`'s directory, which it may truncate and fill. The file is then
    /// fsynced and renamed over `path`; if `body` throws it is removed.
    package static func write<R>(to path: String, replace: Bool = true, byPath body: (String) throws -> R) throws -> R {
        let target = try prepare(path, replace: replace)
        let (temp, fd) = try createTemporary(target)
        close(fd)
        do {
            let result = try body(temp)
            let sfd = open(temp, O_RDONLY | O_CLOEXEC)
            guard sfd >= 0 else { throw FileError.cannotWrite(path: path, reason: "reopen: " + errnoText()) }
            let synced = fsync(sfd)
            let reason = errnoText()
            close(sfd)
            guard synced == 0 else { throw FileError.cannotWrite(path: path, reason: "fsync: " + reason) }
            try commit(temp, to: path, directory: target.directory, replace: replace)
            return result
        } catch {
            unlink(temp)
            throw error
        }
    }

    /// Refuses an existing `path` (`FileError.outputExists`) unless `replace`: the early check a
    /// command makes before its work, so a refusal costs nothing (the write checks again).
    package static func checkAbsent(_ path: String, replace: Bool) throws {
        if !replace, access(path, F_OK) == 0 { throw FileError.outputExists(path: path) }
    }

    // MARK: - Steps

    private struct Target { let directory: String; let base: String }

    private static func errnoText() -> String { String(cString: strerror(errno)) }

    /// Splits `path` into directory and name, and checks what is there now.
    private static func prepare(_ path: String, replace: Bool) throws -> Target {
        guard !path.isEmpty, !path.hasSuffix("/") else { throw FileError.cannotWrite(path: path, reason: "not a file name") }
        let directory: String, base: String
        if let slash = path.lastIndex(of: "/") {
            directory = slash == path.startIndex ? "/" : String(path[..<slash])
            base = String(path[path.index(after: slash)...])
        } else {
            directory = "."
            base = path
        }
        guard base != ".", base != ".." else { throw FileError.cannotWrite(path: path, reason: "not a file name") }
        var st = stat()
        if lstat(path, &st) == 0 {
            if (st.st_mode & S_IFMT) == S_IFDIR { throw FileError.cannotWrite(path: path, reason: "is a directory") }
            if !replace { throw FileError.outputExists(path: path) }
        }
        var dst = stat()
        guard stat(directory, &dst) == 0 else { throw FileError.cannotWrite(path: path, reason: "directory \(directory): " + errnoText()) }
        guard (dst.st_mode & S_IFMT) == S_IFDIR else { throw FileError.cannotWrite(path: path, reason: "\(directory) is not a directory") }
        return Target(directory: directory, base: base)
    }

    /// Creates `.<name>.tinify-<pid>-<random>.tmp` beside the output, exclusively.
    private static func createTemporary(_ t: Target) throws -> (String, Int32) {
        let stem = t.base.utf8.count > 200 ? String(decoding: Array(t.base.utf8.prefix(200)), as: UTF8.self) : t.base
        for _ in 0..<16 {
            let tag = String(UInt64.random(in: 0...UInt64.max), radix: 36)
            let temp = (t.directory == "/" ? "/" : t.directory + "/") + ".\(stem).tinify-\(getpid())-\(tag).tmp"
            let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if fd >= 0 { return (temp, fd) }
            if errno != EEXIST { throw FileError.cannotWrite(path: temp, reason: errnoText()) }
        }
        throw FileError.cannotWrite(path: t.directory, reason: "cannot create a temporary file")
    }

    /// Moves the finished temporary file into place and syncs the directory.
    private static func commit(_ temp: String, to path: String, directory: String, replace: Bool) throws {
        if replace {
            guard rename(temp, path) == 0 else { throw FileError.cannotWrite(path: path, reason: "rename: " + errnoText()) }
        } else if link(temp, path) == 0 {
            unlink(temp)
        } else {
            // link(2) refuses an existing name atomically; where links are unsupported fall back to check + rename.
            let e = errno
            if e == EEXIST { throw FileError.outputExists(path: path) }
            var st = stat()
            if lstat(path, &st) == 0 { throw FileError.outputExists(path: path) }
            guard rename(temp, path) == 0 else { throw FileError.cannotWrite(path: path, reason: "rename: " + errnoText()) }
        }
        let dfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 {
            _ = fsync(dfd)
            close(dfd)
        }
    }
}

/// A buffered, append-only writer on an open file descriptor (the temporary file of `AtomicFile`).
package final class FileOutput {
    /// The temporary file being written.
    package let path: String
    /// The final output path (for error messages).
    package let target: String
    private var fd: Int32
    fileprivate var closeResult: Int32 = 0
    private let capacity = 1 << 20
    private let buffer: UnsafeMutableRawPointer
    private var used = 0
    /// Bytes written so far, buffered ones included: the offset the next byte lands at.
    package private(set) var offset = 0

    fileprivate init(fd: Int32, path: String, target: String) {
        self.fd = fd
        self.path = path
        self.target = target
        buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
    }

    deinit {
        buffer.deallocate()
        closeDescriptor()
    }

    fileprivate func closeDescriptor() {
        if fd >= 0 {
            closeResult = close(fd)
            fd = -1
        }
    }

    /// Appends `bytes`.
    package func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        if used + bytes.count <= capacity {
            (buffer + used).copyMemory(from: base, byteCount: bytes.count)
            used += bytes.count
        } else {
            try flush()
            if bytes.count < capacity / 2 {
                buffer.copyMemory(from: base, byteCount: bytes.count)
                used = bytes.count
            } else {
                try writeAll(base, bytes.count)
            }
        }
        offset += bytes.count
    }

    /// Appends an array of bytes.
    package func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Appends the bytes of a region.
    package func write(_ region: ByteRegion) throws {
        try region.withUnsafeBytes { try write($0) }
    }

    /// Appends `count` copies of `byte`.
    package func write(repeating byte: UInt8, count: Int) throws {
        var left = count
        let chunk = [UInt8](repeating: byte, count: min(max(count, 0), 65536))
        while left > 0 {
            let n = min(left, chunk.count)
            try chunk.withUnsafeBytes { try write(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            left -= n
        }
    }

    /// Leaves a hole of `count` zero bytes (sparse where the file system allows); data must follow.
    package func skip(_ count: Int) throws {
        guard count > 0 else { return }
        try flush()
        guard fd >= 0, lseek(fd, off_t(count), SEEK_CUR) >= 0 else {
            throw FileError.cannotWrite(path: target, reason: "seek: " + String(cString: strerror(errno)))
        }
        offset += count
    }

    /// Writes out the buffered bytes.
    package func flush() throws {
        if used > 0 {
            try writeAll(UnsafeRawPointer(buffer), used)
            used = 0
        }
    }

    private func writeAll(_ p: UnsafeRawPointer, _ n: Int) throws {
        guard fd >= 0 else { throw FileError.cannotWrite(path: target, reason: "file already closed") }
        var done = 0
        while done < n {
            let r = CLibrary.write(fd, p + done, min(n - done, 1 << 30))
            if r < 0 {
                if errno == EINTR { continue }
                throw FileError.cannotWrite(path: target, reason: String(cString: strerror(errno)))
            }
            if r == 0 { throw FileError.cannotWrite(path: target, reason: "write returned 0") }
            done += r
        }
    }
}

/// Reports a writer's progress: bytes of tensor data written so far, and the total.
public typealias WriteProgress = (_ done: Int, _ total: Int) -> Void
