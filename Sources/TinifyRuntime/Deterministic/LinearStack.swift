// TinifyRuntime: a stack of `nn.Linear` layers with ReLU between — the VBR models' QuantABCD
// and gayn2zqstep (Kamisli, Racapé, Choi, DCC 2024; compressai.models.vbr) — on a fixed order of
// single-precision operations: each output a fused multiply-add chain over its inputs in order,
// then its bias. The same bits on every machine.
import TinifyArchitectures

/// Declared `nn.Linear` layers, bound to their weights.
struct LinearStack: Sendable {
    /// The layers: (weight (out × in), bias, outputs, inputs).
    let layers: [(weight: [Float], bias: [Float], outputs: Int, inputs: Int)]

    /// Binds the Linear layers of `declared` (activations skipped), which must chain from
    /// `inputs` features to `outputs`; `name` names the stack in errors.
    init(_ declared: [Layer], _ w: WeightReader, inputs: Int, outputs: Int, name: String) throws {
        layers = try declared.compactMap { layer in
            guard case .linear(let l) = layer else { return nil }
            let shape = try w.shape(l.weight.key)
            guard shape.count == 2 else { throw RuntimeError.badShape(key: l.weight.key, shape: shape, expected: "[out, in]") }
            return (try w.floats(l.weight.key), try w.floats(l.bias.key, shape: [shape[0]]), shape[0], shape[1])
        }
        guard layers.first?.inputs == inputs, layers.last?.outputs == outputs, zip(layers, layers.dropFirst()).allSatisfy({ $0.outputs == $1.inputs }) else {
            throw RuntimeError.layerMismatch("\(name) of \(layers.map { "\($0.inputs)→\($0.outputs)" }), expected \(inputs) → … → \(outputs)")
        }
    }

    /// The stack applied to `input`, ReLU between the layers (none after the last).
    func callAsFunction(_ input: [Float]) -> [Float] {
        var x = input
        for (i, layer) in layers.enumerated() {
            x = (0..<layer.outputs).map { o in
                var acc: Float = 0
                for k in 0..<layer.inputs { acc = acc.addingProduct(layer.weight[o * layer.inputs + k], x[k]) }
                let v = acc + layer.bias[o]
                return i + 1 < layers.count ? Swift.max(v, 0) : v
            }
        }
        return x
    }
}
