// TinifyContainer: a zip reader for torch archives over a memory-mapped file.
//
// The central directory (and ZIP64 records) are parsed here, because libzip has no API for a
// record's data offset; each entry's local header is read to find where its data starts.
// Stored records are zero-copy slices of the mapping. DEFLATE records are inflated through
// libzip into a buffer of exactly their declared size, never more.
import CZip
import TinifyCore

/// One entry of a zip archive.
package struct ZipEntry: Sendable {
    /// The full name, e.g. `archive/data/0`.
    package let name: String
    /// 0 = stored, 8 = deflate.
    package let method: Int
    /// Compressed size in bytes.
    package let compressedSize: Int
    /// Uncompressed size in bytes.
    package let size: Int
    /// Offset of the local header.
    package let headerOffset: Int
    /// Offset of the entry's data.
    package let dataOffset: Int
}

/// Limits on what an archive may declare.
package struct ZipLimits: Sendable {
    /// Most entries.
    package var maxEntries = 1 << 20
    /// Largest name.
    package var maxNameLength = 4096
    /// DEFLATE records may inflate, in total, to this many times the file's size…
    package var maxInflateRatio = 64
    /// …or to this many bytes, whichever is more (a deflate bomb is refused before it is inflated).
    package var minInflateBudget = 64 << 20
    /// The most bytes all DEFLATE records together may take once inflated (they are held in
    /// memory): the memory budget of the read. Over it is a `MemoryBudgetError`.
    package var maxInflatedBytes = Int.max
    /// The defaults.
    package init() {}
}

/// A read-only zip archive over a mapped file.
package final class ZipArchive {
    /// The file.
    package let file: MappedFile
    /// The entries in central-directory order.
    package let entries: [ZipEntry]
    /// The common top-level folder (torch's archive prefix), e.g. `archive`.
    package let prefix: String
    private let byName: [String: Int]
    private var libzip: OpaquePointer?
    /// Bytes all DEFLATE records together may inflate to, and the bytes inflated so far.
    private let inflateBudget: Int
    private let memoryLimit: Int
    private var inflated = 0

    /// Parses the archive's directory. Throws `ContainerError.zip` for anything malformed.
    package init(file: MappedFile, limits: ZipLimits = ZipLimits()) throws {
        self.file = file
        let data = ByteRegion(file: file)
        let bytes = data.buffer
        let n = bytes.count
        func u16(_ o: Int) -> Int { Int(bytes[o]) | Int(bytes[o + 1]) << 8 }
        func u32(_ o: Int) -> Int { u16(o) | u16(o + 2) << 16 }
        func u64(_ o: Int) -> UInt64 { UInt64(u32(o)) | UInt64(u32(o + 4)) << 32 }

        // End of central directory: the last signature within 64 KiB + 22 of the end.
        guard n >= 22 else { throw ContainerError.zip("too short for a zip archive", offset: 0) }
        var eocd = -1
        var i = n - 22
        let lowest = max(0, n - 22 - 65535)
        while i >= lowest {
            if bytes[i] == 0x50, bytes[i + 1] == 0x4B, bytes[i + 2] == 5, bytes[i + 3] == 6 { eocd = i; break }
            i -= 1
        }
        guard eocd >= 0 else { throw ContainerError.zip("no end of central directory (truncated?)", offset: n) }
        var count = u16(eocd + 10)
        var cdSize = u32(eocd + 12)
        var cdOffset = u32(eocd + 16)
        // ZIP64 locator just before the EOCD.
        if eocd >= 20, u32(eocd - 20) == 0x07064B50 {
            guard let z = Checked.int(u64(eocd - 12)), z >= 0, z <= n - 56, u32(z) == 0x06064B50 else {
                throw ContainerError.zip("bad ZIP64 end of central directory", offset: eocd - 20)
            }
            guard let c = Checked.int(u64(z + 32)), let s = Checked.int(u64(z + 40)), let o = Checked.int(u64(z + 48)) else {
                throw ContainerError.zip("ZIP64 sizes overflow", offset: z)
            }
            count = c; cdSize = s; cdOffset = o
        }
        guard count <= limits.maxEntries else { throw ContainerError.zip("\(count) entries, over the limit of \(limits.maxEntries)", offset: eocd) }
        guard let cdEnd = Checked.add(cdOffset, cdSize), cdEnd <= n else {
            throw ContainerError.zip("central directory lies outside the file", offset: cdOffset)
        }

        var entries: [ZipEntry] = []
        entries.reserveCapacity(min(count, cdSize / 46))
        var byName: [String: Int] = [:]
        var p = cdOffset
        for _ in 0..<count {
            guard p + 46 <= cdEnd, u32(p) == 0x02014B50 else { throw ContainerError.zip("bad central directory entry", offset: p) }
            let flags = u16(p + 8)
            let method = u16(p + 10)
            var csize = u32(p + 20), usize = u32(p + 24)
            let nameLen = u16(p + 28), extraLen = u16(p + 30), commentLen = u16(p + 32)
            var lho = u32(p + 42)
            guard nameLen <= limits.maxNameLength else { throw ContainerError.zip("entry name too long", offset: p) }
            let next = p + 46 + nameLen + extraLen + commentLen
            guard next <= cdEnd else { throw ContainerError.zip("central directory entry runs past its end", offset: p) }
            if flags & 1 != 0 { throw ContainerError.zip("encrypted entry", offset: p) }
            guard let name = String(validating: UnsafeRawBufferPointer(rebasing: bytes[(p + 46)..<(p + 46 + nameLen)]), as: UTF8.self) else {
                throw ContainerError.zip("entry name is not UTF-8", offset: p)
            }
            // ZIP64 extra field: the fields that are 0xFFFFFFFF, in order usize, csize, offset.
            var e = p + 46 + nameLen
            let extraEnd = e + extraLen
            while e + 4 <= extraEnd {
                let id = u16(e), len = u16(e + 2)
                guard e + 4 + len <= extraEnd else { throw ContainerError.zip("extra field runs past its entry", offset: e) }
                if id == 1 {
                    var q = e + 4
                    func next64() throws -> Int {
                        guard q + 8 <= e + 4 + len, let v = Checked.int(u64(q)) else { throw ContainerError.zip("bad ZIP64 extra field", offset: q) }
                        q += 8
                        return v
                    }
                    if usize == 0xFFFF_FFFF { usize = try next64() }
                    if csize == 0xFFFF_FFFF { csize = try next64() }
                    if lho == 0xFFFF_FFFF { lho = try next64() }
                }
                e += 4 + len
            }
            guard byName[name] == nil else { throw ContainerError.zip("duplicate entry '\(name)'", offset: p) }
            guard ZipArchive.isSafeName(name) else {
                throw ContainerError.zip("unsafe entry name '\(name)'", offset: p)
            }
            // Local header: its own name and extra lengths decide where the data starts.
            guard lho <= n - 30, u32(lho) == 0x04034B50 else { throw ContainerError.zip("bad local header for '\(name)'", offset: lho) }
            let dataOffset = lho + 30 + u16(lho + 26) + u16(lho + 28)
            guard let dataEnd = Checked.add(dataOffset, csize), dataEnd <= cdOffset else {
                throw ContainerError.zip("data of '\(name)' runs past the central directory", offset: lho)
            }
            byName[name] = entries.count
            entries.append(ZipEntry(name: name, method: method, compressedSize: csize, size: usize, headerOffset: lho, dataOffset: dataOffset))
            p = next
        }
        // No two entries may overlap.
        let sorted = entries.sorted { $0.headerOffset < $1.headerOffset }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.dataOffset + a.compressedSize > b.headerOffset {
            throw ContainerError.zip("entries '\(a.name)' and '\(b.name)' overlap", offset: b.headerOffset)
        }
        guard let first = entries.first else { throw ContainerError.zip("empty archive", offset: eocd) }
        guard first.name.contains("/") else {
            throw ContainerError.zip("entry '\(first.name)' is not inside a top-level folder (torch keeps every record under one prefix)", offset: first.headerOffset)
        }
        let prefix = first.name.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        for e in entries where !e.name.hasPrefix(prefix + "/") {
            throw ContainerError.zip("entry '\(e.name)' lies outside the archive prefix '\(prefix)/'", offset: e.headerOffset)
        }
        self.entries = entries
        self.byName = byName
        self.prefix = prefix
        inflateBudget = max(limits.minInflateBudget, Checked.mul(n, limits.maxInflateRatio) ?? Int.max)
        memoryLimit = limits.maxInflatedBytes
    }

    deinit { if let libzip { zip_discard(libzip) } }

    /// Whether `name` is a safe relative path: not absolute, no backslash, no `..` component.
    /// Checked on the UTF-8 bytes (Character-level `split`/`contains` cost ~10 µs per entry).
    static func isSafeName(_ name: String) -> Bool {
        var dots = 0 // leading dots of the current component; -1 once it holds anything else
        var first = true
        for b in name.utf8 {
            switch b {
            case UInt8(ascii: "\\"): return false
            case UInt8(ascii: "/"):
                if first || dots == 2 { return false }
                dots = 0
            case UInt8(ascii: "."): dots = dots >= 0 && dots < 2 ? dots + 1 : -1
            default: dots = -1
            }
            first = false
        }
        return dots != 2
    }

    /// The entry named `prefix/relative`, if any.
    package func entry(_ relative: String) -> ZipEntry? {
        byName[prefix + "/" + relative].map { entries[$0] }
    }

    /// The bytes of `prefix/relative`: a zero-copy slice when stored, an inflated copy when
    /// deflated. `limit` bounds the declared size.
    package func record(_ relative: String, limit: Int = Int.max) throws -> ByteRegion {
        guard let e = entry(relative) else { throw ContainerError.missingRecord(prefix + "/" + relative) }
        return try record(e, limit: limit)
    }

    /// The bytes of `e` (see `record(_:limit:)`).
    package func record(_ e: ZipEntry, limit: Int = Int.max) throws -> ByteRegion {
        guard e.size <= limit else { throw ContainerError.recordTooLarge(name: e.name, size: e.size, limit: limit) }
        switch e.method {
        case 0:
            guard e.compressedSize == e.size else {
                throw ContainerError.zip("stored entry '\(e.name)' has compressed size \(e.compressedSize) but size \(e.size)", offset: e.headerOffset)
            }
            guard let r = ByteRegion(file: file).slice(e.dataOffset, e.size) else {
                throw ContainerError.zip("entry '\(e.name)' lies outside the file", offset: e.dataOffset)
            }
            return r
        case 8:
            guard let total = Checked.add(inflated, e.size), total <= inflateBudget else {
                throw ContainerError.inflate(name: e.name, reason: "declares \(e.size) bytes from \(e.compressedSize) compressed, over the inflation budget of \(inflateBudget) bytes for this file (a deflate bomb?)")
            }
            try MemoryBudget(bytes: memoryLimit).check(total, for: "inflating this archive's records (up to '\(e.name)')")
            inflated = total
            return try inflate(e)
        default:
            throw ContainerError.unsupported("compression method \(e.method) of '\(e.name)'")
        }
    }

    private func inflate(_ e: ZipEntry) throws -> ByteRegion {
        if libzip == nil {
            var err: Int32 = 0
            guard let za = zip_open(file.path, ZIP_RDONLY, &err) else {
                throw ContainerError.inflate(name: e.name, reason: "libzip cannot open the archive (error \(err))")
            }
            libzip = za
        }
        let index = zip_name_locate(libzip, e.name, 0)
        guard index >= 0, let zf = zip_fopen_index(libzip, zip_uint64_t(index), 0) else {
            throw ContainerError.inflate(name: e.name, reason: "libzip cannot open the entry")
        }
        defer { zip_fclose(zf) }
        let block = HeapBlock(count: e.size)
        var got = 0
        while got < e.size, let dst = block.pointer {
            let r = zip_fread(zf, dst + got, zip_uint64_t(e.size - got))
            if r < 0 { throw ContainerError.inflate(name: e.name, reason: "corrupt compressed data") }
            if r == 0 { break }
            got += Int(r)
        }
        guard got == e.size else { throw ContainerError.inflate(name: e.name, reason: "inflates to \(got) bytes, not the declared \(e.size)") }
        var extra: UInt8 = 0
        if zip_fread(zf, &extra, 1) > 0 {
            throw ContainerError.inflate(name: e.name, reason: "inflates past its declared size of \(e.size) bytes")
        }
        return ByteRegion(block: block)
    }
}
