// TinifyRuntime: the bridge to the C decoders (clazy_decode_png / clazy_decode_jpeg in
// CLazyLibraries): loads the library, passes the size check in as a C callback, and turns each
// status into a `RuntimeError.image` naming the limit or the byte offset involved.
import CLazyLibraries
import TinifyCore

/// Decodes PNG and JPEG bytes to 8-bit RGB through CLazyLibraries.
enum ImageDecoder {
    /// The longest reason a decoder writes.
    private static let errorCapacity = 512

    /// Decodes `bytes` (a whole `format` file; `path` names it in errors) and hands the RGB bytes
    /// (rows top to bottom, 3 a pixel), the width and the height to `body`; the bytes are freed
    /// when `body` returns. `sizeCheck` runs on the header's size before any pixel is allocated.
    /// - Throws: `RuntimeError.image` when the file cannot be decoded, what `sizeCheck` throws,
    ///   `RuntimeError.libraryUnavailable` when the library cannot be loaded.
    static func decode<T>(_ bytes: UnsafeRawBufferPointer, format: ImageFile.Format, path: String,
                          sizeCheck: ((_ width: Int, _ height: Int) throws -> Void)?,
                          _ body: (UnsafeBufferPointer<UInt8>, _ width: Int, _ height: Int) throws -> T) throws -> T {
        switch format {
        case .png: try SystemLibraries.loadPNG()
        case .jpeg: try SystemLibraries.loadJPEG()
        }
        let check = SizeCheck(sizeCheck)
        var image = clazy_rgb_image()
        var reason = [CChar](repeating: 0, count: errorCapacity)
        let limits = clazy_image_limits(max_side: UInt32(ImageFile.maxSide), max_pixels: UInt64(ImageFile.maxPixels))
        let data = bytes.bindMemory(to: UInt8.self)
        let status: Int32 = withExtendedLifetime(check) {
            let context = Unmanaged.passUnretained(check).toOpaque()
            return reason.withUnsafeMutableBufferPointer { text in
                switch format {
                case .png:
                    return clazy_decode_png(data.baseAddress, data.count, limits, SizeCheck.callback, context, &image,
                                            text.baseAddress, text.count)
                case .jpeg:
                    return clazy_decode_jpeg(data.baseAddress, data.count, limits, Int32(ImageFile.maxJPEGScans),
                                             SizeCheck.callback, context, &image, text.baseAddress, text.count)
                }
            }
        }
        let width = Int(image.width), height = Int(image.height)
        guard status == Int32(CLAZY_IMAGE_OK), let pixels = image.pixels else {
            if status == Int32(CLAZY_IMAGE_REFUSED), let error = check.error { throw error }
            throw RuntimeError.image(path: path, reason: describe(status, format: format, width: width, height: height,
                                                                  reason: text(reason)))
        }
        defer { clazy_image_free(pixels) }
        return try body(UnsafeBufferPointer(start: pixels, count: width * height * 3), width, height)
    }

    /// The NUL-terminated UTF-8 text in `buffer`.
    private static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The one-line reason for a failed decode.
    private static func describe(_ status: Int32, format: ImageFile.Format, width: Int, height: Int, reason: String) -> String {
        switch status {
        case Int32(CLAZY_IMAGE_TOO_LARGE):
            let limit = width > ImageFile.maxSide || height > ImageFile.maxSide
                ? "at most \(ImageFile.maxSide) pixels a side" : "at most \(ImageFile.maxPixels) pixels"
            return "unsupported \(format.rawValue) size \(width)×\(height) (\(limit))"
        case Int32(CLAZY_IMAGE_NO_MEMORY):
            return "cannot read \(format.rawValue): out of memory for \(width)×\(height) pixels"
        case Int32(CLAZY_IMAGE_REFUSED):
            return "cannot read \(format.rawValue): refused by the size check"
        default:
            return "cannot read \(format.rawValue): \(reason.isEmpty ? "unknown error" : reason)"
        }
    }

    /// The caller's size check, reached from C through an opaque pointer; keeps what it threw.
    private final class SizeCheck {
        /// The check, or nil to accept every size.
        let check: ((_ width: Int, _ height: Int) throws -> Void)?
        /// What the check threw.
        var error: (any Error)?

        /// Wraps `check` (nil accepts every size).
        init(_ check: ((_ width: Int, _ height: Int) throws -> Void)?) { self.check = check }

        /// The C callback: runs the check of the `SizeCheck` at `context`; nonzero refuses.
        static let callback: clazy_image_size_check = { context, width, height in
            guard let context else { return 0 }
            let box = Unmanaged<SizeCheck>.fromOpaque(context).takeUnretainedValue()
            do {
                try box.check?(Int(width), Int(height))
                return 0
            } catch {
                box.error = error
                return 1
            }
        }
    }
}
