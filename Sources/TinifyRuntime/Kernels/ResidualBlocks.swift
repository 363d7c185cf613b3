// TinifyRuntime: the residual blocks of Cheng, Sun, Takeuchi, Katto, "Learned Image Compression
// with Discretized Gaussian Mixture Likelihoods and Attention Modules" (CVPR 2020); mirror
// compressai.layers ResidualBlock, ResidualBlockWithStride, ResidualBlockUpsample, AttentionBlock.

/// `ResidualBlock(i, o)`: conv1 3×3 → LReLU → conv2 3×3 → LReLU, plus identity (or a 1×1 `skip`).
package final class ResidualBlock: @unchecked Sendable {
    let conv1: Conv2d, conv2: Conv2d, skip: Conv2d?

    /// Binds `<prefix>.conv1`, `.conv2` and, when present, `.skip`.
    package init(_ w: WeightReader, _ prefix: String, in i: Int, out o: Int, tile: WinogradTile = .f2) throws {
        conv1 = try Conv2d(w, prefix + ".conv1", in: i, out: o, kernel: 3, stride: 1, padding: 1, tile: tile)
        conv2 = try Conv2d(w, prefix + ".conv2", in: o, out: o, kernel: 3, stride: 1, padding: 1, tile: tile)
        skip = (i != o || w.has(prefix + ".skip.weight")) ? try Conv2d(w, prefix + ".skip", in: i, out: o, kernel: 1, stride: 1, padding: 0) : nil
    }

    /// Applies the block.
    package func callAsFunction(_ x: FloatTensor, mode: KernelMode = .fast) throws -> FloatTensor {
        var out = try conv2(try conv1(x, .leakyRelu, mode: mode), .leakyRelu, mode: mode)
        try Elementwise.addInPlace(&out, try skip.map { try $0(x, mode: mode) } ?? x)
        return out
    }
}

/// `ResidualBlockWithStride(i, o, 2)`: conv1 3×3 s2 → LReLU → conv2 3×3 → GDN, plus `skip` (1×1 s2).
package final class ResidualBlockWithStride: @unchecked Sendable {
    let conv1: Conv2d, conv2: Conv2d, gdn: GDN, skip: Conv2d?

    /// Binds `<prefix>.conv1`, `.conv2`, `.gdn` and `.skip`.
    package init(_ w: WeightReader, _ prefix: String, in i: Int, out o: Int, stride: Int = 2) throws {
        conv1 = try Conv2d(w, prefix + ".conv1", in: i, out: o, kernel: 3, stride: stride, padding: 1)
        conv2 = try Conv2d(w, prefix + ".conv2", in: o, out: o, kernel: 3, stride: 1, padding: 1)
        gdn = try GDN(w, prefix + ".gdn", channels: o, inverse: false)
        skip = (stride != 1 || i != o) ? try Conv2d(w, prefix + ".skip", in: i, out: o, kernel: 1, stride: stride, padding: 0) : nil
    }

    /// Applies the block.
    package func callAsFunction(_ x: FloatTensor, mode: KernelMode = .fast) throws -> FloatTensor {
        var out = try conv2(try conv1(x, .leakyRelu, mode: mode), mode: mode)
        try gdn.apply(inPlace: &out, mode: mode)
        try Elementwise.addInPlace(&out, try skip.map { try $0(x, mode: mode) } ?? x)
        return out
    }
}

/// `ResidualBlockUpsample(i, o, 2)`: subpel → LReLU → conv 3×3 → IGDN, plus `upsample` (subpel).
package final class ResidualBlockUpsample: @unchecked Sendable {
    let subpel: SubpelConv, conv: Conv2d, igdn: GDN, upsample: SubpelConv

    /// Binds `<prefix>.subpel_conv`, `.conv`, `.igdn` and `.upsample`.
    package init(_ w: WeightReader, _ prefix: String, in i: Int, out o: Int, r: Int = 2, tile: WinogradTile = .f2) throws {
        subpel = try SubpelConv(w, prefix + ".subpel_conv", in: i, out: o, r: r, tile: tile)
        conv = try Conv2d(w, prefix + ".conv", in: o, out: o, kernel: 3, stride: 1, padding: 1, tile: tile)
        igdn = try GDN(w, prefix + ".igdn", channels: o, inverse: true)
        upsample = try SubpelConv(w, prefix + ".upsample", in: i, out: o, r: r, tile: tile)
    }

    /// Applies the block.
    package func callAsFunction(_ x: FloatTensor, mode: KernelMode = .fast) throws -> FloatTensor {
        var out = try conv(try subpel(x, .leakyRelu, mode: mode), mode: mode)
        try igdn.apply(inPlace: &out, mode: mode)
        try Elementwise.addInPlace(&out, try upsample(x, mode: mode))
        return out
    }
}

/// `AttentionBlock(N)`: out = conv_a(x) · sigmoid(conv_b(x)) + x, with residual units
/// conv1×1(N→N/2) → ReLU → conv3×3 → ReLU → conv1×1(N/2→N), + x, ReLU.
package final class AttentionBlock: @unchecked Sendable {
    typealias Unit = (Conv2d, Conv2d, Conv2d)
    let a: [Unit], b: [Unit], bOut: Conv2d

    /// Binds `<prefix>.conv_a.{0,1,2}.conv.{0,2,4}`, `<prefix>.conv_b.{0,1,2}.conv.{0,2,4}` and `conv_b.3`.
    package init(_ w: WeightReader, _ prefix: String, channels n: Int, tile: WinogradTile = .f2) throws {
        func unit(_ p: String) throws -> Unit {
            (try Conv2d(w, p + ".conv.0", in: n, out: n / 2, kernel: 1, stride: 1, padding: 0),
             try Conv2d(w, p + ".conv.2", in: n / 2, out: n / 2, kernel: 3, stride: 1, padding: 1, tile: tile),
             try Conv2d(w, p + ".conv.4", in: n / 2, out: n, kernel: 1, stride: 1, padding: 0))
        }
        a = try (0..<3).map { try unit("\(prefix).conv_a.\($0)") }
        b = try (0..<3).map { try unit("\(prefix).conv_b.\($0)") }
        bOut = try Conv2d(w, prefix + ".conv_b.3", in: n, out: n, kernel: 1, stride: 1, padding: 0)
    }

    static func run(_ u: Unit, _ x: FloatTensor, mode: KernelMode) throws -> FloatTensor {
        var out = try u.2(try u.1(try u.0(x, .relu, mode: mode), .relu, mode: mode), mode: mode)
        try Elementwise.addInPlace(&out, x)
        Elementwise.activate(&out, .relu)
        return out
    }

    /// Applies the block.
    package func callAsFunction(_ x: FloatTensor, mode: KernelMode = .fast) throws -> FloatTensor {
        let ya = try a.reduce(x) { try AttentionBlock.run($1, $0, mode: mode) }
        let yb = try bOut(try b.reduce(x) { try AttentionBlock.run($1, $0, mode: mode) }, mode: mode)
        return try Elementwise.gate(ya, yb, plus: x, mode: mode)
    }
}

/// CompressAI's `MaskedConv2d` with mask type 'A' (PixelCNN): the taps at and after the centre of
/// the kernel are zeroed here, whatever the saved weight holds.
package enum MaskedConv {
    /// The 'A' mask of a k×k kernel, as a k·k array (1 = kept).
    package static func maskA(_ k: Int) -> [Float] {
        (0..<(k * k)).map { i in
            let (r, c) = (i / k, i % k)
            return (r < k / 2 || (r == k / 2 && c < k / 2)) ? 1 : 0
        }
    }

    /// The (row, column) offsets of the taps the 'A' mask of a k×k kernel keeps, in row order.
    package static func taps(_ k: Int) -> [(row: Int, column: Int)] {
        maskA(k).enumerated().compactMap { $0.element == 1 ? (row: $0.offset / k, column: $0.offset % k) : nil }
    }

    /// A convolution over `weight` (out, in, k, k, unmasked as stored) with the 'A' mask applied.
    package static func make(weight: [Float], shape: [Int], bias: [Float]?) throws -> Conv2d {
        let mask = maskA(shape[2])
        let masked = weight.indices.map { weight[$0] * mask[$0 % mask.count] }
        return try Conv2d(weight: masked, shape: shape, bias: bias, stride: 1, padding: shape[2] / 2)
    }
}

/// ELIC's `ResidualBottleneckBlock` (He et al. 2022, compressai.models.sensetime): 1×1 in→mid,
/// ReLU, 3×3 mid→mid, ReLU, 1×1 mid→out, plus the identity (or a 1×1 `skip`).
package final class ResidualBottleneckBlock: @unchecked Sendable {
    let conv1: Conv2d, conv2: Conv2d, conv3: Conv2d, skip: Conv2d?

    /// Binds `<prefix>.conv1`, `.conv2`, `.conv3` and, when present, `.skip`.
    package init(_ w: WeightReader, _ prefix: String, tile: WinogradTile = .f2) throws {
        conv1 = try Conv2d(w, prefix + ".conv1", kernel: 1, stride: 1, padding: 0)
        conv2 = try Conv2d(w, prefix + ".conv2", in: conv1.outChannels, out: conv1.outChannels, kernel: 3, stride: 1, padding: 1, tile: tile)
        conv3 = try Conv2d(w, prefix + ".conv3", in: conv1.outChannels, kernel: 1, stride: 1, padding: 0)
        skip = w.has(prefix + ".skip.weight") ? try Conv2d(w, prefix + ".skip", in: conv1.inChannels, out: conv3.outChannels, kernel: 1, stride: 1, padding: 0) : nil
        guard skip != nil || conv1.inChannels == conv3.outChannels else {
            throw RuntimeError.layerMismatch("\(prefix): \(conv1.inChannels) → \(conv3.outChannels) channels without a skip conv")
        }
    }

    /// Applies the block.
    package func callAsFunction(_ x: FloatTensor, mode: KernelMode = .fast) throws -> FloatTensor {
        var out = try conv3(try conv2(try conv1(x, .relu, mode: mode), .relu, mode: mode), mode: mode)
        try Elementwise.addInPlace(&out, try skip.map { try $0(x, mode: mode) } ?? x)
        return out
    }
}
