// TinifyArchitectures: one slot of an `nn.Sequential` transform, and the helpers that declare them.

/// One slot of a sequential transform (g_a, g_s, h_a, h_s, entropy_parameters).
package enum Layer: Sendable {
    /// `nn.Conv2d` (padding k/2).
    case conv(Conv2d)
    /// `nn.ConvTranspose2d` (padding k/2, output padding stride−1).
    case deconv(ConvTranspose2d)
    /// GDN or IGDN.
    case gdn(GDN)
    /// `nn.ReLU`.
    case relu
    /// `nn.LeakyReLU(0.01)`.
    case leakyReLU
    /// `subpel_conv3x3` (conv + PixelShuffle).
    case subpel(SubpelConv)
    /// `ResidualBlock`.
    case residual(ResidualBlock)
    /// `ResidualBlockWithStride`.
    case residualWithStride(ResidualBlockWithStride)
    /// `ResidualBlockUpsample`.
    case residualUpsample(ResidualBlockUpsample)
    /// `AttentionBlock`.
    case attention(AttentionBlock)
    /// ELIC's `ResidualBottleneckBlock`.
    case residualBottleneck(ResidualBottleneckBlock)
    /// `nn.Linear` (the VBR models' small networks).
    case linear(Linear)
    /// `nn.Softplus` (no tensors).
    case softplus
}

extension SequentialScope {
    /// A conv (k, stride) from `i` to `o` channels.
    package func conv(_ i: Dim, _ o: Dim, k: Int = 5, stride: Int = 2) -> Layer {
        .conv(next("Conv2d") { Conv2d($0, i, o, kernel: k, stride: stride) })
    }
    /// A transposed conv (k 5, stride 2) from `i` to `o` channels.
    package func deconv(_ i: Dim, _ o: Dim, k: Int = 5, stride: Int = 2) -> Layer {
        .deconv(next("ConvTranspose2d") { ConvTranspose2d($0, i, o, kernel: k, stride: stride) })
    }
    /// GDN over `c` channels.
    package func gdn(_ c: Dim) -> Layer { .gdn(next("GDN") { GDN($0, c) }) }
    /// IGDN over `c` channels.
    package func igdn(_ c: Dim) -> Layer { .gdn(next("GDN") { GDN($0, c, inverse: true) }) }
    /// ReLU (no tensors).
    package func relu() -> Layer { slot(); return .relu }
    /// LeakyReLU (no tensors).
    package func leakyReLU() -> Layer { slot(); return .leakyReLU }
    /// A subpel conv from `i` to `o` channels, upscaling by `r`.
    package func subpel(_ i: Dim, _ o: Dim, r: Int = 2) -> Layer { .subpel(next("Sequential") { SubpelConv($0, i, o, r: r) }) }
    /// A residual block.
    package func residual(_ i: Dim, _ o: Dim) -> Layer { .residual(next("ResidualBlock") { ResidualBlock($0, i, o) }) }
    /// A strided residual block.
    package func residualWithStride(_ i: Dim, _ o: Dim) -> Layer { .residualWithStride(next("ResidualBlockWithStride") { ResidualBlockWithStride($0, i, o) }) }
    /// An upsampling residual block.
    package func residualUpsample(_ i: Dim, _ o: Dim) -> Layer { .residualUpsample(next("ResidualBlockUpsample") { ResidualBlockUpsample($0, i, o) }) }
    /// An attention block.
    package func attention(_ n: Dim) -> Layer { .attention(next("AttentionBlock") { AttentionBlock($0, n) }) }
    /// ELIC's residual bottleneck block from `n` to `n` channels (middle width n/2).
    package func residualBottleneck(_ n: Dim, mid: Dim) -> Layer {
        .residualBottleneck(next("ResidualBottleneckBlock") { ResidualBottleneckBlock($0, n, n, mid: mid) })
    }
    /// A linear layer from `i` to `o` features.
    package func linear(_ i: Dim, _ o: Dim) -> Layer { .linear(next("Linear") { Linear($0, i, o) }) }
    /// Softplus (no tensors).
    package func softplus() -> Layer { slot(); return .softplus }
}
