// TinifyRuntime: runtime layer sequences built from the architectures' one declaration
// (TinifyArchitectures): which layers, in which order, with which kernel, stride and activation
// all come from the declared `[Layer]`; only the kernels and their tiling are chosen here.
import TinifyArchitectures
import TinifyWeights

/// Builds runtime sequences from declared transforms.
enum DeclaredTransforms {
    /// The declaration of `architecture`, bound to `store` (problems are left to the kernels,
    /// which name any missing or mis-shaped key).
    static func declaration(_ architecture: Architecture, _ store: WeightStore) throws -> ModelDeclaration {
        let state = CheckpointWeights(store, migrate: false)
        let h = try architecture.inferHyperparameters(state.byKey)
        return architecture.declare(ParameterScope(binding: state.byKey, h))
    }

    /// `layers` as a runtime sequence. Activations that follow a convolution run fused into it.
    /// `tile` is the Winograd tile of the 3×3 and 5×5 convolutions (`.f4` only where the output
    /// is not rounded afterwards, i.e. g_s).
    static func sequential(_ layers: [Layer], _ w: WeightReader, tile: WinogradTile = .f2) throws -> Sequential {
        var s = Sequential()
        var i = 0
        while i < layers.count {
            let next: Activation? = i + 1 < layers.count ? activation(layers[i + 1]) : nil
            let act = next ?? .none
            switch layers[i] {
            case .conv(let c):
                let conv = try Conv2d(w, prefix(c.weight, ".weight"), kernel: c.kernel, stride: c.stride, padding: c.kernel / 2, tile: tile)
                s.append { try conv($0, act, mode: $1) }
            case .deconv(let d):
                let deconv = try ConvTranspose2d(w, prefix(d.weight, ".weight"), kernel: d.kernel, stride: d.stride, tile: tile)
                s.append { try deconv($0, act, mode: $1) }
            case .subpel(let p):
                let (o, inC) = try channels(w, p.conv.weight)
                let sub = try SubpelConv(w, prefix(p.conv.weight, ".0.weight"), in: inC, out: o / (p.factor * p.factor), r: p.factor, tile: tile)
                s.append { try sub($0, act, mode: $1) }
            case .gdn(let g):
                let c = try w.shape(g.beta.key).first ?? 0
                let gdn = try GDN(w, prefix(g.beta, ".beta"), channels: c, inverse: g.inverse)
                s.appendInPlace { try gdn.apply(inPlace: &$0, mode: $1) }
            case .residual(let r):
                let (o, inC) = try channels(w, r.conv1.weight)
                let b = try ResidualBlock(w, prefix(r.conv1.weight, ".conv1.weight"), in: inC, out: o, tile: tile)
                s.append { try b($0, mode: $1) }
            case .residualWithStride(let r):
                let (o, inC) = try channels(w, r.conv1.weight)
                let b = try ResidualBlockWithStride(w, prefix(r.conv1.weight, ".conv1.weight"), in: inC, out: o, stride: r.conv1.stride)
                s.append { try b($0, mode: $1) }
            case .residualUpsample(let r):
                let (o, _) = try channels(w, r.conv.weight)
                let (_, inC) = try channels(w, r.subpelConv.conv.weight)
                let b = try ResidualBlockUpsample(w, prefix(r.subpelConv.conv.weight, ".subpel_conv.0.weight"), in: inC, out: o, tile: tile)
                s.append { try b($0, mode: $1) }
            case .attention(let a):
                guard let first = a.convA.first else { throw RuntimeError.badInput("attention block without units") }
                let n = try w.shape(first.conv0.weight.key)[1]
                let b = try AttentionBlock(w, prefix(first.conv0.weight, ".conv_a.0.conv.0.weight"), channels: n, tile: tile)
                s.append { try b($0, mode: $1) }
            case .residualBottleneck(let r):
                let b = try ResidualBottleneckBlock(w, prefix(r.conv1.weight, ".conv1.weight"), tile: tile)
                s.append { try b($0, mode: $1) }
            case .linear, .softplus:
                throw RuntimeError.layerMismatch("\(layers[i]) is not a convolutional layer")
            case .relu, .leakyReLU:
                // Only reached for an activation at the start of a sequence; others were fused.
                if let a = activation(layers[i]) { s.appendInPlace { x, _ in Elementwise.activate(&x, a) } }
            }
            // The convolutions applied the activation after them; any other layer gets it in place.
            switch layers[i] {
            case .conv, .deconv, .subpel, .relu, .leakyReLU: break
            default: if let next { s.appendInPlace { x, _ in Elementwise.activate(&x, next) } }
            }
            i += next == nil ? 1 : 2
        }
        return s
    }

    private static func activation(_ l: Layer) -> Activation? {
        switch l {
        case .relu: return .relu
        case .leakyReLU: return .leakyRelu
        default: return nil
        }
    }

    /// `g_a.0.conv1.weight` less `.conv1.weight` → `g_a.0`.
    static func prefix(_ t: BoundTensor, _ suffix: String) -> String {
        t.key.hasSuffix(suffix) ? String(t.key.dropLast(suffix.count)) : t.key
    }

    /// (out, in) channels of a conv weight.
    private static func channels(_ w: WeightReader, _ t: BoundTensor) throws -> (Int, Int) {
        let s = try w.shape(t.key)
        guard s.count == 4 else { throw RuntimeError.badShape(key: t.key, shape: s, expected: "[out, in, k, k]") }
        return (s[0], s[1])
    }
}

extension DeclaredTransforms {
    /// The runtime sequences of every transform `architecture` declares (empty where it has none).
    struct Built {
        /// N and M, as `from_state_dict` infers them (from g_s for a decoder's state dict).
        var n = 0, m = 0
        var gA = Sequential(), gS = Sequential(), hA = Sequential(), hS = Sequential(), entropyParameters = Sequential()
        /// entropy_parameters as per-position layers, for the autoregressive coding loop.
        var entropyParametersDense: [DenseLayer] = []
    }

    /// A declared sequence of 1×1 convolutions and activations as per-position dense layers.
    static func dense(_ layers: [Layer], _ w: WeightReader) throws -> [DenseLayer] {
        var out: [DenseLayer] = []
        var i = 0
        while i < layers.count {
            guard case .conv(let c) = layers[i], c.kernel == 1, c.stride == 1 else {
                throw RuntimeError.layerMismatch("entropy_parameters layer \(i) is not a 1×1 convolution")
            }
            let shape = try w.shape(c.weight.key)
            guard shape.count == 4, shape[2] == 1, shape[3] == 1 else {
                throw RuntimeError.badShape(key: c.weight.key, shape: shape, expected: "[out, in, 1, 1]")
            }
            let next: Activation? = i + 1 < layers.count ? activation(layers[i + 1]) : nil
            let bias = w.has(c.bias.key) ? try w.floats(c.bias.key, shape: [shape[0]]) : nil
            out.append(try DenseLayer(weight: try w.floats(c.weight.key), outputs: shape[0], inputs: shape[1], bias: bias, act: next ?? .none))
            i += next == nil ? 1 : 2
        }
        return out
    }

    /// Builds g_a, g_s, h_a, h_s and entropy_parameters from the declaration of `architecture`
    /// (g_a, g_s and h_a when first applied).
    /// g_s, which only shapes x̂, uses the faster Winograd tile; everything whose output is
    /// rounded afterwards (g_a, h_a, h_s, entropy_parameters) the exact one.
    static func build(_ architecture: Architecture, _ w: WeightReader) throws -> Built {
        let d = try declaration(architecture, w.store)
        var b = Built()
        (b.n, b.m) = (d.N, d.M)
        // One side's state dict (ModelPart) lacks the other side's transforms: those run as an
        // error naming the transform.
        func side(_ name: String, _ layers: [Layer], tile: WinogradTile = .f2) throws -> Sequential {
            // The transform's keys start with `name.`, or hold `.name.` under a latent codec
            // (`latent_codec.hyper.h_a.`).
            guard layers.isEmpty || w.store.keys.contains(where: { $0.hasPrefix(name + ".") || $0.contains("." + name + ".") }) else {
                var absent = Sequential()
                absent.append { _, _ in throw RuntimeError.transformAbsent(name) }
                return absent
            }
            // Built on first use: encoding needs no g_s, decoding no g_a or h_a.
            return Sequential.deferred { try sequential(layers, w, tile: tile) }
        }
        b.gA = try side("g_a", d.gA)
        b.gS = try side("g_s", d.gS, tile: .f4)
        b.hA = try side("h_a", d.hA)
        b.hS = try sequential(d.hS, w)
        b.entropyParameters = try sequential(d.entropyParameters, w)
        b.entropyParametersDense = try dense(d.entropyParameters, w)
        return b
    }
}
