// ReaderTests: a training checkpoint (CompressAI's example trainer: epoch, state_dict, loss,
// optimizer, aux_optimizer, lr_scheduler) reads completely, non-tensor values included.
import TestSupport
import TinifyContainer
import TinifyCore
import Tinify
import TinifyCommand
import TinifyWeights
import XCTest

final class TrainingCheckpointTests: XCTestCase {
    static let file = "mbt2018-mean-N8-M12-training.pth"

    private func root() throws -> (WeightStore, Value) {
        let s = try WeightFile.open(Fixtures.path(Self.file))
        return (s, s.root)
    }

    func testTopLevelValues() throws {
        let (_, root) = try root()
        guard case .dict(let top) = root else { return XCTFail("root is \(root.brief), not a dict") }
        XCTAssertEqual(top.map(\.key.keyText), ["epoch", "state_dict", "loss", "optimizer", "aux_optimizer", "lr_scheduler"])
        guard case .int(17)? = root["epoch"] else { return XCTFail("epoch: \(root["epoch"]?.brief ?? "missing")") }
        guard case .float(let loss)? = root["loss"] else { return XCTFail("loss: \(root["loss"]?.brief ?? "missing")") }
        XCTAssertEqual(loss, 0.41875410079956055)
    }

    func testOptimizerParamGroups() throws {
        let (_, root) = try root()
        for (name, lr, params) in [("optimizer", 1e-4, 54), ("aux_optimizer", 1e-3, 1)] {
            guard case .list(let groups)? = root[name]?["param_groups"], groups.count == 1 else {
                return XCTFail("\(name).param_groups: \(root[name]?["param_groups"]?.brief ?? "missing")")
            }
            let g = groups[0]
            guard case .float(lr)? = g["lr"] else { return XCTFail("\(name) lr: \(g["lr"]?.brief ?? "missing")") }
            guard case .tuple(let betas)? = g["betas"], betas.count == 2, case .float(0.9) = betas[0], case .float(0.999) = betas[1] else {
                return XCTFail("\(name) betas must be the tuple (0.9, 0.999): \(g["betas"]?.brief ?? "missing")")
            }
            guard case .float(1e-8)? = g["eps"] else { return XCTFail("\(name) eps") }
            guard case .int(0)? = g["weight_decay"] else { return XCTFail("\(name) weight_decay is the int 0") }
            guard case .bool(false)? = g["amsgrad"], case .bool(false)? = g["maximize"], case .bool(false)? = g["capturable"] else {
                return XCTFail("\(name) bools")
            }
            guard case .none? = g["foreach"], case .none? = g["fused"] else { return XCTFail("\(name) foreach / fused are None") }
            guard case .list(let p)? = g["params"] else { return XCTFail("\(name) params") }
            XCTAssertEqual(p.count, params, name)
            for (i, v) in p.enumerated() {
                guard case .int(let n) = v, n == Int64(i) else { return XCTFail("\(name) params[\(i)] is \(v.brief)") }
            }
        }
    }

    func testOptimizerStateTensors() throws {
        let (store, root) = try root()
        guard case .dict(let state)? = root["optimizer"]?["state"] else { return XCTFail("optimizer.state") }
        XCTAssertEqual(state.count, 54)
        guard case .int(0) = state[0].key else { return XCTFail("optimizer.state keys are ints, got \(state[0].key.brief)") }
        let avg = try XCTUnwrap(store["optimizer.state.0.exp_avg"])
        let sq = try XCTUnwrap(store["optimizer.state.0.exp_avg_sq"])
        let step = try XCTUnwrap(store["optimizer.state.0.step"])
        XCTAssertEqual(avg.shape, sq.shape)
        XCTAssertEqual(step.shape, [], "Adam's step is a 0-d tensor")
        XCTAssertEqual(step.elements(as: Float.self), [1], "one Adam step was taken")
        XCTAssertNotNil(store["state_dict.g_a.0.weight"])
        XCTAssertNotNil(store["aux_optimizer.state.0.exp_avg"])
    }

    func testLRSchedulerState() throws {
        let (_, root) = try root()
        let s = try XCTUnwrap(root["lr_scheduler"])
        guard case .float(.infinity)? = s["best"], case .float(.infinity)? = s["mode_worse"] else {
            return XCTFail("best / mode_worse are inf: \(s["best"]?.brief ?? "missing")")
        }
        guard case .string("min")? = s["mode"], case .string("rel")? = s["threshold_mode"] else { return XCTFail("mode strings") }
        guard case .float(0.1)? = s["factor"], case .int(10)? = s["patience"], case .int(0)? = s["last_epoch"] else {
            return XCTFail("factor / patience / last_epoch")
        }
        guard case .list(let last)? = s["_last_lr"], last.count == 1, case .float(1e-4) = last[0] else { return XCTFail("_last_lr") }
        guard case .list(let minLRs)? = s["min_lrs"], minLRs.count == 1, case .int(0) = minLRs[0] else { return XCTFail("min_lrs") }
    }

    /// `inspect`'s value listing carries the same data.
    func testScalarListing() throws {
        let (store, _) = try root()
        let scalars = Dictionary(InspectReport(store: store, digest: false).scalars.map { ($0.0, $0.1.brief) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(scalars["epoch"], "17")
        XCTAssertEqual(scalars["optimizer.param_groups.0.betas.1"], "0.999")
        XCTAssertEqual(scalars["optimizer.param_groups.0.foreach"], "None")
        XCTAssertEqual(scalars["lr_scheduler.best"], "inf")
        XCTAssertNil(scalars["optimizer.state.0.exp_avg"])
    }
}
