// RuntimeTests: PNG input/output, CompressAI's centred padding and the rate/distortion figures.
import Foundation
import XCTest
import TestSupport
import TinifyRuntime
import Tinify
#if canImport(Glibc)
import Glibc
#endif

final class ImageTests: XCTestCase {
    func testPaddingIsCentredAndCropUndoesIt() throws {
        let p = Padding(height: 50, width: 77, multiple: 64)
        XCTAssertEqual([p.left, p.right, p.top, p.bottom], [(128 - 77) / 2, 128 - 77 - (128 - 77) / 2, 7, 7])
        var noise = Noise(state: 1)
        let x = try FloatTensor(shape: [1, 3, 50, 77], data: noise.array(3 * 50 * 77))
        let padded = p.pad(x)
        XCTAssertEqual(padded.shape, [1, 3, 64, 128])
        XCTAssertEqual(padded[(0 * 64 + 7) * 128 + p.left], x[0])
        XCTAssertEqual(padded[0], 0)
        XCTAssertEqual(p.crop(padded).data, x.data)
        XCTAssertTrue(Padding(height: 64, width: 128, multiple: 64).isZero)
    }

    func testPNGRoundTripAndErrors() throws {
        let dir = Fixtures.scratch("png")
        let image = try PNGImage.read(Fixtures.path("image-64x64.png"))
        XCTAssertEqual(image.shape, [1, 3, 64, 64])
        XCTAssertTrue(image.data.allSatisfy { $0 >= 0 && $0 <= 1 && ($0 * 255).rounded() == $0 * 255 })
        let path = dir + "/copy.png"
        try PNGImage.write(image, to: path)
        XCTAssertEqual(try PNGImage.read(path).data, image.data, "8-bit values survive a write and a read")
        // A reference image's values are exactly x in the fixture references.
        let ref = try Tinify.WeightFile.open(Fixtures.path("bmshj2018-factorized-N8-M12-reference.pt"))
        XCTAssertEqual(image.data, try Values.floats(ref, "x"))
        XCTAssertThrowsError(try PNGImage.read(Fixtures.path("index.json"))) { error in
            XCTAssertTrue(String(describing: error).contains("cannot read png"), String(describing: error))
        }
        XCTAssertThrowsError(try PNGImage.read(dir + "/missing.png"))
        // A 1 KB file declaring 60000×60000 pixels is refused from its header, before any allocation.
        let bomb = dir + "/bomb.png"
        try Data(Self.pngHeaderOnly(width: 60000, height: 60000)).write(to: URL(fileURLWithPath: bomb))
        XCTAssertThrowsError(try PNGImage.read(bomb)) { error in
            XCTAssertEqual(String(describing: error), "unsupported png size 60000×60000 (at most 67108864 pixels)")
        }
    }

    /// A PNG signature, an 8-bit RGB IHDR of the given size and an empty-ish IDAT and IEND.
    static func pngHeaderOnly(width: UInt32, height: UInt32) -> [UInt8] {
        func be(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v)] }
        func crc(_ bytes: [UInt8]) -> UInt32 {
            var c: UInt32 = 0xFFFF_FFFF
            for b in bytes {
                c ^= UInt32(b)
                for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            }
            return ~c
        }
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let body = Array(type.utf8) + data
            return be(UInt32(data.count)) + body + be(crc(body))
        }
        let ihdr = be(width) + be(height) + [8, 2, 0, 0, 0]
        // zlib stream of one stored, empty final block.
        let idat: [UInt8] = [0x78, 0x01, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", ihdr) + chunk("IDAT", idat) + chunk("IEND", [])
    }

    /// Uncompressed PNGs (`--bit-exact` output) read back through libpng to the same values, for
    /// one stored block, several (more than 65535 bytes of rows) and a single pixel; the bytes are
    /// the same on every call.
    func testStoredPNGRoundTripsThroughLibpng() throws {
        let dir = Fixtures.scratch("stored-png")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var rng = SplitMix64(seed: 5)
        for (h, w) in [(1, 1), (64, 64), (200, 300), (131, 97)] {
            let values = (0..<(3 * h * w)).map { _ in Float(rng.below(256)) / 255 }
            let x = try FloatTensor(shape: [1, 3, h, w], data: values)
            let path = dir + "/s-\(w)x\(h).png"
            try PNGImage.write(x, to: path, levels: .nearest, stored: true)
            XCTAssertEqual(try PNGImage.read(path).data, x.data, "\(w)×\(h)")
            XCTAssertEqual(try PNGImage.encodeStored(x), try PNGImage.encodeStored(x))
            XCTAssertGreaterThan(try PNGImage.encodeStored(x).count, 3 * h * w + h, "stored, not compressed")
        }
    }

    func testPSNRAndBitsFollowTheirDefinitions() throws {
        let x = try FloatTensor(shape: [1, 3, 2, 2], data: (0..<12).map { Float($0) / 12 })
        let y = try FloatTensor(shape: [1, 3, 2, 2], data: (0..<12).map { Float($0) / 12 + ($0 % 2 == 0 ? 0.1 : -0.2) })
        var mse = 0.0
        for i in 0..<12 { let d = Double(x[i]) - Double(min(max(y[i], 0), 1)); mse += d * d }
        XCTAssertEqual(try Metrics.psnr(x, y), -10 * log10(mse / 12), accuracy: 1e-9)
        let lik = try FloatTensor(shape: [1, 1, 1, 4], data: [0.5, 0.25, 1, 0.125])
        let result = ForwardResult(xHat: x, y: x, likelihoods: ["y": lik])
        XCTAssertEqual(Metrics.estimatedBPP(result, pixels: 4), (1 + 2 + 0 + 3) / 4.0, accuracy: 1e-12)
    }
}
