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

    /// A sequence whose layers `make` builds when it is first applied, once, whichever thread
    /// asks first (a process that only encodes never copies the synthesis transform's weights).
    /// A failure to build is thrown by every application.
    package static func deferred(_ make: @escaping () throws -> Sequential) -> Sequential {
        let built = Deferred<Result<Sequential, any Error>> { Result { try make() } }
        var s = Sequential()
        s.append { x, mode in try built.value.get()(x, mode: mode) }
        return s
    }

    /// Applies every layer in order with the kernels of `mode`.
    package func callAsFunction(_ x: FloatTensor, mode: KernelMode = .fast) throws -> FloatTensor {
        var cur = x
        for layer in layers { cur = try layer(cur, mode) }
        return cur
    }
}
