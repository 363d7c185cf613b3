// Tinify: the compressed-image file of CompressAI's `examples/codec.py` (v1.2.8), big-endian:
// uint8 model id (index in the zoo: bmshj2018-factorized 0 … cheng2020-attn 6); uint8
// metric << 4 | (quality − 1); uint32 height, width (of the original image); uint8 bit depth;
// uint32 latent shape[0], shape[1], number of strings; then per string a uint32 length and the
// bytes. The file is untrusted input: every count and length is checked against the bytes left.
import TinifyCore
import TinifyArchitectures
import TinifyRuntime

/// A compressed image: which model wrote it, the original size and the rANS strings.
public struct CompressedImageFile: Equatable, Sendable {
    /// The model ids of codec.py's header: the index in `compressai.zoo.image_models` (0–9), and ids from 10 for
    /// the models CompressAI's zoo and codec.py do not have (a Tinify extension: the checkerboard
    /// model 10, ELIC 11 and 12). A VBR model's file records its rate level s as quality s + 1; the
    /// checkerboard model's holds three strings, ELIC's two per channel group and z's.
    public static let modelIDs: [Int: Architecture] = [
        0: .bmshj2018Factorized, 1: .bmshj2018FactorizedReLU, 2: .bmshj2018Hyperprior, 3: .mbt2018Mean, 4: .mbt2018,
        5: .cheng2020Anchor, 6: .cheng2020Attention, 7: .bmshj2018HyperpriorVbr, 8: .mbt2018MeanVbr, 9: .mbt2018Vbr, 10: .cheng2020AnchorCheckerboard,
        11: .elic2022Official, 12: .elic2022Chandelier,
    ]

    /// The header's model id of `architecture`, nil when the format has none for it.
    public static func modelID(of architecture: Architecture) -> Int? { modelIDs.first { $0.value == architecture }?.key }

    /// How many string groups a file of `architecture` holds: 3 for the checkerboard model
    /// ([y anchors, y non-anchors, z]), 2G + 1 for ELIC's G channel groups (the model checks G),
    /// otherwise 1 or 2 as codec.py writes.
    static func stringGroups(_ architecture: Architecture) -> ClosedRange<Int> {
        switch architecture {
        case .cheng2020AnchorCheckerboard: return 3...3
        case .elic2022Official, .elic2022Chandelier: return 3...255
        default: return 1...2
        }
    }

    /// The architecture whose model id (its index in the zoo order) the header holds.
    public var architecture: Architecture
    /// 0 for MSE-trained weights, 1 for MS-SSIM (codec.py's `metric_ids`).
    public var metric: Int
    /// The zoo quality, 1…16.
    public var quality: Int
    /// The original image's height and width (before padding).
    public var height: Int, width: Int
    /// Bits per sample of the original image.
    public var bitDepth: Int
    /// The strings (one per entropy model, batch of one) and the latent shape.
    public var latents: CompressedLatents

    /// The largest image, in pixels, a file may declare by default (4096×4096, more than 4K UHD):
    /// decoding allocates feature maps of about N bytes per pixel, whatever the file's length.
    public static let maxPixels = 1 << 24

    /// A file from its parts.
    public init(architecture: Architecture, metric: Int = 0, quality: Int = 1, height: Int, width: Int, bitDepth: Int = 8,
                latents: CompressedLatents) {
        self.architecture = architecture
        self.metric = metric
        self.quality = quality
        self.height = height
        self.width = width
        self.bitDepth = bitDepth
        self.latents = latents
    }

    /// The file's bytes. Throws when a field does not fit its slot.
    public func encoded() throws -> [UInt8] {
        guard let id = Self.modelID(of: architecture) else {
            throw CodingError.badContainer("\(architecture.rawValue) has no model id in this format")
        }
        guard (0...15).contains(metric), (1...16).contains(quality), (1...255).contains(bitDepth),
              Self.stringGroups(architecture).contains(latents.strings.count), latents.strings.allSatisfy({ $0.count == 1 }), latents.shape.count == 2 else {
            throw CodingError.badContainer("metric \(metric), quality \(quality), bit depth \(bitDepth) or batch size do not fit the format")
        }
        var out: [UInt8] = [UInt8(id), UInt8(metric << 4 | (quality - 1))]
        func u32(_ v: Int) throws {
            guard let u = UInt32(exactly: v) else { throw CodingError.badContainer("\(v) does not fit in 32 bits") }
            out += [UInt8(u >> 24), UInt8(truncatingIfNeeded: u >> 16), UInt8(truncatingIfNeeded: u >> 8), UInt8(truncatingIfNeeded: u)]
        }
        try u32(height)
        try u32(width)
        out.append(UInt8(bitDepth))
        try u32(latents.shape[0])
        try u32(latents.shape[1])
        try u32(latents.strings.count)
        for group in latents.strings {
            try u32(group[0].count)
            out += group[0]
        }
        return out
    }

    /// Parses a file's bytes; an image of more than `maxPixels` pixels is refused.
    public init(decoding bytes: [UInt8], maxPixels: Int = CompressedImageFile.maxPixels) throws {
        var at = 0
        func u8() throws -> Int {
            guard at < bytes.count else { throw CodingError.badContainer("ends at byte \(at), inside the header") }
            at += 1
            return Int(bytes[at - 1])
        }
        func u32() throws -> Int {
            guard bytes.count - at >= 4 else { throw CodingError.badContainer("ends at byte \(bytes.count), inside a 4-byte field at \(at)") }
            let v = Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
            at += 4
            return v
        }
        let id = try u8()
        guard let architecture = Self.modelIDs[id] else { throw CodingError.badContainer("unknown model id \(id)") }
        let code = try u8()
        let height = try u32(), width = try u32()
        guard height > 0, width > 0, height <= maxPixels, width <= maxPixels, height * width <= maxPixels else {
            throw CodingError.badContainer("image of \(height)×\(width) pixels (at most \(maxPixels) pixels)")
        }
        let depth = try u8()
        guard depth > 0 else { throw CodingError.badContainer("bit depth 0") }
        let shape = [try u32(), try u32()]
        let count = try u32()
        let groups = Self.stringGroups(architecture)
        guard groups.contains(count) else {
            throw CodingError.badContainer("\(count) strings (\(groups.count == 1 ? "\(groups.lowerBound)" : "\(groups.lowerBound) or \(groups.upperBound)") expected)")
        }
        var strings: [[[UInt8]]] = []
        for i in 0..<count {
            let length = try u32()
            guard length <= bytes.count - at else {
                throw CodingError.badContainer("string \(i) of \(length) bytes at byte \(at), but \(bytes.count - at) bytes remain")
            }
            strings.append([Array(bytes[at..<(at + length)])])
            at += length
        }
        guard at == bytes.count else { throw CodingError.badContainer("\(bytes.count - at) bytes after the last string") }
        self.init(architecture: architecture, metric: code >> 4, quality: (code & 15) + 1,
                  height: height, width: width, bitDepth: depth, latents: CompressedLatents(strings: strings, shape: shape))
    }
}

extension CompressedImageFile {
    /// Reads and parses the file at `path`; a file of more than `ImageCodec.maxFileBytes` bytes,
    /// or declaring more than `maxPixels` pixels, is refused before it is read whole.
    public init(contentsOfFile path: String, maxPixels: Int = CompressedImageFile.maxPixels) throws {
        let mapped = try MappedFile(path: path)
        guard mapped.count <= ImageCodec.maxFileBytes else {
            throw CodingError.badContainer("\(mapped.count) bytes, more than the \(ImageCodec.maxFileBytes)-byte limit")
        }
        try self.init(decoding: ByteRegion(file: mapped).withUnsafeBytes { Array($0) }, maxPixels: maxPixels)
    }

    /// Writes the file to `path` atomically (a temporary file renamed into place); an existing
    /// `path` is replaced only when `replace` is true.
    public func write(toFile path: String, replace: Bool = true) throws {
        let bytes = try encoded()
        try AtomicFile.write(to: path, replace: replace) { try $0.write(bytes) }
    }
}
