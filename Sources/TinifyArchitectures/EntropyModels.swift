// TinifyArchitectures: the entropy models' state, mirroring compressai.entropy_models
// EntropyBottleneck (Ballé et al. 2018, "Variational image compression with a scale
// hyperprior", appendix 6.1) and GaussianConditional.
import TinifyCore

/// `EntropyBottleneck(C)` with the default filters (3, 3, 3, 3): five matrices, five biases,
/// four factors, the quantiles, and the CDF tables `update()` fills.
package struct EntropyBottleneck: Sendable {
    /// `quantiles` (C, 1, 3): lower, median, upper.
    package let quantiles: BoundTensor
    /// The CDF tables (dynamic).
    package let offset: BoundTensor, quantizedCDF: BoundTensor, cdfLength: BoundTensor
    /// `target` (3) and `likelihood_lower_bound.bound` (1).
    package let target: BoundTensor, likelihoodBound: BoundTensor
    /// `matrices.k`, `biases.k` (k = 0…4) and `factors.k` (k = 0…3).
    package let matrices: [BoundTensor], biases: [BoundTensor], factors: [BoundTensor]

    /// Whether this is an `EntropyBottleneckVbr` (the VBR models' `vr_entbttlnck=True`), whose
    /// filters are named `_matrixK`, `_biasK`, `_factorK` and come before the quantiles.
    package let variableRate: Bool

    /// Declares an entropy bottleneck over `channels` (an `EntropyBottleneckVbr` when `variableRate`).
    package init(_ s: ParameterScope, _ channels: Dim, variableRate: Bool = false) {
        self.variableRate = variableRate
        let widths = [1, 3, 3, 3, 3, 1]
        func matrix(_ l: ParameterScope, _ k: Int, _ name: String) -> BoundTensor {
            l.tensor(name, [channels, .const(widths[k + 1]), .const(widths[k])])
        }
        func column(_ l: ParameterScope, _ k: Int, _ name: String) -> BoundTensor { l.tensor(name, [channels, .const(widths[k + 1]), .const(1)]) }
        var filters: (m: [BoundTensor], b: [BoundTensor], f: [BoundTensor]) = ([], [], [])
        if variableRate {
            // EntropyBottleneckVbr registers `_matrixK`, `_biasK`, `_factorK` filter by filter.
            for k in 0..<5 {
                filters.m.append(matrix(s, k, "_matrix\(k)"))
                filters.b.append(column(s, k, "_bias\(k)"))
                if k < 4 { filters.f.append(column(s, k, "_factor\(k)")) }
            }
        }
        quantiles = s.tensor("quantiles", [channels, .const(1), .const(3)])
        offset = s.tensor("_offset", [channels], role: .dynamicBuffer, kind: .integer)
        quantizedCDF = s.tensor("_quantized_cdf", [channels, .dynamic("L")], role: .dynamicBuffer, kind: .integer)
        cdfLength = s.tensor("_cdf_length", [channels], role: .dynamicBuffer, kind: .integer)
        target = s.tensor("target", [.const(3)], role: .buffer)
        likelihoodBound = s.child("likelihood_lower_bound", "LowerBound") { $0.tensor("bound", [.const(1)], role: .buffer) }
        if !variableRate {
            filters.m = s.child("matrices", "ParameterList") { l in (0..<5).map { matrix(l, $0, String($0)) } }
            filters.b = s.child("biases", "ParameterList") { l in (0..<5).map { column(l, $0, String($0)) } }
            filters.f = s.child("factors", "ParameterList") { l in (0..<4).map { column(l, $0, String($0)) } }
        }
        (matrices, biases, factors) = filters
        CDFTables.check(s, offset: offset, cdf: quantizedCDF, length: cdfLength, module: variableRate ? "EntropyBottleneckVbr" : "EntropyBottleneck")
    }
}

/// `GaussianConditional(None)`: CDF tables and scale table sized by `update()`, plus bounds.
package struct GaussianConditional: Sendable {
    /// The CDF tables (dynamic, T rows of width L).
    package let offset: BoundTensor, quantizedCDF: BoundTensor, cdfLength: BoundTensor
    /// `scale_table` (T), dynamic.
    package let scaleTable: BoundTensor
    /// `scale_bound`, `likelihood_lower_bound.bound`, `lower_bound_scale.bound` (each [1]).
    package let scaleBound: BoundTensor, likelihoodBound: BoundTensor, lowerBoundScale: BoundTensor

    /// Declares a Gaussian conditional.
    package init(_ s: ParameterScope) {
        offset = s.tensor("_offset", [.dynamic("T")], role: .dynamicBuffer, kind: .integer)
        quantizedCDF = s.tensor("_quantized_cdf", [.dynamic("T"), .dynamic("L")], role: .dynamicBuffer, kind: .integer)
        cdfLength = s.tensor("_cdf_length", [.dynamic("T")], role: .dynamicBuffer, kind: .integer)
        scaleTable = s.tensor("scale_table", [.dynamic("T")], role: .dynamicBuffer)
        scaleBound = s.tensor("scale_bound", [.const(1)], role: .buffer)
        likelihoodBound = s.child("likelihood_lower_bound", "LowerBound") { $0.tensor("bound", [.const(1)], role: .buffer) }
        lowerBoundScale = s.child("lower_bound_scale", "LowerBound") { $0.tensor("bound", [.const(1)], role: .buffer) }
        CDFTables.check(s, offset: offset, cdf: quantizedCDF, length: cdfLength, module: "GaussianConditional")
    }
}

/// Consistency of one entropy model's CDF tables.
enum CDFTables {
    /// Reports tables that are half-filled, lengths outside the table, or rows that are not CDFs.
    static func check(_ s: ParameterScope, offset: BoundTensor, cdf: BoundTensor, length: BoundTensor, module: String) {
        guard s.isBinding, let c = cdf.tensor, let l = length.tensor, let o = offset.tensor else { return }
        let empty = [o, c, l].map { $0.shape == [0] }
        if empty.contains(true) && empty.contains(false) {
            for (b, e) in zip([offset, cdf, length], empty) where e {
                s.report(Problem(.inconsistentCDF, b.key, expected: "filled, as the other CDF buffers of this module are", actual: "empty", module: module))
            }
            return
        }
        guard !empty[0], c.shape.count == 2, l.dtype == .int32, c.dtype == .int32, l.count == c.shape[0] else { return }
        let width = c.shape[1]
        // Only the lengths and each row's first and last entry are read, straight from the bytes.
        let lengths = c.count == 0 ? [] : int32s(l)
        c.contiguousBytes().withUnsafeBytes { table in
            for (row, n) in lengths.enumerated() {
                guard n >= 2, Int(n) <= width else {
                    s.report(Problem(.inconsistentCDF, length.key, expected: "lengths between 2 and \(width)", actual: "row \(row) has length \(n)", module: module))
                    return
                }
                let first = table.loadUnaligned(fromByteOffset: row * width * 4, as: Int32.self)
                let last = table.loadUnaligned(fromByteOffset: (row * width + Int(n) - 1) * 4, as: Int32.self)
                guard first == 0, last == 65536 else {
                    s.report(Problem(.inconsistentCDF, cdf.key, expected: "rows running from 0 to 65536", actual: "row \(row) runs from \(first) to \(last)", module: module))
                    return
                }
            }
        }
    }

    static func int32s(_ t: Tensor) -> [Int32] {
        t.contiguousBytes().withUnsafeBytes { b in (0..<t.count).map { b.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self) } }
    }
}
