// TinifyArchitectures: CompressAI's latent codecs (compressai.latent_codecs) as the checkerboard
// model and ELIC compose them. `HyperpriorLatentCodec` holds a codec for y and a
// `HyperLatentCodec` (entropy bottleneck, h_a, h_s) in a plain dict, so their keys run through
// `latent_codec.y.*` and `latent_codec.hyper.*`; `CheckerboardLatentCodec` (He et al. 2021,
// "Checkerboard Context Model for Efficient Learned Image Compression", CVPR 2021) holds
// entropy_parameters, the checkerboard-masked context_prediction and a
// `GaussianConditionalLatentCodec` under `y`; `ChannelGroupsLatentCodec` (He et al. 2022, ELIC)
// keeps its channel contexts and per-group codecs in `nn.ModuleDict`s (`y0`, `y1`, …).

/// `CheckerboardLatentCodec(latent_codec={"y": GaussianConditionalLatentCodec}, entropy_parameters, context_prediction)`.
package struct CheckerboardLatentCodec: Sendable {
    /// The 1×1 convs from (context, hyperprior[, channel context]) to the Gaussian parameters.
    package let entropyParameters: [Layer]
    /// The checkerboard-masked 5×5 conv, latent → 2·latent channels.
    package let contextPrediction: MaskedConv2d
    /// `y.gaussian_conditional`.
    package let gaussianConditional: GaussianConditional
    /// Whether the Gaussian parameters are split as (means, scales) (ELIC Chandelier's
    /// `chunks=("means", "scales")`) rather than CompressAI's default (scales, means).
    package let meansFirst: Bool

    /// Declares the codec over `latent` channels; `entropyParameters` declares its sequential.
    init(_ s: ParameterScope, latent: Dim, meansFirst: Bool, entropyParameters: (SequentialScope) -> [Layer]) {
        self.entropyParameters = s.sequential("entropy_parameters", entropyParameters)
        contextPrediction = s.child("context_prediction", "CheckerboardMaskedConv2d") { MaskedConv2d($0, latent, latent.times(2)) }
        gaussianConditional = s.child("y", "GaussianConditionalLatentCodec") { c in
            c.child("gaussian_conditional", "GaussianConditional") { GaussianConditional($0) }
        }
        self.meansFirst = meansFirst
    }
}

/// `HyperLatentCodec(entropy_bottleneck, h_a, h_s)`: z's codec, in CompressAI 1.2.8's registration order.
package struct HyperLatentCodec: Sendable {
    /// `entropy_bottleneck` over N channels.
    package let entropyBottleneck: EntropyBottleneck
    /// The hyper-analysis and hyper-synthesis transforms.
    package let hA: [Layer], hS: [Layer]

    /// Declares the codec; `hA` and `hS` declare the transforms (named `h_a`, `h_s` by the caller).
    init(_ s: ParameterScope, hA: (ParameterScope) -> [Layer], hS: (ParameterScope) -> [Layer]) {
        entropyBottleneck = s.child("entropy_bottleneck", "EntropyBottleneck") { EntropyBottleneck($0, .N) }
        self.hA = hA(s)
        self.hS = hS(s)
    }
}

extension ModelDeclaration {
    /// mbt2018's entropy_parameters over `c` latent channels: 1×1 convs 4c → 10c/3 → 8c/3 → 2c with LeakyReLU.
    static func mbt2018EntropyParameters(_ q: SequentialScope, _ c: (Int, Int) -> Dim) -> [Layer] {
        [q.conv(c(12, 3), c(10, 3), k: 1, stride: 1), q.leakyReLU(), q.conv(c(10, 3), c(8, 3), k: 1, stride: 1), q.leakyReLU(),
         q.conv(c(8, 3), c(6, 3), k: 1, stride: 1)]
    }
}
