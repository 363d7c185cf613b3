// Tinify: the distortion figures of CompressAI's eval_model (`compute_metrics`): both images are
// scaled to 0…255, clamped and rounded (half to even, in float32 as torch does), then
// `psnr-rgb` = 20·log10(255) − 10·log10(MSE) and `ms-ssim-rgb` = pytorch_msssim's `ms_ssim(…,
// data_range=255)`: an 11-tap Gaussian window (σ = 1.5) applied as two valid 1-D convolutions,
// K = (0.01, 0.03), five scales weighted (0.0448, 0.2856, 0.3001, 0.2363, 0.1333), 2×2 average
// pooling with one zero row/column of padding on each side of an odd dimension, ReLU on the
// contrast terms and the last SSIM, the mean over channels. Wang, Simoncelli and Bovik,
// "Multiscale structural similarity for image quality assessment" (2003).
import TinifyCore
import TinifyRuntime
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// PSNR and MS-SSIM on 8-bit levels, as CompressAI's eval_model reports them.
public enum ImageQuality {
    /// The MS-SSIM scale weights (pytorch_msssim's defaults).
    static let weights = [0.0448, 0.2856, 0.3001, 0.2363, 0.1333]
    /// The Gaussian window: 11 taps, σ = 1.5, summing to one.
    static let window: [Double] = {
        let g = (0..<11).map { i -> Double in let c = Double(i - 5); return exp(-(c * c) / (2 * 1.5 * 1.5)) }
        let sum = g.reduce(0, +)
        return g.map { $0 / sum }
    }()

    /// The 0…255 levels eval_model measures: `(v · 255).clamp(0, 255).round()` in float32.
    static func levels(_ x: FloatTensor) -> [Double] {
        x.withUnsafeBufferPointer { p in
            p.map { v -> Double in
                let s = v.isNaN ? 0 : Swift.min(Swift.max(v * 255, 0), 255)
                return Double(s.rounded(.toNearestOrEven))
            }
        }
    }

    /// `psnr-rgb` of `reconstruction` against `original` (both 1×3×H×W in [0, 1]): +∞ when equal.
    public static func psnr(_ original: FloatTensor, _ reconstruction: FloatTensor) throws -> Double {
        try psnr(levels: levels(original), levels(reconstruction), shapes: original.shape, reconstruction.shape)
    }

    static func psnr(levels a: [Double], _ b: [Double], shapes sa: [Int], _ sb: [Int]) throws -> Double {
        guard sa == sb, !a.isEmpty else { throw EvaluationError.badRequest("psnr of images of shapes \(sa) and \(sb)") }
        var sum = 0.0
        for i in 0..<a.count { let d = a[i] - b[i]; sum += d * d }
        return 20 * log10(255.0) - 10 * log10(sum / Double(a.count))
    }

    /// `ms-ssim-rgb` of `reconstruction` against `original` (both 1×C×H×W in [0, 1]).
    /// pytorch_msssim asserts that the smaller side exceeds 160 pixels; smaller images are
    /// measured anyway, its filter skipping a dimension shorter than the window as it does.
    public static func msssim(_ original: FloatTensor, _ reconstruction: FloatTensor) throws -> Double {
        try msssim(levels: levels(original), levels(reconstruction), shape: original.shape, reconstruction.shape)
    }

    static func msssim(levels a: [Double], _ b: [Double], shape: [Int], _ other: [Int]) throws -> Double {
        guard shape == other, shape.count == 4, shape[0] == 1, shape[1] > 0, shape[2] > 0, shape[3] > 0 else {
            throw EvaluationError.badRequest("ms-ssim of images of shapes \(shape) and \(other)")
        }
        let channels = shape[1]
        var total = 0.0
        for c in 0..<channels {
            let plane = shape[2] * shape[3]
            var x = Plane(height: shape[2], width: shape[3], values: Array(a[(c * plane)..<((c + 1) * plane)]))
            var y = Plane(height: shape[2], width: shape[3], values: Array(b[(c * plane)..<((c + 1) * plane)]))
            var value = 1.0
            for level in 0..<weights.count {
                let (ssim, cs) = ssimAndContrast(x, y)
                if level < weights.count - 1 {
                    value *= pow(Swift.max(cs, 0), weights[level])
                    x = x.pooled(); y = y.pooled()
                } else {
                    value *= pow(Swift.max(ssim, 0), weights[level])
                }
            }
            total += value
        }
        return total / Double(channels)
    }

    /// One channel's mean SSIM and mean contrast–structure term (pytorch_msssim's `_ssim`).
    static func ssimAndContrast(_ x: Plane, _ y: Plane) -> (ssim: Double, cs: Double) {
        let c1 = (0.01 * 255) * (0.01 * 255), c2 = (0.03 * 255) * (0.03 * 255)
        let mu1 = x.filtered(), mu2 = y.filtered()
        let xx = x.product(x).filtered(), yy = y.product(y).filtered(), xy = x.product(y).filtered()
        var ssimSum = 0.0, csSum = 0.0
        for i in 0..<mu1.values.count {
            let m1 = mu1.values[i], m2 = mu2.values[i]
            let s1 = xx.values[i] - m1 * m1, s2 = yy.values[i] - m2 * m2, s12 = xy.values[i] - m1 * m2
            let cs = (2 * s12 + c2) / (s1 + s2 + c2)
            csSum += cs
            ssimSum += (2 * m1 * m2 + c1) / (m1 * m1 + m2 * m2 + c1) * cs
        }
        let n = Double(Swift.max(mu1.values.count, 1))
        return (ssimSum / n, csSum / n)
    }

    /// One channel of an image, row-major.
    struct Plane {
        var height: Int, width: Int, values: [Double]

        func product(_ other: Plane) -> Plane {
            Plane(height: height, width: width, values: zip(values, other.values).map { $0 * $1 })
        }

        /// The Gaussian window applied along the height, then the width, as valid convolutions;
        /// a dimension shorter than the window is left as it is.
        func filtered() -> Plane {
            let w = ImageQuality.window, k = w.count
            var out = self
            if height >= k {
                let oh = height - k + 1
                var v = [Double](repeating: 0, count: oh * width)
                values.withUnsafeBufferPointer { src in
                    v.withUnsafeMutableBufferPointer { dst in
                        for r in 0..<oh {
                            for t in 0..<k {
                                let weight = w[t], row = (r + t) * width
                                for col in 0..<width { dst[r * width + col] += weight * src[row + col] }
                            }
                        }
                    }
                }
                out = Plane(height: oh, width: width, values: v)
            }
            if out.width >= k {
                let ow = out.width - k + 1
                var v = [Double](repeating: 0, count: out.height * ow)
                out.values.withUnsafeBufferPointer { src in
                    v.withUnsafeMutableBufferPointer { dst in
                        for r in 0..<out.height {
                            let row = r * out.width
                            for col in 0..<ow {
                                var s = 0.0
                                for t in 0..<k { s += w[t] * src[row + col + t] }
                                dst[r * ow + col] = s
                            }
                        }
                    }
                }
                out = Plane(height: out.height, width: ow, values: v)
            }
            return out
        }

        /// `avg_pool2d(kernel_size=2, padding=(h % 2, w % 2))`: zero padding counted in the mean.
        func pooled() -> Plane {
            let ph = height % 2, pw = width % 2
            let oh = (height + 2 * ph - 2) / 2 + 1, ow = (width + 2 * pw - 2) / 2 + 1
            var v = [Double](repeating: 0, count: oh * ow)
            for r in 0..<oh {
                for c in 0..<ow {
                    var s = 0.0
                    for dy in 0..<2 {
                        let yy = 2 * r + dy - ph
                        guard yy >= 0, yy < height else { continue }
                        for dx in 0..<2 {
                            let xx = 2 * c + dx - pw
                            if xx >= 0, xx < width { s += values[yy * width + xx] }
                        }
                    }
                    v[r * ow + c] = s / 4
                }
            }
            return Plane(height: oh, width: ow, values: v)
        }
    }
}
