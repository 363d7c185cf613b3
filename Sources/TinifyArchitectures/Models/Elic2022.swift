// TinifyArchitectures: Elic2022Official (`elic2022-official`) and Elic2022Chandelier
// (`elic2022-chandelier`).
//
// He, Yang, Peng, Ma, Qin, Wang, "ELIC: Efficient Learned Image Compression with Unevenly
// Grouped Space-Channel Contextual Adaptive Coding", CVPR 2022; Chandelier's variant after
// V. Chandelier, "ELiC-ReImplemetation" (2023). Mirrors
// compressai.models.sensetime.Elic2022Official and Elic2022Chandelier.
//
//   x ─▶ g_a (5×5/2 convs, residual bottleneck blocks, attention) ─▶ y, split into channel
//        groups g0…g(G−1) (default 16, 16, 32, 64, M−128)
//   group k: channel context of earlier groups (official: all of them; Chandelier: the first
//        and the latest) ─▶ 5×5 convs → 224 → 128 → 2·gk, then a checkerboard codec whose
//        entropy_parameters read (spatial context, channel context, hyperprior)
//   latent_codec.hyper: EntropyBottleneck(N), h_a (M → N, 3×3; then 5×5/2 twice),
//        h_s (5×5/2 deconvs; official: 3×3 deconv to 2N; Chandelier: 3×3 conv to 2M)
//
// Official param aggregation: sequential_channel_ramp(in, 2·gk, min 2N, 3 layers, ReLU);
// Chandelier: 1×1 convs in → 2M → 512 → 2·gk with ReLU. Chandelier's Gaussian parameters are
// (means, scales).

extension ModelDeclaration {
    /// `elic2022-official` (`chandelier` false) or `elic2022-chandelier`: Elic2022*(N, M, groups).
    static func elic2022(_ s: ParameterScope, chandelier: Bool) -> ModelDeclaration {
        let h = s.hyperparameters
        let groups = h.groups.isEmpty ? Architecture.defaultGroups(M: h.M) : h.groups
        let mid = Dim.n(1, 2)
        let gA: [Layer] = s.sequential("g_a") { q in
            func blocks() -> [Layer] { (0..<3).map { _ in q.residualBottleneck(.N, mid: mid) } }
            return [q.conv(.const(3), .N)] + blocks() + [q.conv(.N, .N)] + blocks() + [q.attention(.N), q.conv(.N, .N)] + blocks()
                + [q.conv(.N, .M), q.attention(.M)]
        }
        let gS: [Layer] = s.sequential("g_s") { q in
            func blocks() -> [Layer] { (0..<3).map { _ in q.residualBottleneck(.N, mid: mid) } }
            return [q.attention(.M), q.deconv(.M, .N)] + blocks() + [q.deconv(.N, .N), q.attention(.N)] + blocks() + [q.deconv(.N, .N)]
                + blocks() + [q.deconv(.N, .const(3))]
        }
        // Channels the channel context of group k reads.
        func contextInput(_ k: Int) -> Dim {
            if chandelier { return k > 1 ? .sum(.group(0, 1), .group(k - 1, 1)) : .group(0, 1) }
            return (1..<k).reduce(Dim.group(0, 1)) { .sum($0, .group($1, 1)) }
        }
        func paramAggregation(_ q: SequentialScope, _ k: Int) -> [Layer] {
            let hyper: Dim = chandelier ? .m(2, 1) : .n(2, 1)
            let input: Dim = .sum(.group(k, k > 0 ? 4 : 2), hyper)
            let out: Dim = .group(k, 2)
            if chandelier {
                return [q.conv(input, .m(2, 1), k: 1, stride: 1), q.relu(), q.conv(.m(2, 1), .const(512), k: 1, stride: 1), q.relu(),
                        q.conv(.const(512), out, k: 1, stride: 1)]
            }
            let w1 = Dim.ramp(input, out, index: 1, floor: .n(2, 1)), w2 = Dim.ramp(input, out, index: 2, floor: .n(2, 1))
            return [q.conv(input, w1, k: 1, stride: 1), q.relu(), q.conv(w1, w2, k: 1, stride: 1), q.relu(), q.conv(w2, out, k: 1, stride: 1)]
        }
        let (context, codecs, hyper) = s.child("latent_codec", "HyperpriorLatentCodec") { l in
            let (context, codecs) = l.child("y", "ChannelGroupsLatentCodec") { c in
                let context: [[Layer]] = c.child("channel_context", "ModuleDict") { m in
                    groups.indices.dropFirst().map { k in
                        m.sequential("y\(k)") { q in
                            [q.conv(contextInput(k), .const(224), k: 5, stride: 1), q.relu(), q.conv(.const(224), .const(128), k: 5, stride: 1), q.relu(),
                             q.conv(.const(128), .group(k, 2), k: 5, stride: 1)]
                        }
                    }
                }
                let codecs: [CheckerboardLatentCodec] = c.child("latent_codec", "ModuleDict") { m in
                    groups.indices.map { k in
                        m.child("y\(k)", "CheckerboardLatentCodec") { CheckerboardLatentCodec($0, latent: .group(k, 1), meansFirst: chandelier) { paramAggregation($0, k) } }
                    }
                }
                return (context, codecs)
            }
            let hyper = l.child("hyper", "HyperLatentCodec") { c in
                HyperLatentCodec(c, hA: { p in
                    p.sequential("h_a") { q in [q.conv(.M, .N, k: 3, stride: 1), q.relu(), q.conv(.N, .N), q.relu(), q.conv(.N, .N)] }
                }, hS: { p in
                    p.sequential("h_s") { q in
                        [q.deconv(.N, .N), q.relu(), q.deconv(.N, .n(3, 2)), q.relu(),
                         chandelier ? q.conv(.n(3, 2), .m(2, 1), k: 3, stride: 1) : q.deconv(.n(3, 2), .n(2, 1), k: 3, stride: 1)]
                    }
                })
            }
            return (context, codecs, hyper)
        }
        var d = ModelDeclaration(Hyperparameters(N: h.N, M: h.M, groups: groups), entropyBottleneck: hyper.entropyBottleneck)
        (d.gA, d.gS, d.hA, d.hS) = (gA, gS, hyper.hA, hyper.hS)
        d.channelContext = context
        d.checkerboard = codecs
        return d
    }
}
