// tinify: transparent huge pages for the command's own heap. A compress or decompress of a small
// image copies ~15 MB of weights into fresh heap memory; in 4 KiB pages that is ~4000 page
// faults, about a fifth of the whole process. The command owns its process, so it may tune
// glibc's malloc for it (the library never does): large blocks come from the heap instead of
// one mapping each, the heap grows in one large step, and that step is marked for huge pages.
#if canImport(Glibc)
import Glibc
#endif

/// Makes the heap grow in huge-page-backed steps (glibc on Linux; elsewhere nothing happens).
/// Only a hint: when any step is refused, malloc works as before.
func useLargeHeapPages() {
    #if os(Linux) && canImport(Glibc)
    // mallopt and its parameters (malloc.h, which Swift's Glibc module does not export).
    let (trimThreshold, topPad, mmapThreshold): (Int32, Int32, Int32) = (-1, -2, -3)
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
    let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
    let step: Int32 = 128 << 20
    // The heap's end now: what it grows by from here is marked.
    let before = sbrk(0)
    // Blocks up to 32 MB from the heap (glibc maps each block over 128 KiB on its own by
    // default), freed memory kept for reuse, and the heap grown `step` bytes at a time.
    guard mallopt(mmapThreshold, 32 << 20) == 1, mallopt(trimThreshold, 2 * step) == 1, mallopt(topPad, step) == 1 else { return }
    // The next block the heap cannot hold makes it grow by the block and `step` (malloc called
    // through its address: the optimiser may drop a malloc whose block is never used).
    guard let before, let mallocSymbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc") else { return }
    let heapMalloc = unsafeBitCast(mallocSymbol, to: (@convention(c) (Int) -> UnsafeMutableRawPointer?).self)
    guard let probe = heapMalloc(4 << 20) else { return }
    defer { free(probe) }
    guard let after = sbrk(0) else { return }
    let huge = UInt(2 << 20)
    let start = (UInt(bitPattern: before) + huge - 1) & ~(huge - 1), end = UInt(bitPattern: after) & ~(huge - 1)
    if end > start, let p = UnsafeMutableRawPointer(bitPattern: start) {
        _ = madvise(p, Int(end - start), MADV_HUGEPAGE)
    }
    #endif
}
