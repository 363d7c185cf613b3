// RuntimeTests: weights read in place (WeightBuffer) — a view of a checkpoint's own bytes where
// they are aligned little-endian float32, the same values as the converted copy everywhere, and
// the copy wherever a view cannot be made.
import XCTest
import TestSupport
import TinifyCore
import TinifyRuntime
import TinifyWeights

final class WeightBufferTests: XCTestCase {
    /// Every tensor of `store` through `weights` equals `floats` bit for bit; returns how many
    /// float32 tensors were read in place and how many were not.
    private func compareAll(_ store: WeightStore, file: StaticString = #filePath, line: UInt = #line) throws -> (inPlace: Int, copied: Int) {
        let reader = WeightReader(store)
        var counts = (inPlace: 0, copied: 0)
        for (key, t) in store.entries where [.float32, .float16, .float64, .bfloat16].contains(t.dtype) {
            let view = try reader.weights(key)
            let copy = try reader.floats(key)
            XCTAssertEqual(view.count, copy.count, key, file: file, line: line)
            view.withUnsafeBufferPointer { v in
                XCTAssertTrue(zip(v, copy).allSatisfy { $0.bitPattern == $1.bitPattern }, "\(key): values differ", file: file, line: line)
            }
            XCTAssertEqual(view.withUnsafeBufferPointer { $0.map(\.bitPattern) }, copy.map(\.bitPattern), key, file: file, line: line)
            if t.dtype == .float32 { if view.readsInPlace { counts.inPlace += 1 } else { counts.copied += 1 } }
            else { XCTAssertFalse(view.readsInPlace, "\(key): \(t.dtype.name) read as float32 in place", file: file, line: line) }
        }
        return counts
    }

    /// torch's zip format aligns every tensor to 64 bytes: each float32 weight of a real
    /// checkpoint (zip, and the zip with deflated entries) is the same value read in place.
    func testZipCheckpointWeightsAreReadInPlace() throws {
        for name in ["bmshj2018-hyperprior-N8-M12.pth", "cheng2020-attn-N8-M8.pth"] {
            let counts = try compareAll(try TorchCheckpoint.load(path: Fixtures.path(name)))
            XCTAssertGreaterThan(counts.inPlace, 10, name)
            XCTAssertEqual(counts.copied, 0, "\(name): float32 tensors copied instead of read in place")
        }
        // Deflated entries are inflated into memory of their own, which is then read in place.
        let deflated = try compareAll(try TorchCheckpoint.load(path: Fixtures.path("bmshj2018-hyperprior-N8-M12-deflated.pth")))
        XCTAssertGreaterThan(deflated.inPlace + deflated.copied, 10)
    }

    /// The legacy format and a float16 checkpoint give the same values as their converted copies,
    /// whether or not their bytes can be viewed.
    func testLegacyAndHalfPrecisionCheckpointsGiveTheConvertedValues() throws {
        let legacy = try compareAll(try TorchCheckpoint.load(path: Fixtures.path("bmshj2018-hyperprior-N8-M12-legacy.pth")))
        XCTAssertGreaterThan(legacy.inPlace + legacy.copied, 10)
        _ = try compareAll(try TorchCheckpoint.load(path: Fixtures.path("bmshj2018-factorized-N8-M12-f16.pth")))
    }

    /// A region that starts off a float's alignment, or holds fewer bytes than asked for, gives no
    /// view (the reader converts instead); an aligned one gives the floats it holds.
    func testMisalignedOrShortRegionsGiveNoView() throws {
        let values: [Float] = [1.5, -2.25, 3.0, 0.125]
        var bytes = [UInt8](repeating: 0, count: 1)
        values.withUnsafeBytes { bytes += $0 }
        let region = bytes.withUnsafeBytes { ByteRegion(copying: $0) }
        let misaligned = try XCTUnwrap(region.slice(1, 16))
        XCTAssertNil(WeightBuffer(float32: misaligned, count: 4))
        let aligned = values.withUnsafeBytes { ByteRegion(copying: $0) }
        XCTAssertNil(WeightBuffer(float32: aligned, count: 5))
        let view = try XCTUnwrap(WeightBuffer(float32: aligned, count: 4))
        XCTAssertTrue(view.readsInPlace)
        XCTAssertEqual(view.withUnsafeBufferPointer { Array($0) }, values)
    }
}
