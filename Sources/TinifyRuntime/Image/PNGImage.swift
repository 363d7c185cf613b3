// TinifyRuntime: images as tensors: reading goes through ImageFile (every PNG colour type and bit
// depth, and JPEG, with PIL's pixels); 8-bit RGB PNG output through libpng's simplified API
// (png_image_write_to_memory), which reports errors in a message instead of longjmp-ing through
// Swift frames, or uncompressed (StoredPNG).
import CPNG
import TinifyCore

/// An 8-bit RGB image as a 1×3×H×W float tensor in [0, 1] (value / 255), as torchvision's
/// `ToTensor` gives it.
package enum PNGImage {
    /// The largest image read, in pixels (8192×8192; `ImageFile.maxPixels`).
    package static let maxPixels = ImageFile.maxPixels

    /// Reads a PNG or JPEG image (chosen by its signature) as PIL's `convert("RGB")` sees it:
    /// see `ImageFile.read`. Unreadable, corrupt and unsupported files throw `RuntimeError.image`.
    /// `sizeCheck`, when given, gets the width and height from the header before any pixel is
    /// decoded or allocated (to refuse an image over a memory budget whatever the file's length).
    package static func read(_ path: String, sizeCheck: ((_ width: Int, _ height: Int) throws -> Void)? = nil) throws -> FloatTensor {
        try ImageFile.read(path, sizeCheck: sizeCheck)
    }

    /// How float samples in [0, 1] become 8-bit levels.
    package enum Levels: Sendable {
        /// The nearest level, round(v · 255).
        case nearest
        /// torchvision's `ToPILImage`: v · 255 truncated (what CompressAI's codec.py writes).
        case truncated
    }

    /// Writes the first image of an N×3×H×W tensor as an 8-bit RGB PNG, clamping to [0, 1]; the
    /// file is written whole to a temporary beside `path` and renamed into place.
    /// `stored` writes it uncompressed (StoredPNG): the bytes then depend on the pixels alone,
    /// not on the zlib or libpng version, at the cost of a larger file.
    package static func write(_ x: FloatTensor, to path: String, levels: Levels = .nearest, stored: Bool = false) throws {
        let bytes = try stored ? encodeStored(x, levels: levels, path: path) : encode(x, levels: levels, path: path)
        do {
            try AtomicFile.write(to: path) { out in try out.write(bytes) }
        } catch let e as FileError {
            throw RuntimeError.image(path: path, reason: e.description)
        }
    }

    /// The PNG file bytes of the first image of an N×3×H×W tensor (`path` names errors).
    package static func encode(_ x: FloatTensor, levels: Levels = .nearest, path: String = "image") throws -> [UInt8] {
        try SystemLibraries.loadPNG()
        guard x.shape.count == 4, x.c == 3, x.h > 0, x.w > 0 else {
            throw RuntimeError.image(path: path, reason: "expected an N×3×H×W tensor, got \(x.shape)")
        }
        let width = x.w, height = x.h
        let pixels = rgbBytes(x, levels: levels)
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        image.width = png_uint_32(width)
        image.height = png_uint_32(height)
        image.format = png_uint_32(PNG_FORMAT_FLAG_COLOR)
        // Speed over size (libpng's fast filter and zlib settings): the decoder's output is
        // written once, and a fresh process should not spend longer on it than on the decoding.
        image.flags = png_uint_32(PNG_IMAGE_FLAG_FAST)
        defer { png_image_free(&image) }
        // Encoded once into a buffer that holds any deflate output of the rows (stored blocks
        // cost 5 bytes per 16 KiB, IDAT chunks 12 per 8 KiB, headers under 1 KiB); should libpng
        // still ask for more, it says how much and the encoding runs again.
        let raw = height * (width * 3 + 1)
        var size = png_alloc_size_t(raw + raw / 8 + 4096)
        var out = [UInt8](repeating: 0, count: Int(size))
        var ok = out.withUnsafeMutableBytes { o in
            pixels.withUnsafeBytes { png_image_write_to_memory(&image, o.baseAddress, &size, 0, $0.baseAddress, 0, nil) }
        }
        if ok == 0, Int(size) > out.count {
            image.warning_or_error = 0
            out = [UInt8](repeating: 0, count: Int(size))
            ok = out.withUnsafeMutableBytes { o in
                pixels.withUnsafeBytes { png_image_write_to_memory(&image, o.baseAddress, &size, 0, $0.baseAddress, 0, nil) }
            }
        }
        guard ok != 0 else { throw RuntimeError.image(path: path, reason: "cannot encode png: \(message(image))") }
        return Array(out.prefix(Int(size)))
    }

    /// The PNG file bytes of the first image of an N×3×H×W tensor, uncompressed (see StoredPNG).
    package static func encodeStored(_ x: FloatTensor, levels: Levels = .nearest, path: String = "image") throws -> [UInt8] {
        guard x.shape.count == 4, x.c == 3, x.h > 0, x.w > 0, x.w <= Int(Int32.max) / 3, x.h <= Int(Int32.max) else {
            throw RuntimeError.image(path: path, reason: "expected an N×3×H×W tensor of a PNG's size, got \(x.shape)")
        }
        let pixels = rgbBytes(x, levels: levels)
        return pixels.withUnsafeBufferPointer { StoredPNG.encode(rgb: $0, width: x.w, height: x.h) }
    }

    /// The first image's interleaved RGB bytes, clamped to [0, 1] and scaled to 0…255 by `levels`.
    private static func rgbBytes(_ x: FloatTensor, levels: Levels) -> [UInt8] {
        let plane = x.w * x.h
        var pixels = [UInt8](repeating: 0, count: plane * 3)
        let nearest = levels == .nearest
        x.withUnsafeBufferPointer { src in
            pixels.withUnsafeMutableBufferPointer { dst in
                for c in 0..<3 {
                    let channel = src.baseAddress! + c * plane
                    for i in 0..<plane {
                        dst[i * 3 + c] = level(channel[i], nearest: nearest)
                    }
                }
            }
        }
        return pixels
    }

    /// The 8-bit level of `v` clamped to [0, 1] (NaN as 0): rounded, or truncated as
    /// torchvision's `ToPILImage` does.
    @inline(__always)
    package static func level(_ v: Float, nearest: Bool) -> UInt8 {
        let clamped = v.isNaN ? 0 : Swift.min(Swift.max(v, 0), 1)
        return nearest ? UInt8((clamped * 255).rounded()) : UInt8(clamped * 255)
    }

    /// The reason libpng's simplified API left in `image`.
    static func message(_ image: png_image) -> String {
        var m = image.message
        let text = withUnsafeBytes(of: &m) { raw -> String in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
        return text.isEmpty ? "unknown libpng error" : text
    }
}
