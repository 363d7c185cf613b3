// TinifyRuntime: reading an image file — PNG or JPEG, told apart by their first bytes, never by
// the name — as CompressAI's evaluation sees it: PIL's `Image.open(path).convert("RGB")`, then
// torchvision's `ToTensor` (value / 255). The decoding itself is C (CLazyLibraries' decode_png.c
// and decode_jpeg.c), which says what PIL does with each PNG colour type, bit depth and chunk,
// and with each kind of JPEG.
import CLazyLibraries
import TinifyCore

/// Image files read as 1×3×H×W tensors in [0, 1].
package enum ImageFile {
    /// The formats read, each known by its signature.
    package enum Format: String, Sendable {
        /// PNG: `89 50 4E 47 0D 0A 1A 0A`.
        case png
        /// JPEG: `FF D8 FF` (SOI, then the next marker).
        case jpeg
    }

    /// The largest image read, in pixels (8192×8192): the header's size decides the memory taken,
    /// whatever the file's length, and the models need far more per pixel than the image does.
    package static let maxPixels = 1 << 26
    /// The largest width or height read.
    package static let maxSide = 1 << 16
    /// The most scans a JPEG may have: a real progressive JPEG has about ten, and each scan is
    /// another pass over the whole image (the "scan bomb").
    package static let maxJPEGScans = 100

    /// The format whose signature `bytes` start with, or nil for neither.
    package static func format(of bytes: UnsafeRawBufferPointer) -> Format? {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        return nil
    }

    /// Reads the PNG (any colour type, bit depth or interlacing) or JPEG (8-bit greyscale or
    /// colour, baseline or progressive) at `path` as a 1×3×H×W tensor of value / 255, with the
    /// 8-bit values PIL's `convert("RGB")` gives. `sizeCheck`, when given, gets the width and
    /// height from the header before any pixel is decoded or allocated (to refuse an image over
    /// a memory budget whatever the file's length).
    /// - Throws: `RuntimeError.image` for a file that is neither format, unreadable, corrupt,
    ///   truncated, over `maxPixels`/`maxSide`, or unsupported (CMYK JPEGs, more than
    ///   `maxJPEGScans` scans); whatever `sizeCheck` throws; `RuntimeError.libraryUnavailable`
    ///   when libpng or libjpeg cannot be loaded.
    package static func read(_ path: String, sizeCheck: ((_ width: Int, _ height: Int) throws -> Void)? = nil) throws -> FloatTensor {
        let file: MappedFile
        do {
            file = try MappedFile(path: path)
        } catch let e as FileError {
            throw RuntimeError.image(path: path, reason: "cannot read png or jpeg: \(e.description)")
        }
        return try withExtendedLifetime(file) {
            let bytes = UnsafeRawBufferPointer(start: file.pointer, count: file.count)
            guard let format = format(of: bytes) else {
                let start = bytes.prefix(8).map { String($0, radix: 16) }.joined(separator: " ")
                throw RuntimeError.image(path: path, reason: "cannot read png or jpeg: the file starts with neither signature"
                                         + (bytes.isEmpty ? " (it is empty)" : " (its first bytes: \(start))"))
            }
            return try ImageDecoder.decode(bytes, format: format, path: path, sizeCheck: sizeCheck) { rgb, width, height in
                tensor(rgb: rgb, width: width, height: height)
            }
        }
    }

    /// value / 255 for every 8-bit value, as `Float(v) / 255` computes it.
    private static let levels: [Float] = (0..<256).map { Float($0) / 255 }

    /// The 1×3×H×W planes of interleaved RGB bytes, each value / 255.
    private static func tensor(rgb: UnsafeBufferPointer<UInt8>, width: Int, height: Int) -> FloatTensor {
        let plane = width * height
        return levels.withUnsafeBufferPointer { level in
            FloatTensor(shape: [1, 3, height, width]) { out in
                for i in 0..<plane {
                    let px = 3 * i
                    out[i] = level[Int(rgb[px])]
                    out[plane + i] = level[Int(rgb[px + 1])]
                    out[2 * plane + i] = level[Int(rgb[px + 2])]
                }
            }
        }
    }
}
