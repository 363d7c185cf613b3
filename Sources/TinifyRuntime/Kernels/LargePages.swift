// TinifyRuntime: large float buffers mapped straight from the kernel and marked for transparent
// huge pages (madvise, a hint on these mappings only, never a process-wide setting). A fresh
// activation of a few megabytes otherwise costs one page fault and one zeroed 4 KiB page per
// 1024 floats; in a short process (one small image) those faults are a third of the time.
#if canImport(Glibc)
import Glibc
#endif

/// Anonymous mappings for buffers of at least `threshold` bytes.
enum LargePages {
    /// The huge-page size the mappings are aligned to (x86-64 and arm64 with 4 KiB pages).
    static let alignment = 2 << 20
    /// Buffers this large or larger are mapped; smaller ones come from malloc.
    static let threshold = 1 << 20

    /// A mapping of at least `bytes` bytes, aligned to `alignment`, and its length; nil when the
    /// system refuses (the caller falls back to malloc).
    static func map(_ bytes: Int) -> (UnsafeMutableRawPointer, Int)? {
        #if os(Linux)
        let (length, over) = bytes.addingReportingOverflow(alignment - 1)
        guard !over else { return nil }
        let size = length & ~(alignment - 1)
        let (span, over2) = size.addingReportingOverflow(alignment)
        guard !over2, let raw = mmap(nil, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              raw != MAP_FAILED else { return nil }
        // Keep the aligned `size` bytes inside the over-sized mapping; return the rest.
        let address = UInt(bitPattern: raw)
        let aligned = (address + UInt(alignment - 1)) & ~UInt(alignment - 1)
        let head = Int(aligned - address), tail = span - head - size
        if head > 0 { munmap(raw, head) }
        let start = raw + head
        if tail > 0 { munmap(start + size, tail) }
        _ = madvise(start, size, MADV_HUGEPAGE)
        return (start, size)
        #else
        return nil
        #endif
    }

    /// Returns a mapping made by `map`.
    static func unmap(_ pointer: UnsafeMutableRawPointer, length: Int) {
        #if os(Linux)
        munmap(pointer, length)
        #endif
    }
}
