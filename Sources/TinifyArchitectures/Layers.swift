// TinifyArchitectures: typed layers, each declared once through a `ParameterScope`.
// Mirrors compressai.layers (GDN, subpel_conv3x3, ResidualBlock*, AttentionBlock, MaskedConv2d)
// and torch.nn.Conv2d / ConvTranspose2d. Weights stay in PyTorch layout:
// Conv2d (out, in, kh, kw), ConvTranspose2d (in, out, kh, kw).

/// `nn.Conv2d` with bias. Padding is `kernel / 2`.
package struct Conv2d: Sendable {
    /// Weight (out, in, k, k).
    package let weight: BoundTensor
    /// Bias (out).
    package let bias: BoundTensor
    /// Kernel size.
    package let kernel: Int
    /// Stride.
    package let stride: Int

    /// Declares `weight` and `bias` of a conv from `input` to `output` channels.
    package init(_ s: ParameterScope, _ input: Dim, _ output: Dim, kernel: Int, stride: Int = 1) {
        weight = s.tensor("weight", [output, input, .const(kernel), .const(kernel)])
        bias = s.tensor("bias", [output])
        self.kernel = kernel
        self.stride = stride
    }
}

/// `nn.ConvTranspose2d` with bias, padding `kernel / 2`, output padding `stride − 1`.
package struct ConvTranspose2d: Sendable {
    /// Weight (in, out, k, k).
    package let weight: BoundTensor
    /// Bias (out).
    package let bias: BoundTensor
    /// Kernel size.
    package let kernel: Int
    /// Stride.
    package let stride: Int

    /// Declares a transposed conv from `input` to `output` channels.
    package init(_ s: ParameterScope, _ input: Dim, _ output: Dim, kernel: Int = 5, stride: Int = 2) {
        weight = s.tensor("weight", [input, output, .const(kernel), .const(kernel)])
        bias = s.tensor("bias", [output])
        self.kernel = kernel
        self.stride = stride
    }
}

/// `compressai.layers.GDN` (or IGDN): stored β and γ are reparametrised; effective values are
/// `max(stored, bound)² − pedestal`, with bound and pedestal kept as buffers.
package struct GDN: Sendable {
    /// Stored β (C).
    package let beta: BoundTensor
    /// Stored γ (C, C); the first index is the output channel.
    package let gamma: BoundTensor
    /// `beta_reparam.pedestal`, `beta_reparam.lower_bound.bound`.
    package let betaPedestal: BoundTensor, betaBound: BoundTensor
    /// `gamma_reparam.pedestal`, `gamma_reparam.lower_bound.bound`.
    package let gammaPedestal: BoundTensor, gammaBound: BoundTensor
    /// Whether this is the inverse (IGDN).
    package let inverse: Bool

    /// Declares a GDN over `channels`.
    package init(_ s: ParameterScope, _ channels: Dim, inverse: Bool = false) {
        beta = s.tensor("beta", [channels])
        gamma = s.tensor("gamma", [channels, channels])
        func reparam(_ name: String) -> (BoundTensor, BoundTensor) {
            s.child(name, "NonNegativeParametrizer") { r in
                let p = r.tensor("pedestal", [.const(1)], role: .buffer)
                let b = r.child("lower_bound", "LowerBound") { $0.tensor("bound", [.const(1)], role: .buffer) }
                return (p, b)
            }
        }
        (betaPedestal, betaBound) = reparam("beta_reparam")
        (gammaPedestal, gammaBound) = reparam("gamma_reparam")
        self.inverse = inverse
    }
}

/// `subpel_conv3x3`: a 3×3 conv to `out·r²` channels (slot 0) and PixelShuffle(r) (slot 1).
package struct SubpelConv: Sendable {
    /// The conv.
    package let conv: Conv2d
    /// The upscale factor.
    package let factor: Int

    /// Declares a subpel conv from `input` to `output` channels, upscaling by `r`.
    package init(_ s: ParameterScope, _ input: Dim, _ output: Dim, r: Int) {
        conv = SubpelConv.declare(s, input, output, r)
        factor = r
    }
    private static func declare(_ s: ParameterScope, _ input: Dim, _ output: Dim, _ r: Int) -> Conv2d {
        s.child("0", "Conv2d") { Conv2d($0, input, output.times(r * r), kernel: 3) }
    }
}

/// `nn.Linear(in, out)` with bias: weight (out, in), bias (out).
package struct Linear: Sendable {
    /// Weight (out, in).
    package let weight: BoundTensor
    /// Bias (out).
    package let bias: BoundTensor

    /// Declares a linear layer from `input` to `output` features.
    package init(_ s: ParameterScope, _ input: Dim, _ output: Dim) {
        weight = s.tensor("weight", [output, input])
        bias = s.tensor("bias", [output])
    }
}
