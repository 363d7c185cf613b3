// TinifyRuntime: torch.nn.Sequential for the runtime layers, and CompressAI's `conv`/`deconv`
// helpers (k5 s2, padding k//2, output padding s−1).

/// Layers applied in order.
package struct Sequential: @unchecked Sendable {
    /// One layer: a function of its input, or an update of it in place (GDN, activations), which
    /// needs no new memory when the tensor before it is held by no one else.
    private enum Step {
        case map((FloatTensor, KernelMode) throws -> FloatTensor)
        case inPlace((inout FloatTensor, KernelMode) throws -> Void)
    }

    /// The layers, each given the kernel mode of the whole call.
    private var steps: [Step]

    /// An empty sequence.
    package init() { steps = [] }

    /// Appends a layer.
    package mutating func append(_ layer: @escaping (FloatTensor, KernelMode) throws -> FloatTensor) { steps.append(.map(layer)) }

    /// Appends a layer that updates its input in place (a shared input is copied first, so the
    /// caller's tensor never changes).
    package mutating func appendInPlace(_ layer: @escaping (inout FloatTensor, KernelMode) throws -> Void) {
        steps.append(.inPlace(layer))
    }

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
        for step in steps {
            switch step {
            case .map(let layer): cur = try layer(cur, mode)
            case .inPlace(let layer): try layer(&cur, mode)
            }
        }
        return cur
    }
}
