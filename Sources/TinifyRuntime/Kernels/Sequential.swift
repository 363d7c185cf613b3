// TinifyRuntime: torch.nn.Sequential for the runtime layers, and CompressAI's `conv`/`deconv`
// helpers (k5 s2, padding k//2, output padding s−1).

/// Layers applied in order.
package struct Sequential: @unchecked Sendable {
    /// The layers, each given the kernel mode of the whole call.
    package var layers: [(FloatTensor, KernelMode) throws -> FloatTensor]

    /// An empty sequence.
    package init() { layers = [] }

    /// Appends a layer.
    package mutating func append(_ layer: @escaping (FloatTensor, KernelMode) throws -> FloatTensor) { layers.append(layer) }

    /// Applies every layer in order with the kernels of `mode`.
    package func callAsFunction(_ x: FloatTensor, mode: KernelMode = .fast) throws -> FloatTensor {
        var cur = x
        for layer in layers { cur = try layer(cur, mode) }
        return cur
    }
}

/// Shape reading helpers shared by the models.
enum ModelShapes {
    /// Dimension `dim` of the tensor at `key`.
    static func dim(_ w: WeightReader, _ key: String, _ dim: Int) throws -> Int {
        let s = try w.shape(key)
        guard s.count > dim, s[dim] > 0 else { throw RuntimeError.badShape(key: key, shape: s, expected: "at least \(dim + 1) non-empty dimensions") }
        return s[dim]
    }
}
