// TinifyArchitectures: the Schemas/ manifests, generated from the declarations.

/// Generates an architecture's manifest (key, shape formula, role, dtype) as JSON text.
package enum ArchitectureSchema {
    /// The manifest of `id` as deterministic, indented JSON.
    package static func json(_ id: Architecture) -> String {
        // Formulas come from a recording at symbolic sizes; dynamic names are scoped per module.
        // The VBR models are recorded in the layout compressai.zoo builds them with.
        let vbr = id.zoo(quality: 1)?.variableRateBottleneck ?? false
        let decls = id.declarations(Hyperparameters(N: 0, M: 0, groups: [], variableRateBottleneck: vbr))
        var out = "{\n"
        out += "  \"architecture\": \"\(id.rawValue)\",\n"
        out += "  \"class\": \"\(id.className)\",\n"
        let names = id.mEqualsN ? ["N"] : id.hasChannelGroups ? ["N", "M", "groups"] : ["N", "M"]
        out += "  \"hyperparameters\": [\(names.map { "\"\($0)\"" }.joined(separator: ", "))],\n"
        if id.hasChannelGroups {
            out += "  \"groups\": \"g0…g(G−1): the width of latent_codec.y.latent_codec.y{k}.context_prediction.weight.shape[1] for k = 0, 1, … (default [16, 16, 32, 64, M−128], recorded here)\",\n"
        }
        if id == .bmshj2018HyperpriorVbr || id == .mbt2018MeanVbr {
            out += "  \"vr_entbttlnck\": \"recorded here as compressai.zoo builds it (True: EntropyBottleneckVbr's _matrixK/_biasK/_factorK, gayn2zqstep, lower_bound_zqstep); with False, entropy_bottleneck is a plain EntropyBottleneck (matrices.K, biases.K, factors.K) and the last two are absent\",\n"
        }
        out += "  \"probes\": {\"N\": \"\(id.probes.n)\(".shape[0]")\"" + (id.probes.m.map { ", \"M\": \"\($0).shape[0]\"" } ?? ", \"M\": \"N\"") + "},\n"
        out += "  \"downsampling_factor\": \(id.downsamplingFactor),\n"
        out += "  \"tensors\": [\n"
        for (i, d) in decls.enumerated() {
            let shape = d.shape.map { "\"\($0.description)\"" }.joined(separator: ", ")
            out += "    {\"key\": \"\(d.key)\", \"shape\": [\(shape)], \"role\": \"\(d.role.rawValue)\", \"dtype\": \"\(d.kind.canonicalDType)\", \"module\": \"\(d.module)\"}"
            out += i + 1 < decls.count ? ",\n" : "\n"
        }
        out += "  ]\n}\n"
        return out
    }
}
