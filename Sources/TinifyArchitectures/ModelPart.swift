// TinifyArchitectures: the two sides of a codec (CompressAI #299): an encoder needs no synthesis
// transform, a decoder no analysis transforms; a state dict holding one side's tensors verifies
// as that side.

/// One side of a codec: what an encoder or a decoder deployment needs of a model.
public enum ModelPart: String, Sendable, CaseIterable {
    /// Everything but the synthesis transform g_s.
    case encoder
    /// Everything but the analysis transforms g_a and h_a.
    case decoder

    /// The key prefixes (transforms) this side does without.
    public var droppedPrefixes: [String] { self == .encoder ? ["g_s."] : ["g_a.", "h_a.", "latent_codec.hyper.h_a."] }

    /// Whether `key` belongs to this side.
    public func keeps(_ key: String) -> Bool { !droppedPrefixes.contains { key.hasPrefix($0) } }
}
