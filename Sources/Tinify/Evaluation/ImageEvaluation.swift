// Tinify: one image through one model as CompressAI's eval_model measures it (`inference`): the
// image padded to a multiple of 64 (centred, zeros), `compress` timed, `decompress` timed, the
// reconstruction cropped; bpp from the strings' lengths over the original pixels; PSNR and
// MS-SSIM on 0…255 levels. With entropy estimation (`inference_entropy_estimation`) the forward
// pass instead: bpp from the likelihoods, each time half the forward time.
import Dispatch
import TinifyCore
import TinifyRuntime

/// eval_model's figures for one image and one checkpoint.
public struct ImageFigures: Sendable, Equatable {
    /// `psnr-rgb` in dB.
    public var psnr: Double
    /// `ms-ssim-rgb`.
    public var msssim: Double
    /// Bits per pixel: the strings' bytes × 8 (or the estimated bits) over the original pixels.
    public var bpp: Double
    /// Seconds in `compress` (half the forward time with entropy estimation).
    public var encodingTime: Double
    /// Seconds in `decompress` (half the forward time with entropy estimation).
    public var decodingTime: Double

    /// Figures from their values.
    public init(psnr: Double, msssim: Double, bpp: Double, encodingTime: Double, decodingTime: Double) {
        self.psnr = psnr; self.msssim = msssim; self.bpp = bpp
        self.encodingTime = encodingTime; self.decodingTime = decodingTime
    }

    /// The figures in eval_model's order, keyed as its documents key them.
    public var named: [(metric: String, value: Double)] {
        [("psnr-rgb", psnr), ("ms-ssim-rgb", msssim), ("bpp", bpp), ("encoding_time", encodingTime), ("decoding_time", decodingTime)]
    }

    /// Figures from eval_model-keyed values (nil when one is missing).
    public init?(named values: [String: Double]) {
        guard let p = values["psnr-rgb"], let m = values["ms-ssim-rgb"], let b = values["bpp"],
              let e = values["encoding_time"], let d = values["decoding_time"] else { return nil }
        self.init(psnr: p, msssim: m, bpp: b, encodingTime: e, decodingTime: d)
    }
}

/// Measuring one image with one model.
public enum ImageEvaluation {
    /// How the rate is found.
    public enum Mode: Sendable {
        /// Real entropy coding: compress, then decompress (eval_model's default, "ans").
        case coding
        /// The forward pass's likelihoods (`--entropy-estimation`).
        case entropyEstimation

        /// The description eval_model gives a result document: `Inference (ans)` or
        /// `Inference (entropy estimation)`.
        public var documentDescription: String { self == .coding ? "Inference (ans)" : "Inference (entropy estimation)" }
        /// The word eval_model puts in per-image file names: `ans` or `entropy-estimation`.
        public var perImageWord: String { self == .coding ? "ans" : "entropy-estimation" }
    }

    /// Measures `image` (1×3×H×W in [0, 1]) with `model`: the figures and the cropped
    /// reconstruction. `bitExact` runs the synthesis transform on the deterministic kernels.
    public static func run(_ model: ZooModel, image x: ImageTensor, mode: Mode, bitExact: Bool = false) throws
        -> (figures: ImageFigures, reconstruction: ImageTensor)
    {
        let pixels = Double(Swift.max(x.height * x.width, 1))
        let reconstruction: ImageTensor
        let bpp: Double, encoding: Double, decoding: Double
        switch mode {
        case .coding:
            let padding = Padding(height: x.height, width: x.width, multiple: ImageCodec.padMultiple)
            let padded = padding.pad(x)
            let t0 = DispatchTime.now().uptimeNanoseconds
            let latents = try model.compress(padded)
            let t1 = DispatchTime.now().uptimeNanoseconds
            let decoded = try model.decompress(latents, bitExact: bitExact)
            let t2 = DispatchTime.now().uptimeNanoseconds
            reconstruction = padding.crop(decoded)
            let bytes = latents.strings.reduce(0) { $0 + ($1.first?.count ?? 0) }
            bpp = Double(bytes) * 8 / pixels
            encoding = Double(t1 - t0) / 1e9
            decoding = Double(t2 - t1) / 1e9
        case .entropyEstimation:
            let t0 = DispatchTime.now().uptimeNanoseconds
            let result = try model(x.padded(toMultipleOf: model.downsamplingFactor))
            let t1 = DispatchTime.now().uptimeNanoseconds
            reconstruction = result.xHat.cropped(toHeight: x.height, width: x.width)
            bpp = result.bits / pixels
            encoding = Double(t1 - t0) / 1e9 / 2
            decoding = encoding
        }
        let a = ImageQuality.levels(x), b = ImageQuality.levels(reconstruction)
        let psnr = try ImageQuality.psnr(levels: a, b, shapes: x.shape, reconstruction.shape)
        let msssim = try ImageQuality.msssim(levels: a, b, shape: x.shape, reconstruction.shape)
        return (ImageFigures(psnr: psnr, msssim: msssim, bpp: bpp, encodingTime: encoding, decodingTime: decoding), reconstruction)
    }
}
