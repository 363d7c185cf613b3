// TinifyRuntime: `elic2022-official` and `elic2022-chandelier`: He, Yang, Peng, Ma, Qin, Wang,
// "ELIC: Efficient Learned Image Compression with Unevenly Grouped Space-Channel Contextual
// Adaptive Coding" (CVPR 2022), and Chandelier's re-implementation; mirrors
// compressai.models.sensetime.Elic2022Official / Elic2022Chandelier and
// compressai.latent_codecs.ChannelGroupsLatentCodec (v1.2.8).
//
// y splits into channel groups g0…g(G−1). Group k's side parameters are h_s(ẑ) (k = 0) or
// cat(channel_context_k(earlier groups' ŷ), h_s(ẑ)) — official: all earlier groups; Chandelier:
// the first and the latest — and each group is coded by its own checkerboard codec
// (CheckerboardCodec). Strings [g0 anchors, g0 non-anchors, g1 anchors, …, z]; shape z's.
import TinifyCore
import TinifyArchitectures
import TinifyWeights

/// An ELIC model.
package final class Elic2022Engine: CompressionRuntimeModel, @unchecked Sendable {
    package let architecture: Architecture
    package let n: Int, m: Int
    package var downsamplingFactor: Int { 64 }
    /// The channel groups' widths.
    let groups: [Int]
    let transforms: DeclaredTransforms.Built
    /// The channel-context transforms of groups 1…G−1.
    let channelContext: [Sequential]
    /// One checkerboard codec per group.
    let codecs: [CheckerboardCodec]
    let entropyBottleneck: EntropyBottleneck
    private let store: WeightStore

    /// Binds the ELIC model `id` from canonical keys.
    package init(_ w: WeightReader, _ id: Architecture) throws {
        architecture = id
        store = w.store
        transforms = try DeclaredTransforms.build(id, w)
        (n, m) = (transforms.n, transforms.m)
        let d = try DeclaredTransforms.declaration(id, w.store)
        groups = d.hyperparameters.groups
        guard !groups.isEmpty, groups.allSatisfy({ $0 > 0 }), groups.reduce(0, +) == m,
              d.checkerboard.count == groups.count, d.channelContext.count == groups.count - 1 else {
            throw RuntimeError.layerMismatch("\(id.rawValue): channel groups \(groups) do not fit M = \(m)")
        }
        channelContext = try d.channelContext.map { try DeclaredTransforms.sequential($0, w) }
        codecs = try d.checkerboard.map { try CheckerboardCodec(w, $0) }
        entropyBottleneck = try EntropyBottleneck(w, "latent_codec.hyper.entropy_bottleneck", channels: n)
    }

    /// Group k's channels of y.
    private func range(_ k: Int) -> Range<Int> {
        let start = groups[..<k].reduce(0, +)
        return start..<(start + groups[k])
    }

    /// The decoded groups channel_context_k reads (`merge_y`).
    private func contextInput(_ k: Int, _ decoded: [FloatTensor]) throws -> FloatTensor {
        let picked = architecture == .elic2022Chandelier ? (k > 1 ? [decoded[0], decoded[k - 1]] : [decoded[0]]) : Array(decoded[..<k])
        return try picked.dropFirst().reduce(picked[0]) { try FloatTensor.concatChannels($0, $1) }
    }

    /// Group k's side parameters.
    private func side(_ k: Int, _ hyper: FloatTensor, _ decoded: [FloatTensor], mode: KernelMode) throws -> FloatTensor {
        guard k > 0 else { return hyper }
        return try FloatTensor.concatChannels(try channelContext[k - 1](try contextInput(k, decoded), mode: mode), hyper)
    }

    /// `forward` in eval mode (each group's codec two-pass, ste quantisation).
    package func forward(_ x: FloatTensor) throws -> ForwardResult {
        try checkInput(x, factor: downsamplingFactor)
        let y = try transforms.gA(x)
        let (zHat, zLik) = entropyBottleneck.forward(try transforms.hA(y))
        let hyper = try transforms.hS(zHat)
        var decoded: [FloatTensor] = [], likelihoods: [FloatTensor] = []
        for k in groups.indices {
            let (yHat, lik) = try codecs[k].forward(y.channels(range(k)), side: try side(k, hyper, decoded, mode: .fast))
            decoded.append(yHat)
            likelihoods.append(lik)
        }
        let yHat = try decoded.dropFirst().reduce(decoded[0]) { try FloatTensor.concatChannels($0, $1) }
        let yLik = try likelihoods.dropFirst().reduce(likelihoods[0]) { try FloatTensor.concatChannels($0, $1) }
        return ForwardResult(xHat: try transforms.gS(yHat), y: y, likelihoods: ["y": yLik, "z": zLik])
    }

    /// `aux_loss()`: the bottleneck's.
    package func auxLoss() -> Double { entropyBottleneck.auxLoss() }

    /// `update()`: the bottleneck's and every group's Gaussian conditional's tables.
    package func update(scaleTable: [Float]?, force: Bool) throws -> [String: Tensor] {
        try DeclaredEntropyModels(architecture, store: store).update(scaleTable: scaleTable, force: force)
    }

    package func checkCodingTables() throws {
        _ = try entropyBottleneck.codingTable.get()
        for codec in codecs {
            _ = try codec.gc.codingTable.get()
            _ = try codec.gc.storedScaleTable()
        }
    }

    /// `compress(x)`: strings [g0 anchors, g0 non-anchors, …, z], shape = z's height and width.
    package func compress(_ x: FloatTensor) throws -> CompressedLatents {
        try checkInput(x, factor: downsamplingFactor)
        let y = try transforms.gA(x)
        let (zStrings, zHat) = try entropyBottleneck.compressDecoded(try transforms.hA(y))
        let hyper = try transforms.hS(zHat, mode: .deterministic)
        var decoded: [FloatTensor] = [], strings: [[[UInt8]]] = []
        for k in groups.indices {
            let (s, yHat) = try codecs[k].compress(y.channels(range(k)), side: try side(k, hyper, decoded, mode: .deterministic))
            strings += s
            decoded.append(yHat)
        }
        return CompressedLatents(strings: strings + [zStrings], shape: [zHat.h, zHat.w])
    }

    /// ŷ decoded from strings [g0 anchors, g0 non-anchors, …, z].
    package func decodeLatent(_ c: CompressedLatents) throws -> FloatTensor {
        try checkLatents(c, groups: 2 * groups.count + 1)
        let zHat = try entropyBottleneck.decompress(c.strings[2 * groups.count], height: c.shape[0], width: c.shape[1])
        let hyper = try transforms.hS(zHat, mode: .deterministic)
        var decoded: [FloatTensor] = []
        for k in groups.indices {
            decoded.append(try codecs[k].decompress(c.strings[(2 * k)..<(2 * k + 2)], side: try side(k, hyper, decoded, mode: .deterministic)))
        }
        return try decoded.dropFirst().reduce(decoded[0]) { try FloatTensor.concatChannels($0, $1) }
    }

    package func synthesize(_ yHat: FloatTensor, bitExact: Bool) throws -> FloatTensor {
        clamped(try transforms.gS(yHat, mode: bitExact ? .deterministic : .fast))
    }
}
