// Tinify: the least-squares cubic polynomial of Bjøntegaard's original method (VCEG-M33, "Calculation
// of average PSNR differences between RD-curves", 2001): the bjontegaard package's "cubic"
// method fits `numpy.polyfit(x, y, 3)` and integrates `numpy.polyint` of it between two bounds.
// Here the fit is solved by Householder QR on centred, scaled abscissas u = (x − centre) / scale
// (numpy scales the Vandermonde columns and solves by SVD): the same polynomial to rounding, and
// its integral is taken in u (dx = scale · du) without expanding back to powers of x.

/// The least-squares cubic through points (x, y), as `numpy.polyfit(x, y, 3)`.
package struct CubicFit: Sendable {
    /// The centre of the abscissas (their mean).
    private let centre: Double
    /// The scale of the abscissas (their largest distance from the centre).
    private let scale: Double
    /// The coefficients of a + b·u + c·u² + d·u³ in u = (x − centre) / scale.
    package let coefficients: [Double]

    /// The fit; nil with fewer than 4 distinct abscissas, mismatched counts or non-finite values.
    package init?(x: [Double], y: [Double]) {
        guard x.count >= 4, x.count == y.count, x.allSatisfy(\.isFinite), y.allSatisfy(\.isFinite),
              Set(x).count >= 4 else { return nil }
        let n = x.count
        let centre = x.reduce(0, +) / Double(n)
        let scale = x.map { abs($0 - centre) }.max() ?? 1
        guard scale > 0, scale.isFinite else { return nil }
        self.centre = centre
        self.scale = scale
        // The n×4 design matrix, column-major: columns 1, u, u², u³.
        var a = [Double](repeating: 0, count: 4 * n)
        for (i, xi) in x.enumerated() {
            let u = (xi - centre) / scale
            a[i] = 1; a[n + i] = u; a[2 * n + i] = u * u; a[3 * n + i] = u * u * u
        }
        var b = y
        // Householder QR: column j is reduced below the diagonal; b receives Qᵀb.
        var diagonal = [Double](repeating: 0, count: 4)
        for j in 0..<4 {
            var norm = 0.0
            for i in j..<n { norm += a[j * n + i] * a[j * n + i] }
            norm = norm.squareRoot()
            guard norm > 0 else { return nil }
            let alpha = a[j * n + j] > 0 ? -norm : norm
            // v = column j (rows j…) − alpha·e_j, stored in place.
            a[j * n + j] -= alpha
            var vv = 0.0
            for i in j..<n { vv += a[j * n + i] * a[j * n + i] }
            diagonal[j] = alpha
            guard vv > 0 else { continue }
            for k in (j + 1)..<(4 + 1) {
                // Reflect column k of A (k < 4) or b (k == 4).
                var dot = 0.0
                for i in j..<n { dot += a[j * n + i] * (k < 4 ? a[k * n + i] : b[i]) }
                let f = 2 * dot / vv
                for i in j..<n {
                    if k < 4 { a[k * n + i] -= f * a[j * n + i] } else { b[i] -= f * a[j * n + i] }
                }
            }
        }
        // Back substitution: R has `diagonal` on its diagonal and a[k*n+j] above it.
        var c = [Double](repeating: 0, count: 4)
        for j in stride(from: 3, through: 0, by: -1) {
            var s = b[j]
            for k in (j + 1)..<4 { s -= a[k * n + j] * c[k] }
            guard diagonal[j] != 0 else { return nil }
            c[j] = s / diagonal[j]
        }
        guard c.allSatisfy(\.isFinite) else { return nil }
        coefficients = c
    }

    /// The polynomial at `x`.
    package func callAsFunction(_ x: Double) -> Double {
        let u = (x - centre) / scale, c = coefficients
        return ((c[3] * u + c[2]) * u + c[1]) * u + c[0]
    }

    /// ∫ₐᵇ of the polynomial (`polyval(polyint(p), b) − polyval(polyint(p), a)`).
    package func integral(from a: Double, to b: Double) -> Double {
        scale * (antiderivative((b - centre) / scale) - antiderivative((a - centre) / scale))
    }

    /// ∫₀ᵘ of the polynomial in u.
    private func antiderivative(_ u: Double) -> Double {
        let c = coefficients
        return (((c[3] / 4 * u + c[2] / 3) * u + c[1] / 2) * u + c[0]) * u
    }
}
