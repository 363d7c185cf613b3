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
