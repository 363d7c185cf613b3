// TinifyRuntime: the memory a model needs to run on an image, estimated before anything is
// allocated, and the default budget (Ballé 2018, Minnen 2018 and Cheng 2020 models alike: the
// widest activations are N channels at half resolution, plus the im2col / Winograd buffers).
import TinifyCore

/// Estimates of the memory a forward, compress or decompress pass takes.
package enum ImageMemory {
    /// Bytes per padded pixel per transform channel N. Measured: cheng2020-attn (N=192) on a
    /// 768×512 image peaks at about 7.4 bytes per pixel per channel above its weights, the
    /// factorized model (N=128) at about 5.8; 10 leaves a margin.
    package static let bytesPerPixelPerChannel = 10
    /// Weights, tables and the buffer pool.
    package static let baseBytes = 512 << 20

    /// The estimated peak for a model with `n`, `m` on an image of `height` × `width` padded to
    /// a multiple of `factor`; Int.max when it overflows.
    package static func estimate(n: Int, m: Int, factor: Int, height: Int, width: Int) -> Int {
        let f = max(factor, 1)
        guard let h = Checked.mul((height + f - 1) / f, f), let w = Checked.mul((width + f - 1) / f, f),
              let pixels = Checked.mul(h, w), let perPixel = Checked.mul(max(n, m / 2, 1), bytesPerPixelPerChannel),
              let body = Checked.mul(pixels, perPixel), let total = Checked.add(body, baseBytes) else { return Int.max }
        return total
    }

    /// The default budget: enough for a 2048×2048 image with every zoo model at its largest
    /// quality (N=192, M=320), or what this process may use, whichever is less.
    package static func defaultBudget() -> MemoryBudget {
        MemoryBudget(bytes: min(estimate(n: 192, m: 320, factor: 64, height: 2048, width: 2048), MemoryBudget.processLimit()))
    }
}

extension CompressionRuntimeModel {
    /// Throws `MemoryBudgetError` when running this model on a `height` × `width` image would
    /// need more than `budget`.
    package func checkMemory(height: Int, width: Int, budget: MemoryBudget) throws {
        let need = ImageMemory.estimate(n: n, m: m, factor: downsamplingFactor, height: height, width: width)
        try budget.check(need, for: "a \(width)×\(height) image with \(architecture) (N=\(n), M=\(m))")
    }
}
