// TinifyArchitectures: the residual and attention blocks of Cheng et al. 2020
// ("Learned Image Compression with Discretized Gaussian Mixture Likelihoods and Attention
// Modules", CVPR 2020), mirroring compressai.layers.ResidualBlock, ResidualBlockWithStride,
// ResidualBlockUpsample, AttentionBlock, MaskedConv2d and CheckerboardMaskedConv2d, and ELIC's
// ResidualBottleneckBlock (He et al. 2022, compressai.models.sensetime).

/// `ResidualBlock(in, out)`: conv1 3×3 → LReLU → conv2 3×3 → LReLU, + identity (or `skip` 1×1).
package struct ResidualBlock: Sendable {
    /// The convs.
    package let conv1: Conv2d, conv2: Conv2d
    /// The 1×1 skip conv, present only when in ≠ out.
    package let skip: Conv2d?

    /// Declares the block. `sameWidth` says whether in = out (no skip conv).
    package init(_ s: ParameterScope, _ input: Dim, _ output: Dim, sameWidth: Bool = true) {
        conv1 = s.child("conv1", "Conv2d") { Conv2d($0, input, output, kernel: 3) }
        conv2 = s.child("conv2", "Conv2d") { Conv2d($0, output, output, kernel: 3) }
        skip = sameWidth ? nil : s.child("skip", "Conv2d") { Conv2d($0, input, output, kernel: 1) }
    }
}

/// `ResidualBlockWithStride(in, out, 2)`: conv1 3×3/2 → LReLU → conv2 3×3 → GDN, + skip 1×1/2.
package struct ResidualBlockWithStride: Sendable {
    /// The convs.
    package let conv1: Conv2d, conv2: Conv2d
    /// The GDN.
    package let gdn: GDN
    /// The strided 1×1 skip conv.
    package let skip: Conv2d

    /// Declares the block.
    package init(_ s: ParameterScope, _ input: Dim, _ output: Dim) {
        conv1 = s.child("conv1", "Conv2d") { Conv2d($0, input, output, kernel: 3, stride: 2) }
        conv2 = s.child("conv2", "Conv2d") { Conv2d($0, output, output, kernel: 3) }
        gdn = s.child("gdn", "GDN") { GDN($0, output) }
        skip = s.child("skip", "Conv2d") { Conv2d($0, input, output, kernel: 1, stride: 2) }
    }
}

/// `ResidualBlockUpsample(in, out, 2)`: subpel → LReLU → conv 3×3 → IGDN, + subpel upsample.
package struct ResidualBlockUpsample: Sendable {
    /// The main-path subpel conv.
    package let subpelConv: SubpelConv
    /// The 3×3 conv.
    package let conv: Conv2d
    /// The IGDN.
    package let igdn: GDN
    /// The shortcut subpel conv.
    package let upsample: SubpelConv

    /// Declares the block.
    package init(_ s: ParameterScope, _ input: Dim, _ output: Dim) {
        subpelConv = s.child("subpel_conv", "Sequential") { SubpelConv($0, input, output, r: 2) }
        conv = s.child("conv", "Conv2d") { Conv2d($0, output, output, kernel: 3) }
        igdn = s.child("igdn", "GDN") { GDN($0, output, inverse: true) }
        upsample = s.child("upsample", "Sequential") { SubpelConv($0, input, output, r: 2) }
    }
}

/// `AttentionBlock(N)`: `conv_a(x)·sigmoid(conv_b(x)) + x`, each branch of three residual units
/// (1×1 N→N/2, ReLU, 3×3, ReLU, 1×1 N/2→N; + x; ReLU), `conv_b` ending in a 1×1 conv.
package struct AttentionBlock: Sendable {
    /// One residual unit: convs at `.conv.0`, `.conv.2`, `.conv.4`.
    package struct Unit: Sendable {
        /// The three convs.
        package let conv0: Conv2d, conv2: Conv2d, conv4: Conv2d
        init(_ s: ParameterScope, _ n: Dim) {
            let half: Dim = { if case .n(let a, let b) = n { return .n(a, b * 2) }; if case .m(let a, let b) = n { return .m(a, b * 2) }; return n }()
            (conv0, conv2, conv4) = s.sequential("conv") { q in
                let a = q.next("Conv2d") { Conv2d($0, n, half, kernel: 1) }
                q.slot()
                let b = q.next("Conv2d") { Conv2d($0, half, half, kernel: 3) }
                q.slot()
                let c = q.next("Conv2d") { Conv2d($0, half, n, kernel: 1) }
                return (a, b, c)
            }
        }
    }
    /// The trunk branch.
    package let convA: [Unit]
    /// The mask branch's units and final 1×1 conv.
    package let convB: [Unit], convBOut: Conv2d

    /// Declares the block over `n` channels.
    package init(_ s: ParameterScope, _ n: Dim) {
        convA = s.sequential("conv_a") { q in (0..<3).map { _ in q.next("ResidualUnit") { Unit($0, n) } } }
        (convB, convBOut) = s.sequential("conv_b") { q in
            let units = (0..<3).map { _ in q.next("ResidualUnit") { Unit($0, n) } }
            return (units, q.next("Conv2d") { Conv2d($0, n, n, kernel: 1) })
        }
    }
}

/// `ResidualBottleneckBlock(in, out)` (ELIC): 1×1 in→mid, ReLU, 3×3 mid→mid, ReLU, 1×1 mid→out,
/// plus the identity (or a 1×1 `skip` when in ≠ out); mid = ⌊min(in, out)/2⌋.
package struct ResidualBottleneckBlock: Sendable {
    /// The convs.
    package let conv1: Conv2d, conv2: Conv2d, conv3: Conv2d
    /// The 1×1 skip conv, present only when in ≠ out.
    package let skip: Conv2d?

    /// Declares the block; `mid` is ⌊min(in, out)/2⌋ as a formula (ELIC: N/2).
    package init(_ s: ParameterScope, _ input: Dim, _ output: Dim, mid: Dim, sameWidth: Bool = true) {
        conv1 = s.child("conv1", "Conv2d") { Conv2d($0, input, mid, kernel: 1) }
        conv2 = s.child("conv2", "Conv2d") { Conv2d($0, mid, mid, kernel: 3) }
        conv3 = s.child("conv3", "Conv2d") { Conv2d($0, mid, output, kernel: 1) }
        skip = sameWidth ? nil : s.child("skip", "Conv2d") { Conv2d($0, input, output, kernel: 1) }
    }
}

/// `MaskedConv2d(in, out, 5, mask_type='A')` (mbt2018's serial context) or
/// `CheckerboardMaskedConv2d` (the two-pass context): a conv whose `mask` buffer is in the state dict.
/// Saved weights may hold non-zero masked taps: apply the mask before use.
package struct MaskedConv2d: Sendable {
    /// The conv (weight and bias).
    package let conv: Conv2d
    /// The mask (out, in, k, k).
    package let mask: BoundTensor

    /// Declares the masked conv.
    package init(_ s: ParameterScope, _ input: Dim, _ output: Dim, kernel: Int = 5) {
        conv = Conv2d(s, input, output, kernel: kernel)
        mask = s.tensor("mask", [output, input, .const(kernel), .const(kernel)], role: .buffer)
    }
}
