// RuntimeTests: the forward pass and aux loss of every fixture model against CompressAI 1.2.8's
// own outputs (`*-reference.pt`): x̂ and y within 1e-4 absolute, likelihoods within 1e-4 relative,
// aux_loss within 1e-5 relative.
import XCTest
import TestSupport
import Tinify
import TinifyRuntime

final class ReferenceForwardTests: XCTestCase {
    func testEveryReferenceForward() throws {
        let models = try FixtureModel.all()
        XCTAssertEqual(models.count, 7, "the index should list the seven zoo architectures")
        for fixture in models {
            let store = try WeightFile.open(Fixtures.path(fixture.checkpoint))
            let model = try RuntimeModels.make(fixture.architecture, store: store)
            let ref = try WeightFile.open(Fixtures.path(fixture.reference))
            let x = try Values.tensor(ref, "x")
            let out = try model.forward(x)

            let xHatErr = Values.maxAbs(out.xHat.data, try Values.floats(ref, "x_hat"))
            let yErr = Values.maxAbs(out.y.data, try Values.floats(ref, "y"))
            XCTAssertEqual(out.xHat.shape, x.shape, fixture.stem)
            XCTAssertLessThanOrEqual(xHatErr, 1e-4, "\(fixture.stem): x_hat max abs error")
            XCTAssertLessThanOrEqual(yErr, 1e-4, "\(fixture.stem): y max abs error")

            let names = ref.keys.filter { $0.hasPrefix("likelihoods_") }.map { String($0.dropFirst("likelihoods_".count)) }
            XCTAssertFalse(names.isEmpty, fixture.stem)
            XCTAssertEqual(Set(names), Set(out.likelihoods.keys), "\(fixture.stem): likelihood names")
            for name in names {
                let expected = try Values.floats(ref, "likelihoods_" + name)
                let got = try XCTUnwrap(out.likelihoods[name], "\(fixture.stem): no likelihoods \(name)")
                XCTAssertEqual(got.count, expected.count, "\(fixture.stem): likelihoods_\(name) size")
                let rel = Values.maxRel(got.data, expected)
                XCTAssertLessThanOrEqual(rel, 1e-4, "\(fixture.stem): likelihoods_\(name) max relative error")
            }

            let aux = Double(try Values.floats(ref, "aux_loss")[0])
            let auxRel = abs(model.auxLoss() - aux) / abs(aux)
            XCTAssertLessThanOrEqual(auxRel, 1e-5, "\(fixture.stem): aux_loss relative error")
            print("\(fixture.stem): x_hat \(xHatErr), y \(yErr), aux rel \(auxRel)")
        }
    }

    func testInputMustBePadded() throws {
        let fixture = try XCTUnwrap(try FixtureModel.all().first { $0.architecture == .bmshj2018Hyperprior })
        let model = try RuntimeModels.make(fixture.architecture, store: try WeightFile.open(Fixtures.path(fixture.checkpoint)))
        XCTAssertThrowsError(try model.forward(FloatTensor(shape: [1, 3, 80, 80], repeating: 0.5))) { error in
            XCTAssertTrue(String(describing: error).contains("multiples of 64"), String(describing: error))
        }
    }

    func testMissingKeyNamesTheProblem() throws {
        let fixture = try XCTUnwrap(try FixtureModel.all().first { $0.architecture == .bmshj2018Factorized })
        let store = try WeightFile.open(Fixtures.path(fixture.checkpoint))
        // A hyperprior needs h_a: the factorized checkpoint lacks it.
        XCTAssertThrowsError(try RuntimeModels.make(.bmshj2018Hyperprior, store: store)) { error in
            XCTAssertTrue(String(describing: error).contains("h_a.0.weight"), String(describing: error))
        }
    }
}
