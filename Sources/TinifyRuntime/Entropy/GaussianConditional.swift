// TinifyRuntime: the conditional Gaussian entropy model of Ballé et al., "Variational image
// compression with a scale hyperprior" (ICLR 2018); mirrors
// compressai.entropy_models.GaussianConditional (v1.2.8) in eval mode: likelihood, default scale
// table, update() and build_indexes().
import TinifyCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A GaussianConditional bound from a checkpoint.
package final class GaussianConditional: @unchecked Sendable {
    /// The module's key prefix (`gaussian_conditional`).
    package let prefix: String
    /// `lower_bound_scale.bound` (the scale bound, 0.11).
    package let scaleBound: Float
    /// `likelihood_lower_bound.bound` (1e-9).
    package let likelihoodBound: Float
    /// The stored `scale_table` (empty before `update()`).
    package let scaleTable: [Float]
    /// Whether the checkpoint's `_offset` is non-empty (CDFs already built).
    package let isUpdated: Bool
    /// The tail mass (CompressAI's default).
    package let tailMass: Double = 1e-9
    /// `−scipy.stats.norm.ppf(tail_mass / 2)` for the default tail mass.
    package static let tailMultiplier = 6.1094102048693975

    /// Binds the buffers under `prefix`.
    package init(_ w: WeightReader, _ prefix: String) throws {
        self.prefix = prefix
        scaleBound = try w.scalar(prefix + ".lower_bound_scale.bound", default: Float(0.11))
        likelihoodBound = try w.scalar(prefix + ".likelihood_lower_bound.bound", default: Float(1e-9))
        scaleTable = w.has(prefix + ".scale_table") ? try w.floats(prefix + ".scale_table") : []
        isUpdated = !w.isEmpty(prefix + "._offset")
        codingTable = Result { try CDFTable(w, prefix) }
    }

    /// The stored CDF tables for coding, or why they cannot code (thrown only when coding).
    let codingTable: Result<CDFTable, Error>

    /// CompressAI's `get_scale_table()`: `exp(linspace(ln 0.11, ln 256, 64))` in float32.
    package static func defaultScaleTable(min: Double = 0.11, max: Double = 256, levels: Int = 64) -> [Float] {
        TorchMath.linspace(CLibrary.log(min), CLibrary.log(max), levels).map(TorchMath.exp)
    }

    /// `_standardized_cumulative`: ½·erfc(−t/√2) in float32.
    @inline(__always) static func phi(_ t: Float) -> Float {
        0.5 * TorchMath.erfc(Float(-(0.5).squareRoot()) * t)
    }

    /// The likelihood of the quantised `outputs` given `scales` and optional `means` (same length),
    /// bounded below: Φ((½ − |v|)/s) − Φ((−½ − |v|)/s), v = outputs − means, s = max(scale, bound).
    package func likelihood(_ outputs: [Float], scales: [Float], means: [Float]?) -> [Float] {
        var out = [Float](repeating: 0, count: outputs.count)
        let bound = scaleBound, lb = likelihoodBound
        outputs.withUnsafeBufferPointer { po in
            scales.withUnsafeBufferPointer { ps in
                out.withUnsafeMutableBufferPointer { pr in
                    let o = po.baseAddress!, s = ps.baseAddress!, r = pr.baseAddress!
                    let m = means
                    Parallel.chunks(outputs.count, grain: 1 << 14) { range in
                        for i in range {
                            var v = o[i]
                            if let m { v = v - m[i] }
                            v = abs(v)
                            let sc = Swift.max(s[i], bound)
                            let upper = GaussianConditional.phi((0.5 - v) / sc)
                            let lower = GaussianConditional.phi((-0.5 - v) / sc)
                            r[i] = Swift.max(upper - lower, lb)
                        }
                    }
                }
            }
        }
        return out
    }

    /// Eval-mode forward: ŷ = round(y − μ) + μ (half to even) and the likelihoods of ŷ.
    package func forward(_ y: FloatTensor, scales: FloatTensor, means: FloatTensor?) throws -> (yHat: FloatTensor, likelihoods: FloatTensor) {
        let yHat: FloatTensor
        if let means {
            yHat = FloatTensor(shape: y.shape) { out in
                for i in 0..<y.count { out[i] = (y[i] - means[i]).rounded(.toNearestOrEven) + means[i] }
            }
        } else {
            yHat = y.map { $0.rounded(.toNearestOrEven) }
        }
        let lik = likelihood(yHat.data, scales: scales.data, means: means?.data)
        return (yHat, try FloatTensor(shape: y.shape, data: lik))
    }

    /// `build_indexes`: for each scale, the number of table entries (excluding the last) below
    /// max(scale, bound) — the first entry ≥ the scale, capped at the last index.
    /// On a sorted table (CompressAI's always is) the count is a binary search; any other table
    /// is counted entry by entry. Both compare `entry < v` only, so they agree, NaN included.
    package static func buildIndexes(_ scales: [Float], table: [Float], bound: Float) -> [Int32] {
        let head = Array(table.dropLast())
        let sorted = zip(head, head.dropFirst()).allSatisfy { !($1 < $0) } && !head.contains { $0.isNaN }
        return head.withUnsafeBufferPointer { entries in
            scales.map { s in
                let v = Swift.max(s, bound)
                guard sorted else { return Int32(entries.reduce(0) { $0 + ($1 < v ? 1 : 0) }) }
                // The first entry not below v (the entries below it are a prefix).
                var lo = 0, hi = entries.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if entries[mid] < v { lo = mid + 1 } else { hi = mid }
                }
                return Int32(lo)
            }
        }
    }

    /// `update_scale_table(table, force)`: the new `_offset`, `_quantized_cdf`, `_cdf_length` and
    /// `scale_table` buffers keyed by checkpoint key; nil when already updated and not forced.
    package func update(scaleTable table: [Float]?, force: Bool) throws -> [String: (ints: [Int32]?, floats: [Float]?, shape: [Int])]? {
        if isUpdated && !force { return nil }
        let table = table ?? GaussianConditional.defaultScaleTable()
        guard !table.isEmpty else { throw RuntimeError.badScaleTable("it is empty") }
        guard table.allSatisfy({ $0 > 0 && $0.isFinite }), zip(table, table.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw RuntimeError.badScaleTable("entries must be positive, finite and sorted")
        }
        let mult = Float(GaussianConditional.tailMultiplier)
        let centers: [Int32] = try table.map {
            let v = ($0 * mult).rounded(.up)
            guard v < 16_777_216 else { throw RuntimeError.badScaleTable("scale \($0) is too large") }
            return Int32(v)
        }
        let lengths = centers.map { 2 * $0 + 1 }
        let lmax = Int(lengths.max() ?? 1)
        let rows = table.count
        var results = [Result<[Int32], Error>](repeating: .success([]), count: rows)
        results.withUnsafeMutableBufferPointer { out in
            let slots = out.baseAddress!
            Parallel.forEach(rows) { i in
                let s = table[i], center = Int(centers[i]), len = Int(lengths[i])
                var pmf = [Float](repeating: 0, count: len + 1)
                for k in 0..<len {
                    let sample = Float(abs(k - center))
                    pmf[k] = GaussianConditional.phi((0.5 - sample) / s) - GaussianConditional.phi((-0.5 - sample) / s)
                }
                pmf[len] = 2 * GaussianConditional.phi((-0.5 - Float(center)) / s)
                slots[i] = Result { try QuantizedCDF.fromPMF(pmf, key: "\(prefix) scale \(i)") }
            }
        }
        var cdf = [Int32](repeating: 0, count: rows * (lmax + 2))
        for (i, r) in results.enumerated() {
            let row = try r.get()
            for (j, v) in row.enumerated() { cdf[i * (lmax + 2) + j] = v }
        }
        return [
            prefix + "._offset": (centers.map { -$0 }, nil, [rows]),
            prefix + "._quantized_cdf": (cdf, nil, [rows, lmax + 2]),
            prefix + "._cdf_length": (lengths.map { $0 + 2 }, nil, [rows]),
            prefix + ".scale_table": (nil, table, [rows]),
        ]
    }
}
