// RuntimeTests: the convolution engines (Winograd F(4×4, 3×3), space-to-depth, transposed phases,
// im2col + sgemm) against a direct, loop-by-loop evaluation of PyTorch's definitions, on odd
// sizes and a batch of two.
import XCTest
import TinifyRuntime

/// Deterministic pseudo-random floats in [-1, 1).
struct Noise {
    var state: UInt64
    mutating func next() -> Float {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(Int64(bitPattern: state >> 11) % 2_000_000) / 1_000_000 - 1
    }
    mutating func array(_ n: Int) -> [Float] { (0..<n).map { _ in next() } }
}

enum Direct {
    /// torch.nn.functional.conv2d (weight (o, c, k, k)).
    static func conv(_ x: [Float], n: Int, c: Int, h: Int, w: Int, weight: [Float], o: Int, k: Int,
                     bias: [Float]?, stride s: Int, padding p: Int) -> (out: [Float], h: Int, w: Int) {
        let oh = (h + 2 * p - k) / s + 1, ow = (w + 2 * p - k) / s + 1
        var out = [Float](repeating: 0, count: n * o * oh * ow)
        for b in 0..<n { for oc in 0..<o { for y in 0..<oh { for xx in 0..<ow {
            var acc = Double(bias?[oc] ?? 0)
            for ic in 0..<c { for ky in 0..<k { for kx in 0..<k {
                let iy = y * s - p + ky, ix = xx * s - p + kx
                if iy >= 0 && iy < h && ix >= 0 && ix < w {
                    acc += Double(weight[((oc * c + ic) * k + ky) * k + kx]) * Double(x[((b * c + ic) * h + iy) * w + ix])
                }
            } } }
            out[((b * o + oc) * oh + y) * ow + xx] = Float(acc)
        } } } }
        return (out, oh, ow)
    }

    /// torch.nn.functional.conv_transpose2d (weight (c, o, k, k)).
    static func deconv(_ x: [Float], n: Int, c: Int, h: Int, w: Int, weight: [Float], o: Int, k: Int,
                       bias: [Float]?, stride s: Int, padding p: Int, outputPadding op: Int) -> (out: [Float], h: Int, w: Int) {
        let oh = (h - 1) * s - 2 * p + k + op, ow = (w - 1) * s - 2 * p + k + op
        var acc = [Double](repeating: 0, count: n * o * oh * ow)
        for b in 0..<n { for ic in 0..<c { for y in 0..<h { for xx in 0..<w {
            let v = Double(x[((b * c + ic) * h + y) * w + xx])
            for oc in 0..<o { for ky in 0..<k { for kx in 0..<k {
                let oy = y * s - p + ky, ox = xx * s - p + kx
                if oy >= 0 && oy < oh && ox >= 0 && ox < ow {
                    acc[((b * o + oc) * oh + oy) * ow + ox] += v * Double(weight[((ic * o + oc) * k + ky) * k + kx])
                }
            } } }
        } } } }
        for b in 0..<n { for oc in 0..<o { for i in 0..<(oh * ow) { acc[(b * o + oc) * oh * ow + i] += Double(bias?[oc] ?? 0) } } }
        return (acc.map(Float.init), oh, ow)
    }
}

final class KernelTests: XCTestCase {
    /// Data that does not fit a kernel is a thrown error naming the layer, never a trap.
    func testKernelsThrowOnTensorsTheyWereNotBuiltFor() throws {
        func mismatch(_ body: () throws -> Any, _ part: String, line: UInt = #line) {
            XCTAssertThrowsError(try body(), line: line) { e in
                guard case RuntimeError.layerMismatch(let text) = e else { return XCTFail("\(e)", line: line) }
                XCTAssertTrue(text.contains(part), text, line: line)
            }
        }
        mismatch({ try Conv2d(weight: [1, 2, 3], shape: [2, 2, 1, 1], bias: nil, stride: 1, padding: 0) }, "[2, 2, 1, 1]")
        mismatch({ try Conv2d(weight: [1, 2, 3, 4], shape: [2, 2, 1, 1], bias: [1], stride: 1, padding: 0) }, "1 biases")
        mismatch({ try ConvTranspose2d(weight: [Float](repeating: 0, count: 8), shape: [2, 2, 2, 1], bias: nil, stride: 2, padding: 0, outputPadding: 1) }, "deconv")
        mismatch({ try GDN(beta: [1, 1], gamma: [1, 1, 1], inverse: false) }, "3 gammas")
        mismatch({ try FloatTensor(shape: [2, 3], data: [1, 2]) }, "2 values")
        let conv = try Conv2d(weight: [Float](repeating: 1, count: 8), shape: [2, 4, 1, 1], bias: nil, stride: 1, padding: 0, name: "g_a.0")
        mismatch({ try conv(FloatTensor(shape: [1, 3, 2, 2], repeating: 0)) }, "g_a.0")
        let gdn = try GDN(beta: [1, 1], gamma: [1, 0, 0, 1], inverse: true, name: "g_s.1")
        mismatch({ try gdn(FloatTensor(shape: [1, 3, 2, 2], repeating: 0)) }, "g_s.1")
        mismatch({ try PixelShuffle.apply(FloatTensor(shape: [1, 3, 2, 2], repeating: 0), 2) }, "pixel shuffle")
        mismatch({ try FloatTensor.concatChannels(FloatTensor(shape: [1, 3, 2, 2], repeating: 0), FloatTensor(shape: [1, 3, 2, 3], repeating: 0)) }, "concatenation")
    }

    func maxError(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) } }

    func testConvolutionsMatchTheDirectDefinition() throws {
        var noise = Noise(state: 7)
        // (in, out, kernel, stride, padding, h, w): Winograd, space-to-depth Winograd, im2col, 1×1.
        let cases = [(5, 7, 3, 1, 1, 9, 13), (16, 8, 3, 1, 1, 17, 6), (3, 6, 5, 2, 2, 11, 14), (4, 5, 5, 2, 2, 8, 8),
                     (6, 4, 3, 2, 1, 9, 7), (6, 9, 1, 1, 0, 5, 7), (6, 9, 1, 2, 0, 5, 7), (3, 4, 5, 1, 2, 6, 9)]
        for (ci, co, k, s, p, h, w) in cases {
            let n = 2
            let x = noise.array(n * ci * h * w), weight = noise.array(co * ci * k * k), bias = noise.array(co)
            let conv = try Conv2d(weight: weight, shape: [co, ci, k, k], bias: bias, stride: s, padding: p)
            let got = try conv(try FloatTensor(shape: [n, ci, h, w], data: x))
            let want = Direct.conv(x, n: n, c: ci, h: h, w: w, weight: weight, o: co, k: k, bias: bias, stride: s, padding: p)
            XCTAssertEqual(got.shape, [n, co, want.h, want.w], "conv \(ci)→\(co) k\(k) s\(s)")
            XCTAssertLessThan(maxError(got.data, want.out), 1e-5, "conv \(ci)→\(co) k\(k) s\(s) p\(p) \(h)×\(w)")
        }
    }

    func testFastWinogradTileMatchesTheDirectDefinition() throws {
        var noise = Noise(state: 13)
        // F(4×4, 3×3): 3×3 convolutions (with and without pixel shuffle) and k5 s2 (transposed).
        for (ci, co, h, w) in [(5, 7, 9, 13), (16, 8, 17, 6), (8, 4, 4, 4)] {
            let x = noise.array(2 * ci * h * w), weight = noise.array(co * ci * 9), bias = noise.array(co)
            let conv = try Conv2d(weight: weight, shape: [co, ci, 3, 3], bias: bias, stride: 1, padding: 1, tile: .f4)
            let got = try conv(try FloatTensor(shape: [2, ci, h, w], data: x))
            let want = Direct.conv(x, n: 2, c: ci, h: h, w: w, weight: weight, o: co, k: 3, bias: bias, stride: 1, padding: 1)
            XCTAssertLessThan(maxError(got.data, want.out), 6e-5, "f4 conv \(ci)→\(co) \(h)×\(w)")
        }
        for (ci, co, h, w) in [(6, 5, 5, 7), (9, 3, 3, 2)] {
            let x = noise.array(ci * h * w), weight = noise.array(ci * co * 25), bias = noise.array(co)
            let deconv = try ConvTranspose2d(weight: weight, shape: [ci, co, 5, 5], bias: bias, stride: 2, padding: 2, outputPadding: 1, tile: .f4)
            let got = try deconv(try FloatTensor(shape: [1, ci, h, w], data: x))
            let want = Direct.deconv(x, n: 1, c: ci, h: h, w: w, weight: weight, o: co, k: 5, bias: bias, stride: 2, padding: 2, outputPadding: 1)
            XCTAssertEqual(got.shape, [1, co, want.h, want.w])
            XCTAssertLessThan(maxError(got.data, want.out), 6e-5, "f4 deconv \(ci)→\(co) \(h)×\(w)")
        }
    }

    func testTransposedConvolutionsMatchTheDirectDefinition() throws {
        var noise = Noise(state: 11)
        // (in, out, kernel, stride, padding, output padding, h, w): Winograd path, then phase paths.
        let cases = [(6, 5, 5, 2, 2, 1, 5, 7), (3, 4, 5, 2, 2, 1, 1, 1), (4, 3, 3, 2, 1, 1, 6, 5), (5, 2, 4, 2, 1, 0, 4, 3), (3, 3, 3, 1, 1, 0, 5, 4)]
        for (ci, co, k, s, p, op, h, w) in cases {
            let n = 2
            let x = noise.array(n * ci * h * w), weight = noise.array(ci * co * k * k), bias = noise.array(co)
            let deconv = try ConvTranspose2d(weight: weight, shape: [ci, co, k, k], bias: bias, stride: s, padding: p, outputPadding: op)
            let got = try deconv(try FloatTensor(shape: [n, ci, h, w], data: x))
            let want = Direct.deconv(x, n: n, c: ci, h: h, w: w, weight: weight, o: co, k: k, bias: bias, stride: s, padding: p, outputPadding: op)
            XCTAssertEqual(got.shape, [n, co, want.h, want.w], "deconv \(ci)→\(co) k\(k) s\(s)")
            XCTAssertLessThan(maxError(got.data, want.out), 1e-5, "deconv \(ci)→\(co) k\(k) s\(s) p\(p) op\(op) \(h)×\(w)")
        }
    }

    func testFusedActivationsAndPixelShuffle() throws {
        var noise = Noise(state: 3)
        let (ci, co, h, w) = (4, 3, 5, 6)
        let x = noise.array(ci * h * w), weight = noise.array(co * 4 * ci * 9), bias = noise.array(co * 4)
        let plain = try Conv2d(weight: weight, shape: [co * 4, ci, 3, 3], bias: bias, stride: 1, padding: 1)
        let shuffled = try Conv2d(weight: weight, shape: [co * 4, ci, 3, 3], bias: bias, stride: 1, padding: 1, shuffle: 2)
        let input = try FloatTensor(shape: [1, ci, h, w], data: x)
        let base = try plain(input)
        // out[c, y·2+a, x·2+b] = in[c·4 + a·2 + b, y, x], then LeakyReLU.
        let got = try shuffled(input, .leakyRelu)
        XCTAssertEqual(got.shape, [1, co, 2 * h, 2 * w])
        var worst: Float = 0
        for c in 0..<co { for y in 0..<h { for xx in 0..<w { for a in 0..<2 { for b in 0..<2 {
            let v = base[((c * 4 + a * 2 + b) * h + y) * w + xx]
            let expected = v > 0 ? v : v * 0.01
            worst = max(worst, abs(got[(c * 2 * h + y * 2 + a) * 2 * w + xx * 2 + b] - expected))
        } } } } }
        XCTAssertLessThan(worst, 1e-6)
        XCTAssertEqual(try PixelShuffle.apply(base, 2).data.map { $0 > 0 ? $0 : $0 * 0.01 }, got.data.map { $0 })
        let relu = try plain(input, .relu)
        XCTAssertTrue(zip(relu.data, base.data).allSatisfy { $0.0 == max($0.1, 0) })
    }

    func testGDNAndIGDNMatchTheirDefinition() throws {
        var noise = Noise(state: 5)
        let (c, h, w) = (6, 4, 5)
        let x = noise.array(c * h * w)
        let beta = noise.array(c).map { abs($0) + 0.1 }, gamma = noise.array(c * c).map { abs($0) }
        for inverse in [false, true] {
            let got = try GDN(beta: beta, gamma: gamma, inverse: inverse)(try FloatTensor(shape: [1, c, h, w], data: x))
            var worst: Float = 0
            for i in 0..<c { for p in 0..<(h * w) {
                var norm = Double(beta[i])
                for j in 0..<c { norm += Double(gamma[i * c + j]) * Double(x[j * h * w + p]) * Double(x[j * h * w + p]) }
                let v = Double(x[i * h * w + p]) * (inverse ? norm.squareRoot() : 1 / norm.squareRoot())
                worst = max(worst, Float(abs(v - Double(got[i * h * w + p]))))
            } }
            XCTAssertLessThan(worst, 1e-5, inverse ? "igdn" : "gdn")
        }
    }

    func testMaskAIsPixelCNNsTypeA() {
        let mask = MaskedConv.maskA(5)
        XCTAssertEqual(mask.reduce(0, +), 12)
        for r in 0..<5 { for c in 0..<5 {
            XCTAssertEqual(mask[r * 5 + c], (r < 2 || (r == 2 && c < 2)) ? 1 : 0, "tap \(r),\(c)")
        } }
    }
}
