// TinifyRuntime: CompressAI's `pmf_to_quantized_cdf` (cpp_exts/ops/ops.cpp, v1.2.8), quirks
// included: float `std::round` (half away from zero), integer rescaling to the total, the last
// entry forced to 2^precision, and the zero-frequency fix-up that steals from the symbol with the
// smallest frequency above one (lowest index on ties, re-scanned every time).

/// Quantised cumulative distributions for the rANS coder.
package enum QuantizedCDF {
    /// The quantised CDF (length `pmf.count + 1`, 0 … 2^precision) of `pmf` (whose last entry is
    /// the tail mass). Throws, as the C++ does, on a negative or non-finite entry or zero total.
    package static func fromPMF(_ pmf: [Float], precision: Int = 16, key: String = "pmf") throws -> [Int32] {
        for p in pmf where p < 0 || !p.isFinite {
            throw RuntimeError.invalidDistribution(key: key, reason: "probability \(p) is negative or not finite")
        }
        let scale = Float(1 << precision)
        var cdf = [UInt32](repeating: 0, count: pmf.count + 1)
        for (i, p) in pmf.enumerated() {
            let r = (p * scale).rounded(.toNearestOrAwayFromZero)
            guard r < 4_294_967_296 else { throw RuntimeError.invalidDistribution(key: key, reason: "probability \(p) is too large") }
            cdf[i + 1] = UInt32(r)
        }
        // std::accumulate with an int initial value, stored into uint32_t.
        var total: UInt32 = 0
        for f in cdf { total = total &+ f }
        if total == 0 { throw RuntimeError.invalidDistribution(key: key, reason: "all probabilities are zero") }
        for i in cdf.indices { cdf[i] = UInt32(truncatingIfNeeded: (UInt64(1 << precision) * UInt64(cdf[i])) / UInt64(total)) }
        for i in 1..<cdf.count { cdf[i] = cdf[i] &+ cdf[i - 1] }
        cdf[cdf.count - 1] = UInt32(1 << precision)
        for i in 0..<(cdf.count - 1) where cdf[i] == cdf[i + 1] {
            var bestFreq = UInt32.max
            var bestSteal = -1
            for j in 0..<(cdf.count - 1) {
                let freq = cdf[j + 1] &- cdf[j]
                if freq > 1 && freq < bestFreq { bestFreq = freq; bestSteal = j }
            }
            if bestSteal < 0 { throw RuntimeError.invalidDistribution(key: key, reason: "no frequency to steal") }
            if bestSteal < i {
                for j in (bestSteal + 1)...i { cdf[j] = cdf[j] &- 1 }
            } else {
                for j in (i + 1)...bestSteal { cdf[j] = cdf[j] &+ 1 }
            }
        }
        return cdf.map { Int32(bitPattern: $0) }
    }
}
