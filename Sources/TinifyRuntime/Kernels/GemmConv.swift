// TinifyRuntime: the one convolution engine every layer uses — gather (im2col) a tile of the
// input, then one single-threaded `cblas_sgemm` per tile, tiles spread over the cores.
//
// An output grid position (oy, ox) reads input (oy·step + dy_t, ox·step + dx_t) for each tap t;
// the gathered matrix has rows `ci·T + t`, which is PyTorch's (out, in, kh, kw) weight layout, so a
// Conv2d weight is the GEMM's A matrix as stored. Transposed convolutions run as `stride²`
// such grids (one per output phase), each a small correlation (see ConvTranspose2d).
import CBLAS
import CVectorKernels

/// One GEMM-shaped correlation: `out[m, g] = Σ_k A[m, k] · gather(x)[k, g]`.
struct GemmConvKernel: @unchecked Sendable {
    /// The A matrix, `m × k` row-major.
    let a: WeightBuffer
    /// Output channels.
    let m: Int
    /// Input channels.
    let inC: Int
    /// Input offsets of each tap.
    let dy: [Int], dx: [Int]
    /// Input step per output position.
    let step: Int

    /// The reduction length `inC · taps`.
    var k: Int { inC * dy.count }
    /// Whether this is a plain 1×1, stride-1 product (no gather needed).
    var isPointwise: Bool { dy.count == 1 && dy[0] == 0 && dx[0] == 0 && step == 1 }

    /// Grids of at most this many positions split their output channels among the workers
    /// instead of their rows.
    static let channelSplitColumns = 1024

    /// Output rows per tile so a gathered tile stays near `budget` bytes, the tile's product
    /// (`m` rows of its columns) near `productBudget` bytes, and there is work for every core.
    /// The product's bound matters where the reduction is short (g_a's first convolution: 3
    /// channels, k = 75), where the product is mostly stores: within the core's cache, it and the
    /// bias pass after it took ~20 % less time than in 2.6 MB tiles.
    func rowsPerTile(gridH: Int, gridW: Int, budget: Int = 3 << 20, productBudget: Int = 1 << 20) -> Int {
        let perRow = max(1, k * gridW * 4)
        var rows = max(1, min(budget / perRow, productBudget / max(1, m * gridW * 4)))
        let minTiles = Parallel.workers * 2
        if gridH >= minTiles { rows = min(rows, (gridH + minTiles - 1) / minTiles) }
        return max(1, min(rows, gridH))
    }

    /// Gathers rows `r0..<r1` of the grid into `b` (`k` rows of `(r1-r0)·gridW` columns, `ld`
    /// floats apart; by default packed).
    func gather(_ x: UnsafePointer<Float>, h: Int, w: Int, gridW: Int, r0: Int, r1: Int, into b: UnsafeMutablePointer<Float>,
                ld: Int? = nil) {
        let cols = ld ?? (r1 - r0) * gridW
        let taps = dy.count
        for ci in 0..<inC {
            let plane = x + ci * h * w
            for t in 0..<taps {
                let row = b + (ci * taps + t) * cols
                let ddx = dx[t], ddy = dy[t]
                // ox range whose ix = ox·step + ddx lies in [0, w)
                var lo = 0
                if ddx < 0 { lo = (-ddx + step - 1) / step }
                var hi = gridW
                let lastOk = w - 1 - ddx
                if lastOk < 0 { hi = 0 } else { hi = min(gridW, lastOk / step + 1) }
                if hi < lo { hi = lo }
                for r in r0..<r1 {
                    let dst = row + (r - r0) * gridW
                    let iy = r * step + ddy
                    if iy < 0 || iy >= h || lo >= hi {
                        dst.update(repeating: 0, count: gridW)
                        continue
                    }
                    if lo > 0 { dst.update(repeating: 0, count: lo) }
                    let src = plane + iy * w + ddx
                    if step == 1 {
                        (dst + lo).update(from: src + lo, count: hi - lo)
                    } else if step == 2 {
                        // src[2·ox] for ox in lo..<hi; the row holds w − ddx elements from src.
                        if tinify_gather_even(src + 2 * lo, w - ddx - 2 * lo, dst + lo, hi - lo) == 0 {
                            var ox = lo
                            while ox < hi { dst[ox] = src[ox &* 2]; ox &+= 1 }
                        }
                    } else {
                        var ox = lo
                        while ox < hi { dst[ox] = src[ox &* step]; ox &+= 1 }
                    }
                    if hi < gridW { (dst + hi).update(repeating: 0, count: gridW - hi) }
                }
            }
        }
    }

    /// `C (m × n, ldc) = A · B (k × n, ldb)`, by sgemm or, `.deterministic`, in the fixed order of
    /// `DeterministicGemm`; with `rows`, only those rows of A and C (C still starts at row 0).
    @inline(__always) func gemm(_ b: UnsafePointer<Float>, ldb: Int, n: Int, _ c: UnsafeMutablePointer<Float>, ldc: Int,
                                mode: KernelMode, rows: Range<Int>? = nil) {
        let r = rows ?? 0..<m
        if r.isEmpty { return }
        let c = c + r.lowerBound * ldc
        if case .deterministic = mode {
            a.withUnsafeBufferPointer { pa in
                DeterministicGemm.multiply(m: r.count, n: n, k: k, a: pa.baseAddress! + r.lowerBound * k, lda: k, b: b, ldb: ldb,
                                           c: c, ldc: ldc)
            }
            return
        }
        a.withUnsafeBufferPointer { pa in
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(r.count), Int32(n), Int32(k),
                        1, pa.baseAddress.map { $0 + r.lowerBound * k }, Int32(k), b, Int32(ldb), 0, c, Int32(ldc))
        }
    }

    /// Runs over the whole grid of one image, writing `m × gridH × gridW` at `out` (contiguous),
    /// adding `bias` and applying `act`. Every output element is one whole product (the tiling
    /// splits outputs, never a sum), then `+ bias`, then `act`.
    func run(_ x: UnsafePointer<Float>, h: Int, w: Int, gridH: Int, gridW: Int,
             out: UnsafeMutablePointer<Float>, bias: [Float]?, act: Activation, mode: KernelMode = .fast) {
        let plane = gridH * gridW
        if plane == 0 || m == 0 { return }
        if k == 0 {
            for o in 0..<m { (out + o * plane).update(repeating: 0, count: plane); act.apply(out + o * plane, count: plane, bias: bias?[o] ?? 0) }
            return
        }
        if isPointwise {
            // Tiles of columns straight from the input.
            let target = max(256, min(plane, (2 << 20) / max(1, k * 4)))
            let tiles = max((plane + target - 1) / target, min(Parallel.workers * 2, max(1, plane / 256)))
            let step = (plane + tiles - 1) / tiles
            Parallel.forEach(tiles) { t in
                let lo = t * step, hi = min(plane, lo + step)
                if lo >= hi { return }
                gemm(x + lo, ldb: h * w, n: hi - lo, out + lo, ldc: plane, mode: mode)
                for o in 0..<m { act.apply(out + o * plane + lo, count: hi - lo, bias: bias?[o] ?? 0) }
            }
            return
        }
        let workers = Parallel.workers
        if workers > 1, plane <= GemmConvKernel.channelSplitColumns, m >= 16, k <= (4 << 20) / plane {
            // A small grid: the whole of it gathered once (its rows shared out), then each worker
            // takes a share of the output channels. Row tiles would each pack the whole weight
            // matrix, which for a few hundred columns costs as much as their product.
            let parts = min(workers, m / 8)
            let share = (m + parts - 1) / parts
            withScratch(k * plane) { b in
                let bands = min(workers, gridH)
                Parallel.forEach(bands) { p in
                    let r0 = p * gridH / bands, r1 = (p + 1) * gridH / bands
                    if r0 < r1 { gather(x, h: h, w: w, gridW: gridW, r0: r0, r1: r1, into: b + r0 * gridW, ld: plane) }
                }
                Parallel.forEach(parts) { p in
                    let rows = min(m, p * share)..<min(m, (p + 1) * share)
                    gemm(b, ldb: plane, n: plane, out, ldc: plane, mode: mode, rows: rows)
                    for o in rows { act.apply(out + o * plane, count: plane, bias: bias?[o] ?? 0) }
                }
            }
            return
        }
        // Row tiles in whole rounds of the workers, the rows shared out evenly among them.
        let rows = rowsPerTile(gridH: gridH, gridW: gridW)
        var tiles = (gridH + rows - 1) / rows
        if tiles > 1 { tiles = min(gridH, (tiles + workers - 1) / workers * workers) }
        let tallest = (gridH + tiles - 1) / tiles
        Parallel.forEach(tiles, scratch: k * tallest * gridW) { t, b in
            let r0 = t * gridH / tiles, r1 = (t + 1) * gridH / tiles
            if r0 >= r1 { return }
            let n = (r1 - r0) * gridW
            gather(x, h: h, w: w, gridW: gridW, r0: r0, r1: r1, into: b)
            gemm(b, ldb: n, n: n, out + r0 * gridW, ldc: plane, mode: mode)
            for o in 0..<m { act.apply(out + o * plane + r0 * gridW, count: n, bias: bias?[o] ?? 0) }
        }
    }

    /// Computes grid rows `r0..<r1` into a fresh `m × (r1-r0)·gridW` scratch and hands it to `store`.
    func computeTile(_ x: UnsafePointer<Float>, h: Int, w: Int, gridW: Int, r0: Int, r1: Int, mode: KernelMode = .fast,
                     store: (UnsafePointer<Float>) -> Void) {
        let n = (r1 - r0) * gridW
        let c = UnsafeMutablePointer<Float>.allocate(capacity: max(1, m * n))
        defer { c.deallocate() }
        if k == 0 {
            c.update(repeating: 0, count: m * n)
        } else {
            let b = UnsafeMutablePointer<Float>.allocate(capacity: k * n)
            defer { b.deallocate() }
            gather(x, h: h, w: w, gridW: gridW, r0: r0, r1: r1, into: b)
            gemm(b, ldb: n, n: n, c, ldc: n, mode: mode)
        }
        store(c)
    }
}
