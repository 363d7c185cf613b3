// RuntimeTests: reading every PNG colour type and bit depth, and JPEG, to exactly the pixels PIL's
// `Image.open(path).convert("RGB")` gives, and refusing corrupt and hostile files quickly with an
// error. The files and PIL's answers (expected.json) are written by
// Tests/Fixtures/images/make_images.py.
import Foundation
import XCTest
import TestSupport
import TinifyCore
import TinifyRuntime

final class ImageReadingTests: XCTestCase {
    /// One fixture and what PIL made of it.
    struct Expected {
        /// The file name under Tests/Fixtures/images.
        let name: String
        /// What the file is.
        let about: String
        /// PIL's size and the SHA-256 of its RGB bytes (rows top to bottom, HWC), when PIL read it.
        let width: Int?, height: Int?, sha256: String?
        /// PIL's exception, when PIL refused it.
        let error: String?
        /// A (lowercase) part of Tinify's message, for files Tinify refuses although PIL reads them.
        let refuse: String?

        /// Whether Tinify must read the file (to PIL's pixels).
        var readable: Bool { sha256 != nil && refuse == nil }
        /// The path of the file.
        var path: String { Fixtures.path("images/" + name) }
    }

    /// Every entry of expected.json, by name.
    static func expected() throws -> [Expected] {
        let json = try XCTUnwrap(try Fixtures.json("images/expected.json") as? [String: [String: Any]])
        return json.keys.sorted().compactMap { name in
            guard let e = json[name] else { return nil }
            return Expected(name: name, about: e["about"] as? String ?? "", width: e["width"] as? Int,
                            height: e["height"] as? Int, sha256: e["sha256"] as? String, error: e["error"] as? String,
                            refuse: e["refuse"] as? String)
        }
    }

    /// The SHA-256 of a 1×3×H×W tensor's 8-bit values, round(v · 255), interleaved as PIL's RGB bytes.
    static func rgbSHA256(_ x: FloatTensor) -> String {
        let plane = x.h * x.w
        var bytes = [UInt8](repeating: 0, count: plane * 3)
        for i in 0..<plane {
            for c in 0..<3 { bytes[3 * i + c] = UInt8((x[c * plane + i] * 255).rounded()) }
        }
        return bytes.withUnsafeBytes { SHA256Hasher.hex(of: $0) }
    }

    func testEveryReadableFileGivesPILsPixels() throws {
        let files = try Self.expected().filter(\.readable)
        XCTAssertGreaterThan(files.count, 50)
        for file in files {
            let x: FloatTensor
            do {
                x = try ImageFile.read(file.path)
            } catch {
                XCTFail("\(file.name) (\(file.about)): \(error)")
                continue
            }
            XCTAssertEqual(x.shape, [1, 3, file.height ?? -1, file.width ?? -1], file.name)
            XCTAssertTrue(x.data.allSatisfy { ($0 * 255).rounded() == $0 * 255 }, "\(file.name): values are levels / 255")
            XCTAssertEqual(Self.rgbSHA256(x), file.sha256, "\(file.name) (\(file.about))")
        }
    }

    /// Every file PIL refuses, and the few Tinify refuses on purpose, throws `RuntimeError.image`
    /// (not a crash, not grey pixels) in well under a second.
    func testCorruptAndHostileFilesThrowQuickly() throws {
        let files = try Self.expected().filter { !$0.readable }
        XCTAssertGreaterThan(files.count, 20)
        for file in files {
            let start = Date()
            XCTAssertThrowsError(try ImageFile.read(file.path), "\(file.name) (\(file.about))") { error in
                guard case RuntimeError.image(let path, let reason) = error else {
                    return XCTFail("\(file.name): \(error) is not an image error")
                }
                XCTAssertEqual(path, file.path)
                XCTAssertFalse(reason.isEmpty)
                if let refuse = file.refuse {
                    XCTAssertTrue(reason.lowercased().contains(refuse), "\(file.name): \(reason)")
                }
            }
            XCTAssertLessThan(Date().timeIntervalSince(start), 1, file.name)
        }
    }

    func testFixturesCoverEveryColourTypeAndDepthAndJPEGKind() throws {
        let names = Set(try Self.expected().filter(\.readable).map(\.name))
        let depths = [0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16]]
        for (colour, list) in depths {
            for depth in list {
                XCTAssertTrue(names.contains("png-c\(colour)-d\(depth).png"), "colour type \(colour), \(depth) bits")
                XCTAssertTrue(names.contains("png-c\(colour)-d\(depth)-adam7.png"), "colour type \(colour), \(depth) bits, Adam7")
            }
        }
        for kind in ["420", "444", "422", "grey", "progressive"] { XCTAssertTrue(names.contains("jpeg-\(kind).jpg"), kind) }
        // Every image in the folder is listed.
        let listed = Set(try Self.expected().map(\.name))
        let present = try FileManager.default.contentsOfDirectory(atPath: Fixtures.path("images"))
            .filter { $0.hasSuffix(".png") || $0.hasSuffix(".jpg") }
        XCTAssertEqual(Set(present), listed)
    }

    func testMessagesNameTheLimitOrTheReason() throws {
        func reason(_ name: String) -> String {
            do {
                _ = try ImageFile.read(Fixtures.path("images/" + name))
                return "read"
            } catch {
                return String(describing: error)
            }
        }
        XCTAssertEqual(reason("hostile-png-100000x100000.png"), "unsupported png size 100000×100000 (at most 65536 pixels a side)")
        XCTAssertEqual(reason("hostile-png-9000x9000.png"), "unsupported png size 9000×9000 (at most 67108864 pixels)")
        XCTAssertEqual(reason("hostile-jpeg-65000x65000.jpg"), "unsupported jpeg size 65000×65000 (at most 67108864 pixels)")
        XCTAssertTrue(reason("hostile-png-truncated-idat.png").hasPrefix("cannot read png: truncated: "), reason("hostile-png-truncated-idat.png"))
        XCTAssertTrue(reason("hostile-jpeg-truncated-scan.jpg").hasPrefix("cannot read jpeg: truncated: "), reason("hostile-jpeg-truncated-scan.jpg"))
        XCTAssertTrue(reason("jpeg-cmyk.jpg").contains("CMYK"), reason("jpeg-cmyk.jpg"))
        XCTAssertTrue(reason("hostile-jpeg-scan-bomb.jpg").contains("more than 100 scans"), reason("hostile-jpeg-scan-bomb.jpg"))
        XCTAssertTrue(reason("hostile-not-an-image.png").contains("neither signature"), reason("hostile-not-an-image.png"))
        XCTAssertTrue(reason("hostile-png-empty.png").contains("empty"), reason("hostile-png-empty.png"))
    }

    /// The size check sees the header's size before any decoding, and what it throws is what
    /// `read` throws.
    func testSizeCheckRunsFirstAndItsErrorPropagates() throws {
        struct TooBig: Error {}
        for name in ["png-c3-d4-adam7.png", "jpeg-progressive.jpg"] {
            var seen: [Int] = []
            XCTAssertThrowsError(try ImageFile.read(Fixtures.path("images/" + name)) { w, h in
                seen = [w, h]
                throw TooBig()
            }) { error in XCTAssertTrue(error is TooBig, "\(name): \(error)") }
            XCTAssertEqual(seen, name.hasPrefix("png") ? [13, 11] : [45, 37])
        }
    }

    /// The format comes from the first bytes: a JPEG named .png and a PNG named .jpg read as
    /// themselves, through `PNGImage.read` too.
    func testFormatIsChosenBySignatureNotName() throws {
        let dir = Fixtures.scratch("image-names")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let all = Dictionary(uniqueKeysWithValues: try Self.expected().map { ($0.name, $0) })
        for (source, renamed) in [("jpeg-420.jpg", "photo.png"), ("png-c2-d16.png", "picture.jpg"), ("jpeg-grey.jpg", "no-extension")] {
            let copy = dir + "/" + renamed
            try FileManager.default.copyItem(atPath: Fixtures.path("images/" + source), toPath: copy)
            XCTAssertEqual(Self.rgbSHA256(try PNGImage.read(copy)), all[source]?.sha256, "\(source) as \(renamed)")
        }
    }
}
