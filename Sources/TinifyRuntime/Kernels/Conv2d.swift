// TinifyRuntime: torch.nn.Conv2d (cross-correlation, zero padding, any kernel/stride/padding).
// 3×3 stride-1 and 5×5 stride-2 convolutions run through Winograd (Winograd.swift, the latter
// reading the space-to-depth view of their input in place); every other shape through im2col +
// sgemm (GemmConv.swift), 1×1 stride-1 ones as a bare sgemm.

import TinifyCore

/// A 2-D convolution with PyTorch semantics; the weight stays in its (out, in, kh, kw) layout.
package final class Conv2d: @unchecked Sendable {
    /// Output channels.
    package let outChannels: Int
    /// Input channels.
    package let inChannels: Int
    /// Kernel height and width.
    package let kernel: (h: Int, w: Int)
    /// Stride (both dimensions).
    package let stride: Int
    /// Zero padding (both dimensions).
    package let padding: Int
    /// The bias, one per output channel.
    package let bias: [Float]?
    /// PixelShuffle factor applied to the output (1: none), for CompressAI's `subpel_conv3x3`.
    package let shuffle: Int
    /// The key prefix the weights came from (`g_a.0`), for errors.
    package let name: String
    /// How the convolution is computed.
    enum Engine {
        /// Winograd (3×3 stride 1).
        case winograd(any WinogradKernel)
        /// Winograd F(2×2) on the space-to-depth view of the input (5×5 stride 2).
        case spaceToDepth(Winograd3x3)
        /// im2col + sgemm.
        case im2col(GemmConvKernel)
    }
    /// The engine, made on first use (its weight transform is the costly part of building a model).
    private let deferredEngine: Deferred<Engine>
    var engine: Engine { deferredEngine.value }
    /// im2col + sgemm on the weights as they are, for outputs too small for Winograd to repay
    /// its weight transform (nil where that is the engine anyway).
    private let deferredDirect: Deferred<GemmConvKernel>?
    /// Outputs of fewer pixels per channel than this skip Winograd F(2×2) (its weight transform
    /// takes longer than the whole convolution of a 32×32 map).
    static let winogradMinPixels = 256 * 256
    /// The same for F(4×4), the tile of g_s: from 64×64 up its four-fold saving repays the weight
    /// transform (the grid of ConvTranspose2d's 128×128 outputs). Measured: a 768×512
    /// cheng2020-anchor-checkerboard decode takes about a quarter less CPU time than with
    /// `winogradMinPixels`; from 32×32 up it gains nothing more, and a 300×200 bmshj2018-hyperprior
    /// decode loses 10–20 % when its deconvolutions go on Winograd from 32×32.
    static let winogradF4MinPixels = 64 * 64
    /// The same for the 5×5 stride-2 convolutions on F(2×2), which read their input in place
    /// (`Winograd3x3.runSpaceToDepth`): the 1.56-fold saving repays the weight transform from
    /// 64×64 outputs. Measured on g_a's second convolution of a 300×200 image (128 channels,
    /// 64×80 outputs) in a whole `tinify compress`: 29–32 ms instead of 36–40 ms with im2col; at
    /// 32×40 the weight transform takes what the product saves.
    static let strided5x5MinPixels = 64 * 64
    /// The smallest output (pixels per channel) this convolution runs on Winograd.
    private let winogradFrom: Int

    /// A convolution over `weight` (out, in, kh, kw, C order) and `bias`, its output optionally
    /// pixel-shuffled. 3×3 stride-1 convolutions (padding 1) run through Winograd (`tile`), 5×5
    /// stride-2 ones (padding 2, from 8 input channels up) through F(2×2) whatever `tile`; the
    /// others through im2col + sgemm.
    package convenience init(weight: [Float], shape: [Int], bias: [Float]?, stride: Int, padding: Int, shuffle: Int = 1,
                            tile: WinogradTile = .f2, name: String = "") throws {
        try self.init(weights: WeightBuffer(weight), shape: shape, bias: bias, stride: stride, padding: padding, shuffle: shuffle,
                      tile: tile, name: name)
    }

    /// The same over weights that may be read in place from a checkpoint.
    package init(weights weight: WeightBuffer, shape: [Int], bias: [Float]?, stride: Int, padding: Int, shuffle: Int = 1,
                tile: WinogradTile = .f2, name: String = "") throws {
        guard shape.count == 4, shape.allSatisfy({ $0 > 0 }), Checked.product(shape) == weight.count,
              bias.map({ $0.count == shape[0] }) ?? true, stride > 0, padding >= 0, shuffle > 0 else {
            throw RuntimeError.layerMismatch("conv of shape \(shape) with \(weight.count) weights, \(bias?.count ?? 0) biases, stride \(stride), padding \(padding)")
        }
        outChannels = shape[0]; inChannels = shape[1]; self.name = name
        kernel = (shape[2], shape[3])
        self.stride = stride; self.padding = padding; self.bias = bias; self.shuffle = shuffle
        let threeByThree = shape[2] == 3 && shape[3] == 3 && stride == 1 && padding == 1 && (shuffle == 1 || shuffle == 2)
        let strided5x5 = shape[2] == 5 && shape[3] == 5 && stride == 2 && padding == 2 && shuffle == 1 && shape[1] >= 8
        winogradFrom = strided5x5 ? Conv2d.strided5x5MinPixels : tile == .f4 ? Conv2d.winogradF4MinPixels : Conv2d.winogradMinPixels
        func direct() -> GemmConvKernel {
            var dy: [Int] = [], dx: [Int] = []
            for ky in 0..<shape[2] { for kx in 0..<shape[3] { dy.append(ky - padding); dx.append(kx - padding) } }
            return GemmConvKernel(a: weight, m: shape[0], inC: shape[1], dy: dy, dx: dx, step: stride)
        }
        deferredDirect = threeByThree || strided5x5 ? Deferred(direct) : nil
        deferredEngine = Deferred {
            if threeByThree {
                return .winograd(Winograd.make(tile, weight: weight, outC: shape[0], inC: shape[1], bias: bias, shuffle: shuffle))
            }
            if strided5x5 { return .spaceToDepth(Winograd.strided5x5(weight: weight, outC: shape[0], inC: shape[1], bias: bias)) }
            return .im2col(direct())
        }
    }

    /// Binds `<prefix>.weight` and `<prefix>.bias` from `weights`, checking the channel counts.
    package convenience init(_ weights: WeightReader, _ prefix: String, in inC: Int? = nil, out outC: Int? = nil,
                            kernel k: Int? = nil, stride: Int = 1, padding: Int? = nil, mask: [Float]? = nil,
                            shuffle: Int = 1, tile: WinogradTile = .f2) throws {
        let key = prefix + ".weight"
        let shape = try weights.shape(key)
        guard shape.count == 4, inC.map({ $0 == shape[1] }) ?? true, outC.map({ $0 == shape[0] }) ?? true,
              k.map({ $0 == shape[2] && $0 == shape[3] }) ?? true, shape[2] == shape[3], shape[0] > 0, shape[1] > 0 else {
            throw RuntimeError.badShape(key: key, shape: shape,
                                        expected: "[\(outC.map(String.init) ?? "out"), \(inC.map(String.init) ?? "in"), \(k.map(String.init) ?? "k"), \(k.map(String.init) ?? "k")]")
        }
        let w: WeightBuffer
        if let mask {
            var masked = try weights.floats(key)
            for i in masked.indices { masked[i] *= mask[i % mask.count] }
            w = WeightBuffer(masked)
        } else {
            w = try weights.weights(key)
        }
        let b = weights.has(prefix + ".bias") ? try weights.floats(prefix + ".bias", shape: [shape[0]]) : nil
        try self.init(weights: w, shape: shape, bias: b, stride: stride, padding: padding ?? shape[2] / 2, shuffle: shuffle, tile: tile,
                      name: prefix)
    }

    /// The output height/width for an input of `h × w`.
    package func outputSize(_ h: Int, _ w: Int) -> (Int, Int) {
        ((h + 2 * padding - kernel.h) / stride + 1, (w + 2 * padding - kernel.w) / stride + 1)
    }

    /// Applies the convolution (then `act`, then the pixel shuffle) to an NCHW tensor;
    /// `.deterministic` always runs im2col with the deterministic product.
    package func callAsFunction(_ x: FloatTensor, _ act: Activation = .none, mode: KernelMode = .fast) throws -> FloatTensor {
        guard x.shape.count == 4, x.c == inChannels else {
            throw RuntimeError.layerMismatch("conv \(name) given \(x.shape), expected \(inChannels) input channels")
        }
        let (oh, ow) = outputSize(x.h, x.w)
        let direct: Bool
        if case .deterministic = mode { direct = true } else {
            try SystemLibraries.loadBLAS()
            direct = oh * ow < winogradFrom
        }
        switch direct ? deferredDirect.map({ Engine.im2col($0.value) }) ?? engine : engine {
        case .winograd(let winograd):
            return winograd(x, act)
        case .spaceToDepth(let f2):
            let (h, w, ci) = (x.h, x.w, inChannels)
            return x.withUnsafeBufferPointer { px in
                FloatTensor(shape: [x.n, outChannels, oh, ow]) { out in
                    for b in 0..<x.n {
                        f2.runSpaceToDepth(px.baseAddress! + b * ci * h * w, inH: h, inW: w, h: oh, w: ow,
                                           out: out + b * outChannels * oh * ow, act: act)
                    }
                }
            }
        case .im2col(let gemm):
            let inPlane = x.c * x.h * x.w, outPlane = outChannels * oh * ow
            let plain = FloatTensor(shape: [x.n, outChannels, max(oh, 0), max(ow, 0)]) { out in
                x.withUnsafeBufferPointer { px in
                    for b in 0..<x.n {
                        gemm.run(px.baseAddress! + b * inPlane, h: x.h, w: x.w, gridH: oh, gridW: ow,
                                 out: out + b * outPlane, bias: bias, act: act, mode: mode)
                    }
                }
            }
            return shuffle > 1 ? try PixelShuffle.apply(plain, shuffle) : plain
        }
    }
}
