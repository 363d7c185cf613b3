// Tinify: `tinify compress` / `tinify decompress` — real entropy coding of images with a
// checkpoint's model, as CompressAI's `examples/codec.py` does it: the image is padded (centred,
// zeros) to a multiple of 64, compressed to rANS strings, and stored with its original size;
// decoding runs the model's decompress, crops the padding and writes an 8-bit PNG with
// torchvision's `ToPILImage` levels (v · 255 truncated).
import Dispatch
import TinifyCore
import TinifyRuntime

/// Compresses PNG images to codec.py files and back.
public enum ImageCodec {
    /// codec.py pads every model's input to this multiple ("maximum 6 strides of 2").
    public static let padMultiple = 64
    /// The largest compressed file `decompress` reads.
    public static let maxFileBytes = 1 << 28

    /// What `compress` made: the codec.py file, its bytes and the time taken.
    public struct Compressed: Sendable {
        /// The codec.py file: header and strings.
        public let file: CompressedImageFile
        /// The file's bytes, as written to disk.
        public let bytes: [UInt8]
        /// Bits per pixel of the whole file (header included), as codec.py reports it.
        public var bitsPerPixel: Double { Double(bytes.count * 8) / Double(file.height * file.width) }
        /// Seconds spent in the model and the coder.
        public let seconds: Double
    }

    /// Compresses the PNG at `image` with `model`; an image whose estimated memory need is over
    /// `budget` is refused from its header (`MemoryBudgetError`).
    package static func compress(_ model: any CompressionRuntimeModel, image: String, metric: Int = 0, quality: Int = 1,
                                budget: MemoryBudget = ImageMemory.defaultBudget()) throws -> Compressed {
        try compress(model, pixels: try read(image, for: model, budget: budget), metric: metric, quality: quality)
    }

    /// Reads the PNG or JPEG at `image` (as PIL's `convert("RGB")` does: `ImageFile.read`) for
    /// `model`, refusing from its header an image whose estimated memory need with `model` is
    /// over `budget` (`MemoryBudgetError`).
    package static func read(_ image: String, for model: any CompressionRuntimeModel,
                            budget: MemoryBudget = ImageMemory.defaultBudget()) throws -> FloatTensor {
        try ImageFile.read(image) { w, h in try model.checkMemory(height: h, width: w, budget: budget) }
    }

    /// Compresses an image already read (1×3×H×W in [0, 1]) with `model`: errors here come from
    /// the model (its weights), not from the image file.
    /// A VBR model codes at rate level quality − 1 (gain `Gain[quality − 1]`).
    package static func compress(_ model: any CompressionRuntimeModel, pixels x: FloatTensor, metric: Int = 0,
                                quality: Int = 1) throws -> Compressed {
        let model = try model.atRateLevel(quality - 1)
        let start = DispatchTime.now().uptimeNanoseconds
        let padding = Padding(height: x.h, width: x.w, multiple: padMultiple)
        let latents = try model.compress(padding.pad(x))
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let file = CompressedImageFile(architecture: model.architecture, metric: metric, quality: quality,
                                       height: x.h, width: x.w, bitDepth: 8, latents: latents)
        return Compressed(file: file, bytes: try file.encoded(), seconds: seconds)
    }

    /// Decodes `file` with `model` (which must be the architecture the file names) to the
    /// cropped reconstruction, a 1×3×H×W tensor in [0, 1]. A file declaring an image whose
    /// estimated memory need is over `budget` is refused before decoding (`MemoryBudgetError`).
    /// `bitExact` runs the synthesis transform on the deterministic kernels, so that the pixels
    /// are the same bits on every machine (the decoding itself always is).
    package static func decompress(_ model: any CompressionRuntimeModel, file: CompressedImageFile,
                                  budget: MemoryBudget = ImageMemory.defaultBudget(), bitExact: Bool = false) throws -> FloatTensor {
        try decompressWithLatent(model, file: file, budget: budget, bitExact: bitExact).image
    }

    /// `decompress`, also giving ŷ, the decoded latent (the same bits on every machine).
    /// A VBR model decodes at the rate level the file's quality records (quality − 1).
    package static func decompressWithLatent(_ model: any CompressionRuntimeModel, file: CompressedImageFile,
                                            budget: MemoryBudget = ImageMemory.defaultBudget(),
                                            bitExact: Bool = false) throws -> (image: FloatTensor, latent: FloatTensor) {
        guard file.architecture == model.architecture else {
            throw CodingError.badContainer("written by a \(file.architecture) model, but the checkpoint is \(model.architecture)")
        }
        let model = try model.atRateLevel(file.quality - 1)
        try model.checkMemory(height: file.height, width: file.width, budget: budget)
        let padding = Padding(height: file.height, width: file.width, multiple: padMultiple)
        let (ph, pw) = (file.height + padding.top + padding.bottom, file.width + padding.left + padding.right)
        let factor = model.downsamplingFactor  // the first-decoded latent: y (factorized, 16) or z (64)
        guard file.latents.shape == [ph / factor, pw / factor] else {
            throw CodingError.badContainer("latent shape \(file.latents.shape) does not fit a \(file.height)×\(file.width) image (expected \([ph / factor, pw / factor]))")
        }
        let yHat = try model.decodeLatent(file.latents)
        return (padding.crop(try model.synthesize(yHat, bitExact: bitExact)), yHat)
    }

    // MARK: The public API, over the model classes

    /// Reads the PNG at `image` for `model`, refusing from its header an image whose estimated
    /// memory need with `model` is over `budget` (`MemoryBudgetError`).
    public static func read(_ image: String, for model: ZooModel, budget: MemoryBudget = ZooModel.defaultMemoryBudget) throws -> ImageTensor {
        try read(image, for: try model.runtime, budget: budget)
    }

    /// Compresses an image (1×3×H×W in [0, 1], any size: it is padded to a multiple of 64,
    /// centred, as codec.py does) into a codec.py file with `model`.
    public static func compress(_ model: ZooModel, pixels x: ImageTensor, metric: Int = 0, quality: Int = 1) throws -> Compressed {
        try compress(try model.runtime, pixels: x, metric: metric, quality: quality)
    }

    /// Decodes a codec.py file with `model` to the cropped reconstruction (see
    /// `decompressWithLatent`).
    public static func decompress(_ model: ZooModel, file: CompressedImageFile, budget: MemoryBudget = ZooModel.defaultMemoryBudget,
                                  bitExact: Bool = false) throws -> ImageTensor {
        try decompress(try model.runtime, file: file, budget: budget, bitExact: bitExact)
    }

    /// Decodes a codec.py file with `model` (which must be the architecture the file names),
    /// giving the cropped reconstruction and ŷ, the decoded latent (the same bits on every
    /// machine). A file declaring an image whose estimated memory need is over `budget` is
    /// refused before decoding.
    public static func decompressWithLatent(_ model: ZooModel, file: CompressedImageFile, budget: MemoryBudget = ZooModel.defaultMemoryBudget,
                                            bitExact: Bool = false) throws -> (image: ImageTensor, latent: FloatTensor) {
        try decompressWithLatent(try model.runtime, file: file, budget: budget, bitExact: bitExact)
    }
}
