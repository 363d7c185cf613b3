// Tinify: images as tensors — an N×3×H×W float32 tensor in [0, 1], as torchvision's `ToTensor`
// gives it — with CompressAI's padding (compressai.ops.compute_padding: centred, zeros), its
// crop, 8-bit PNG files and the PSNR eval_model reports.
import TinifyCore
import TinifyRuntime
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An image as the models take it: an N×3×H×W float32 tensor in [0, 1].
public typealias ImageTensor = FloatTensor

extension FloatTensor {
    /// Reads a PNG (any colour type and bit depth) or JPEG image as PIL's `convert("RGB")` reads
    /// it, as a 1×3×H×W tensor of level / 255.
    public init(contentsOfFile path: String) throws {
        self = try PNGImage.read(path)
    }

    /// The height (dimension 2 of an NCHW tensor; 0 for a tensor of fewer dimensions).
    public var height: Int { shape.count == 4 ? shape[2] : 0 }
    /// The width (dimension 3 of an NCHW tensor; 0 for a tensor of fewer dimensions).
    public var width: Int { shape.count == 4 ? shape[3] : 0 }

    /// The image padded with zeros to sides that are multiples of `multiple`, centred (the
    /// extra pixel of an odd padding goes right and bottom), as CompressAI's `eval_model` and
    /// `codec.py` pad before coding. A tensor that is not NCHW, or a `multiple` below 1, is
    /// returned unchanged.
    public func padded(toMultipleOf multiple: Int) -> FloatTensor {
        guard shape.count == 4, multiple >= 1 else { return self }
        return Padding(height: height, width: width, multiple: multiple).pad(self)
    }

    /// The centred `height × width` crop: undoes `padded(toMultipleOf:)` for the original size.
    /// Sizes larger than the image's keep the image's.
    public func cropped(toHeight targetHeight: Int, width targetWidth: Int) -> FloatTensor {
        guard shape.count == 4 else { return self }
        let (th, tw) = (Swift.max(0, Swift.min(targetHeight, height)), Swift.max(0, Swift.min(targetWidth, width)))
        return cropped(top: (height - th) / 2, left: (width - tw) / 2, height: th, width: tw)
    }

    /// The PSNR in dB of this reconstruction against `reference`, on the 8-bit levels the PNG
    /// files hold: this image as `tinify decompress` and CompressAI's `codec.py` write it (clamped
    /// to [0, 1], v · 255 truncated, torchvision's `ToPILImage`), the reference rounded to the
    /// nearest level (exact for an image read from a PNG). +∞ when they are equal, NaN when the
    /// shapes differ.
    public func psnr(to reference: FloatTensor) -> Double {
        guard shape == reference.shape else { return .nan }
        var sum = 0.0
        withUnsafeBufferPointer { a in
            reference.withUnsafeBufferPointer { b in
                for i in 0..<a.count {
                    let d = Double(PNGImage.level(a[i], nearest: false)) - Double(PNGImage.level(b[i], nearest: true))
                    sum += d * d
                }
            }
        }
        let mse = sum / Double(Swift.max(count, 1))
        return 10 * log10(255 * 255 / mse)
    }

    /// Writes the first image as an 8-bit RGB PNG, atomically: by default with `ToPILImage`'s
    /// levels (v · 255 truncated, as `tinify decompress` and codec.py write), or rounded to the
    /// nearest level. `uncompressed` stores the pixel rows without deflate, so the file's bytes
    /// depend on the pixels alone (not on the zlib or libpng version).
    public func write(toFile path: String, rounding: PixelRounding = .truncate, uncompressed: Bool = false) throws {
        try PNGImage.write(self, to: path, levels: rounding == .truncate ? .truncated : .nearest, stored: uncompressed)
    }

    /// The PSNR in dB of this reconstruction, clamped to [0, 1], against `reference`, on the
    /// float values (what CompressAI's `eval_model` reports in entropy-estimation mode). NaN
    /// when the shapes differ.
    public func floatPSNR(to reference: FloatTensor) -> Double {
        (try? Metrics.psnr(reference, self)) ?? .nan
    }

    /// The SHA-256 of the elements' float32 bits in C order, as lowercase hex: two tensors with
    /// the same digest are the same bits (`tinify decompress --latent-digest` prints ŷ's).
    public func sha256() -> String {
        withUnsafeBufferPointer { SHA256Hasher.hex(of: UnsafeRawBufferPointer($0)) }
    }
}

/// How a float in [0, 1] becomes an 8-bit level.
public enum PixelRounding: Sendable {
    /// v · 255 truncated, as torchvision's `ToPILImage` (and so codec.py) does.
    case truncate
    /// The nearest level, round(v · 255).
    case nearest
}
