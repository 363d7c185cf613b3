// RuntimeTests: `update()` on every `*-not-updated.pth` reproduces the CDF buffers CompressAI
// 1.2.8 wrote into the matching updated checkpoint, entry for entry.
import XCTest
import TestSupport
import TinifyCore
import Tinify
import TinifyRuntime

final class UpdateTests: XCTestCase {
    func testUpdateReproducesEveryCheckpointsBuffers() throws {
        for fixture in try FixtureModel.all() {
            let before = try WeightFile.open(Fixtures.path(fixture.notUpdated))
            let after = try WeightFile.open(Fixtures.path(fixture.checkpoint))
            let model = try RuntimeModels.make(fixture.architecture, store: before)
            let buffers = try model.update(scaleTable: nil, force: false)
            let expectedKeys = after.keys.filter { k in
                ["._offset", "._quantized_cdf", "._cdf_length", ".scale_table"].contains { k.hasSuffix($0) }
            }
            XCTAssertEqual(Set(buffers.keys), Set(expectedKeys), "\(fixture.stem): updated keys")
            var mismatches = 0, compared = 0
            for key in expectedKeys {
                let want = try XCTUnwrap(after[key]), got = try XCTUnwrap(buffers[key], "\(fixture.stem): \(key) not produced")
                XCTAssertEqual(got.shape, want.shape, "\(fixture.stem): \(key) shape")
                XCTAssertEqual(got.dtype, want.dtype, "\(fixture.stem): \(key) dtype")
                if want.dtype == .float32 {
                    let a = try Values.floats(after, key), b = try WeightReader.floats(of: got, key: key)
                    compared += a.count
                    mismatches += zip(a, b).filter { $0.0.bitPattern != $0.1.bitPattern }.count + abs(a.count - b.count)
                } else {
                    let a = Values.ints(want), b = Values.ints(got)
                    compared += a.count
                    mismatches += zip(a, b).filter { $0.0 != $0.1 }.count + abs(a.count - b.count)
                }
            }
            XCTAssertGreaterThan(compared, 0, fixture.stem)
            XCTAssertEqual(mismatches, 0, "\(fixture.stem): \(mismatches) of \(compared) buffer entries differ")
            print("\(fixture.stem): \(compared) buffer entries compared, \(mismatches) differ")
        }
    }

    func testUpdateIsANoOpOnAnUpdatedCheckpointUnlessForced() throws {
        let fixture = try XCTUnwrap(try FixtureModel.all().first { $0.architecture == .mbt2018Mean })
        let store = try WeightFile.open(Fixtures.path(fixture.checkpoint))
        let model = try RuntimeModels.make(fixture.architecture, store: store)
        XCTAssertTrue(try model.update(scaleTable: nil, force: false).isEmpty)
        let forced = try model.update(scaleTable: nil, force: true)
        XCTAssertEqual(forced.count, 7)
        for (key, t) in forced where t.dtype == .int32 {
            XCTAssertEqual(Values.ints(t), Values.ints(try XCTUnwrap(store[key])), "forced \(key)")
        }
    }

    func testCustomScaleTable() throws {
        let fixture = try XCTUnwrap(try FixtureModel.all().first { $0.architecture == .bmshj2018Hyperprior })
        let model = try RuntimeModels.make(fixture.architecture, store: try WeightFile.open(Fixtures.path(fixture.notUpdated)))
        let out = try model.update(scaleTable: [0.5, 1, 2], force: true)
        XCTAssertEqual(out["gaussian_conditional._offset"]?.shape, [3])
        XCTAssertEqual(out["gaussian_conditional.scale_table"]?.shape, [3])
        XCTAssertThrowsError(try model.update(scaleTable: [2, 1], force: true))
        XCTAssertThrowsError(try model.update(scaleTable: [], force: true))
    }
}
