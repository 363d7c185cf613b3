// TinifyArchitectures: the Schemas/ manifests, generated from the declarations.

/// Generates an architecture's manifest (key, shape formula, role, dtype) as JSON text.
package enum ArchitectureSchema {
    /// The manifest of `id` as deterministic, indented JSON.
    package static func json(_ id: Architecture) -> String {
        // Formulas come from a recording at symbolic sizes; dynamic names are scoped per module.
        let decls = id.declarations(Hyperparameters(N: 0, M: 0))
        var out = "{\n"
        out += "  \"architecture\": \"\(id.rawValue)\",\n"
        out += "  \"class\": \"\(id.className)\",\n"
        out += "  \"hyperparameters\": \(id.mEqualsN ? "[\"N\"]" : "[\"N\", \"M\"]"),\n"
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
