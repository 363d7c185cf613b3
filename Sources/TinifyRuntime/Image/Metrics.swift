// TinifyRuntime: the rate and distortion figures of CompressAI's evaluation: estimated bits per
// pixel from the likelihoods, and the PSNR of x̂ clamped to [0, 1] against the input.
import TinifyCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Rate/distortion measures.
package enum Metrics {
    /// Σ −log2(likelihood) over every likelihood tensor, divided by `pixels` (of the original,
    /// unpadded image).
    package static func estimatedBPP(_ result: ForwardResult, pixels: Int) -> Double {
        result.bits / Double(max(pixels, 1))
    }

    /// −10·log10(mean((x − clamp(x̂, 0, 1))²)) for signals in [0, 1]; +∞ when identical.
    package static func psnr(_ x: FloatTensor, _ xHat: FloatTensor) throws -> Double {
        guard x.shape == xHat.shape else { throw RuntimeError.badInput("psnr of \(x.shape) and \(xHat.shape)") }
        var sum = 0.0
        for i in 0..<x.count {
            let r = Double(Swift.min(Swift.max(xHat[i], 0), 1))
            let d = Double(x[i]) - r
            sum += d * d
        }
        let mse = sum / Double(max(x.count, 1))
        return -10 * CLibrary.log10(mse)
    }
}
