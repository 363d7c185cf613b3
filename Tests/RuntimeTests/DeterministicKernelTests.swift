// RuntimeTests: the deterministic kernels compute exactly the sums they define. The AVX product,
// the Swift vector one and the scalar one must agree bit for bit (the portability sweep also runs the
// scalar build end to end), a sum split in two accumulating calls must equal the whole, and a
// deterministic convolution must equal the ordered sum written out naively here.
import XCTest
import TestSupport
@testable import TinifyRuntime

private extension SplitMix64 {
    /// A number in [0, 1).
    mutating func nextDouble() -> Double { Double(next() >> 11) / Double(UInt64(1) << 53) }
}

final class DeterministicKernelTests: XCTestCase {
    private func randomFloats(_ count: Int, _ rng: inout SplitMix64) -> [Float] {
        (0..<count).map { _ in Float(rng.nextDouble() * 2 - 1) * (rng.nextDouble() < 0.1 ? 1000 : 1) }
    }

    /// The largest difference, relative to the largest magnitude (the inputs mix scales of 1 and 1000).
    private func relativeError(_ a: [Float], _ b: [Float]) -> Float {
        (zip(a, b).map { abs($0 - $1) }.max() ?? .infinity) / max(1, b.map(abs).max() ?? 0)
    }

    /// Which of DeterministicGemm's products to run: the dispatched one (AVX where the CPU has it),
    /// the Swift vector one or the scalar reference.
    private enum Product { case dispatched, vector, scalar }

    /// `c (m × n, row stride ldc) = a (m × k) · b (k × n)`, or `c +=` with `accumulate`, by `product`.
    private func multiply(_ product: Product, m: Int, n: Int, k: Int, _ a: [Float], _ b: [Float], into c: inout [Float],
                          ldc: Int, accumulate: Bool = false) {
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    let (a, b, c) = (pa.baseAddress!, pb.baseAddress!, pc.baseAddress!)
                    switch product {
                    case .dispatched:
                        DeterministicGemm.multiply(m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: c, ldc: ldc, accumulate: accumulate)
                    case .vector:
                        DeterministicGemm.vector(m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: c, ldc: ldc, accumulate: accumulate)
                    case .scalar:
                        DeterministicGemm.scalar(m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: c, ldc: ldc, accumulate: accumulate)
                    }
                }
            }
        }
    }

    func testVectorAndScalarProductsAgreeBitForBit() {
        var rng = SplitMix64(seed: 7)
        for (m, n, k) in [(1, 1, 1), (1, 7, 5), (1, 8, 64), (1, 33, 17), (1, 100, 96), (3, 31, 9), (4, 8, 1), (4, 32, 75),
                          (5, 70, 200), (13, 9, 0), (16, 257, 48)] {
            let a = randomFloats(m * k, &rng), b = randomFloats(k * n, &rng)
            var fast = [Float](repeating: .nan, count: m * n), slow = fast, swiftVector = fast
            multiply(.dispatched, m: m, n: n, k: k, a, b, into: &fast, ldc: n)
            multiply(.vector, m: m, n: n, k: k, a, b, into: &swiftVector, ldc: n)
            multiply(.scalar, m: m, n: n, k: k, a, b, into: &slow, ldc: n)
            XCTAssertEqual(fast.map(\.bitPattern), slow.map(\.bitPattern), "\(m)×\(n)×\(k)")
            XCTAssertEqual(swiftVector.map(\.bitPattern), slow.map(\.bitPattern), "\(m)×\(n)×\(k) (Swift vectors)")
            // The same sum in two accumulating calls (k₁ then the rest) gives the same bits.
            guard k > 1 else { continue }
            let k1 = k / 3 + 1
            var split = [Float](repeating: .nan, count: m * n)
            var first = [Float](repeating: 0, count: m * k1), rest = [Float](repeating: 0, count: m * (k - k1))
            for i in 0..<m {
                for p in 0..<k1 { first[i * k1 + p] = a[i * k + p] }
                for p in k1..<k { rest[i * (k - k1) + p - k1] = a[i * k + p] }
            }
            multiply(.dispatched, m: m, n: n, k: k1, first, Array(b[..<(k1 * n)]), into: &split, ldc: n)
            multiply(.dispatched, m: m, n: n, k: k - k1, rest, Array(b[(k1 * n)...]), into: &split, ldc: n, accumulate: true)
            XCTAssertEqual(split.map(\.bitPattern), slow.map(\.bitPattern), "\(m)×\(n)×\(k) split at \(k1)")
        }
    }

    /// The right-edge columns (n not a multiple of 8) run as masked vectors: inside a wider C
    /// (ldc > n) they give the scalar sums and never write the columns past n.
    func testEdgeColumnsStayInsideTheirRows() {
        var rng = SplitMix64(seed: 11)
        for (m, n, k) in [(4, 1, 3), (4, 5, 9), (4, 20, 1152), (5, 13, 40), (1, 7, 6), (7, 23, 17)] {
            let ldc = n + 5
            let a = randomFloats(m * k, &rng), b = randomFloats(k * n, &rng)
            var c = [Float](repeating: 42, count: m * ldc), twice = [Float](repeating: .nan, count: m * n)
            // C = A·B, then C += A·B (accumulating from the masked loads of C).
            multiply(.dispatched, m: m, n: n, k: k, a, b, into: &c, ldc: ldc)
            multiply(.dispatched, m: m, n: n, k: k, a, b, into: &c, ldc: ldc, accumulate: true)
            multiply(.scalar, m: m, n: n, k: k, a, b, into: &twice, ldc: n)
            multiply(.scalar, m: m, n: n, k: k, a, b, into: &twice, ldc: n, accumulate: true)
            for i in 0..<m {
                XCTAssertEqual(c[(i * ldc)..<(i * ldc + n)].map(\.bitPattern), twice[(i * n)..<(i * n + n)].map(\.bitPattern),
                               "\(m)×\(n)×\(k) row \(i)")
                XCTAssertEqual(Array(c[(i * ldc + n)..<(i * ldc + ldc)]), [Float](repeating: 42, count: ldc - n),
                               "\(m)×\(n)×\(k): row \(i) was written past column \(n)")
            }
        }
    }

    /// out[o, y, x] = act((Σ_{c, ky, kx} w · x, in that order from zero) + bias).
    private func orderedConv(_ x: FloatTensor, weight: [Float], shape: [Int], bias: [Float], stride: Int, padding: Int,
                             act: Activation) -> [Float] {
        let (oc, ic, k) = (shape[0], shape[1], shape[2])
        let oh = (x.h + 2 * padding - k) / stride + 1, ow = (x.w + 2 * padding - k) / stride + 1
        var out = [Float](repeating: 0, count: oc * oh * ow)
        for o in 0..<oc {
            for oy in 0..<oh {
                for ox in 0..<ow {
                    var acc: Float = 0
                    for c in 0..<ic {
                        for ky in 0..<k {
                            for kx in 0..<k {
                                let iy = oy * stride + ky - padding, ix = ox * stride + kx - padding
                                let v: Float = iy >= 0 && iy < x.h && ix >= 0 && ix < x.w ? x[(c * x.h + iy) * x.w + ix] : 0
                                acc = acc + weight[((o * ic + c) * k + ky) * k + kx] * v
                            }
                        }
                    }
                    out[(o * oh + oy) * ow + ox] = act.apply(acc + bias[o])
                }
            }
        }
        return out
    }

    func testDeterministicConvolutionIsTheOrderedSum() throws {
        var rng = SplitMix64(seed: 11)
        // 3×3 stride 1 and 5×5 stride 2 (Winograd when fast), 1×1, 3×3 stride 2; inputs large
        // enough that the fast path would not take im2col.
        for (oc, ic, k, stride, h, w) in [(12, 8, 3, 1, 40, 36), (10, 8, 5, 2, 70, 66), (9, 16, 1, 1, 33, 35), (7, 5, 3, 2, 20, 19)] {
            let shape = [oc, ic, k, k]
            let weight = randomFloats(oc * ic * k * k, &rng), bias = randomFloats(oc, &rng)
            let x = try FloatTensor(shape: [1, ic, h, w], data: randomFloats(ic * h * w, &rng))
            let conv = try Conv2d(weight: weight, shape: shape, bias: bias, stride: stride, padding: k / 2)
            for act in [Activation.none, .leakyRelu] {
                let got = try conv(x, act, mode: .deterministic)
                let want = orderedConv(x, weight: weight, shape: shape, bias: bias, stride: stride, padding: k / 2, act: act)
                XCTAssertEqual(got.data.map(\.bitPattern), want.map(\.bitPattern), "\(shape) stride \(stride)")
                // The fast path computes the same convolution to float32 noise.
                let fast = try conv(x, act)
                XCTAssertLessThan(relativeError(fast.data, want), 1e-5, "\(shape) fast")
            }
        }
    }

    func testDeterministicTransposedConvolutionAndGDNMatchTheFastOnes() throws {
        var rng = SplitMix64(seed: 13)
        let (ic, oc) = (8, 6)
        let deconv = try ConvTranspose2d(weight: randomFloats(ic * oc * 25, &rng), shape: [ic, oc, 5, 5], bias: randomFloats(oc, &rng),
                                         stride: 2, padding: 2, outputPadding: 1)
        let x = try FloatTensor(shape: [1, ic, 24, 20], data: randomFloats(ic * 24 * 20, &rng))
        let det = try deconv(x, mode: .deterministic), fast = try deconv(x)
        XCTAssertEqual(det.shape, [1, oc, 48, 40])
        XCTAssertLessThan(relativeError(det.data, fast.data), 1e-5)
        XCTAssertEqual(try deconv(x, mode: .deterministic).data.map(\.bitPattern), det.data.map(\.bitPattern))

        let gdn = try GDN(beta: (0..<ic).map { _ in Float(rng.nextDouble()) + 0.5 }, gamma: (0..<(ic * ic)).map { _ in Float(rng.nextDouble()) * 0.1 },
                          inverse: true)
        let g = try gdn(x, mode: .deterministic), gf = try gdn(x)
        XCTAssertLessThan(zip(g.data, gf.data).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 1, 1e-4)
        // norm[i] = Σ_j γ[i, j]·x_j² in order of j, then β, then x·√norm.
        for p in [0, 7, 100, 479] {
            for i in 0..<ic {
                var acc: Float = 0
                for j in 0..<ic { let v = x[j * 480 + p]; acc = acc + gdn.gamma[i * ic + j] * (v * v) }
                XCTAssertEqual(g[i * 480 + p].bitPattern, (x[i * 480 + p] * (acc + gdn.beta[i]).squareRoot()).bitPattern)
            }
        }
    }

    func testPackedDenseLayerIsTheOrderedSum() throws {
        var rng = SplitMix64(seed: 17)
        for (outputs, inputs) in [(384, 288), (70, 33), (32, 1), (5, 9)] {
            let weight = randomFloats(outputs * inputs, &rng), bias = randomFloats(outputs, &rng), x = randomFloats(inputs, &rng)
            let layer = try DenseLayer(weight: weight, outputs: outputs, inputs: inputs, bias: bias, act: .leakyRelu)
            var got = [Float](repeating: .nan, count: outputs), split = got
            x.withUnsafeBufferPointer { px in
                got.withUnsafeMutableBufferPointer { layer.apply(px.baseAddress!, into: $0.baseAddress!) }
                let k1 = inputs / 2
                split.withUnsafeMutableBufferPointer { out in
                    layer.partial(px.baseAddress!, inputs: 0..<k1, into: out.baseAddress!, accumulate: false)
                    layer.partial(px.baseAddress! + k1, inputs: k1..<inputs, into: out.baseAddress!, accumulate: true)
                    layer.finish(out.baseAddress!)
                }
            }
            let want = (0..<outputs).map { o -> Float in
                var acc: Float = 0
                for k in 0..<inputs { acc = acc + x[k] * weight[o * inputs + k] }
                return Activation.leakyRelu.apply(acc + bias[o])
            }
            XCTAssertEqual(got.map(\.bitPattern), want.map(\.bitPattern), "\(outputs)×\(inputs)")
            XCTAssertEqual(split.map(\.bitPattern), want.map(\.bitPattern), "\(outputs)×\(inputs) split")
        }
    }
}
