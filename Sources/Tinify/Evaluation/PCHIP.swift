// Tinify: the piecewise cubic Hermite interpolating polynomial (PCHIP, Fritsch & Carlson 1980)
// exactly as scipy's `PchipInterpolator` builds it — the weighted harmonic mean of the
// neighbouring slopes at interior points (0 where they differ in sign or one is 0), Moler's
// shape-preserving one-sided three-point estimate at the two ends (`pchiptx.m`), linear for two
// points — with `PPoly.integrate`'s exact integral. The bjontegaard package's "pchip" method
// (Bjøntegaard, VCEG-M33, with piecewise cubic interpolation as in VCEG-AL22 / JVET's
// reference spreadsheets) integrates it over the overlap of two curves.

/// A piecewise cubic Hermite interpolant through strictly increasing `x`, as scipy's
/// `PchipInterpolator(x, y)`: monotone between monotone data, C¹, extrapolated with the end pieces.
package struct PCHIP: Sendable {
    /// The breakpoints, strictly increasing.
    package let x: [Double]
    /// The values at the breakpoints.
    package let y: [Double]
    /// The derivatives at the breakpoints (scipy's `_find_derivatives`).
    package let slopes: [Double]
    /// Per piece k, the coefficients of c0·t³ + c1·t² + c2·t + c3 with t = u − x[k] (scipy's `PPoly.c`).
    private let pieces: [(Double, Double, Double, Double)]

    /// The interpolant through (`x`, `y`); nil unless there are at least two points, `x` is
    /// strictly increasing and everything is finite.
    package init?(x: [Double], y: [Double]) {
        guard x.count >= 2, x.count == y.count, x.allSatisfy(\.isFinite), y.allSatisfy(\.isFinite),
              zip(x, x.dropFirst()).allSatisfy({ $0 < $1 }) else { return nil }
        self.x = x
        self.y = y
        let n = x.count
        let h = (0..<(n - 1)).map { x[$0 + 1] - x[$0] }
        let m = (0..<(n - 1)).map { (y[$0 + 1] - y[$0]) / h[$0] }
        var d = [Double](repeating: 0, count: n)
        if n == 2 {
            d = [m[0], m[0]]
        } else {
            for k in 1..<(n - 1) {
                let (m0, m1) = (m[k - 1], m[k])
                if m0.signum != m1.signum || m0 == 0 || m1 == 0 { d[k] = 0; continue }
                let w1 = 2 * h[k] + h[k - 1], w2 = h[k] + 2 * h[k - 1]
                d[k] = 1 / ((w1 / m0 + w2 / m1) / (w1 + w2))
            }
            d[0] = Self.edge(h[0], h[1], m[0], m[1])
            d[n - 1] = Self.edge(h[n - 2], h[n - 3], m[n - 2], m[n - 3])
        }
        slopes = d
        pieces = (0..<(n - 1)).map { k in
            let t = (d[k] + d[k + 1] - 2 * m[k]) / h[k]
            return (t / h[k], (m[k] - d[k]) / h[k] - t, d[k], y[k])
        }
    }

    /// scipy's `_edge_case`: the one-sided three-point derivative at an end, 0 if its sign
    /// differs from the end slope's, 3·m0 if the slopes change sign and it exceeds that.
    private static func edge(_ h0: Double, _ h1: Double, _ m0: Double, _ m1: Double) -> Double {
        let d = ((2 * h0 + h1) * m0 - h0 * m1) / (h0 + h1)
        if d.signum != m0.signum { return 0 }
        if m0.signum != m1.signum, abs(d) > 3 * abs(m0) { return 3 * m0 }
        return d
    }

    /// The piece for `u`: the last breakpoint at or below it, the first piece below `x[0]`.
    private func piece(_ u: Double) -> Int {
        var lo = 0, hi = x.count - 2
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if x[mid] <= u { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// The interpolant at `u`.
    package func callAsFunction(_ u: Double) -> Double {
        let k = piece(u), t = u - x[k], c = pieces[k]
        return ((c.0 * t + c.1) * t + c.2) * t + c.3
    }

    /// ∫ₐᵇ of the interpolant (negative when b < a), piece by piece as `PPoly.integrate` sums it.
    package func integral(from a: Double, to b: Double) -> Double {
        if b < a { return -integral(from: b, to: a) }
        var total = 0.0
        let first = piece(a), last = piece(b)
        for k in first...last {
            let lo = k == first ? a : x[k], hi = k == last ? b : x[k + 1]
            total += antiderivative(k, hi - x[k]) - antiderivative(k, lo - x[k])
        }
        return total
    }

    /// ∫₀ᵗ of piece k.
    private func antiderivative(_ k: Int, _ t: Double) -> Double {
        let c = pieces[k]
        return (((c.0 / 4 * t + c.1 / 3) * t + c.2 / 2) * t + c.3) * t
    }
}

/// numpy's `sign` for the slope tests.
extension Double {
    /// −1, 0 or 1 (numpy's `sign`; 0 for NaN is irrelevant here: the inputs are finite).
    fileprivate var signum: Int { self > 0 ? 1 : (self < 0 ? -1 : 0) }
}
