// TinifyRuntime: pointwise activations (torch.nn.ReLU, LeakyReLU(0.01), Sigmoid) and the
// elementwise arithmetic the blocks need, parallel over large tensors.
import TinifyCore
import CVectorKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An activation fused into a kernel's output.
package enum Activation: Sendable {
    /// Identity.
    case none
    /// `max(x, 0)` (NaN stays NaN, as in torch).
    case relu
    /// `x ≥ 0 ? x : 0.01·x` (torch's default negative slope).
    case leakyRelu

    /// Applies the activation to one value.
    @inline(__always) package func apply(_ x: Float) -> Float {
        switch self {
        case .none: return x
        case .relu: return x < 0 ? 0 : x
        case .leakyRelu: return x > 0 ? x : x * 0.01
        }
    }

    /// The activation's number in CVectorKernels (`tinify_bias_act_store`).
    var code: Int32 {
        switch self {
        case .none: return 0
        case .relu: return 1
        case .leakyRelu: return 2
        }
    }

    /// Stores `act(src[j] + bias)` at `dst[j·step]` for j < count (step 1, or 2 for a
    /// pixel-shuffled output, whose other elements up to `dst + limit` may be read and written
    /// back unchanged); `src` may be changed.
    @inline(__always) func store(_ src: UnsafeMutablePointer<Float>, count: Int, bias: Float, to dst: UnsafeMutablePointer<Float>,
                                 step: Int, limit: Int) {
        if tinify_bias_act_store(src, count, bias, code, dst, step, limit) != 0 { return }
        if step == 1 {
            dst.update(from: src, count: count)
            apply(dst, count: count, bias: bias)
        } else {
            apply(src, count: count, bias: bias)
            for j in 0..<count { dst[j * step] = src[j] }
        }
    }

    /// Adds `bias` and applies the activation to `count` values at `p`.
    @inline(__always) package func apply(_ p: UnsafeMutablePointer<Float>, count: Int, bias: Float) {
        switch self {
        case .none: for i in 0..<count { p[i] += bias }
        case .relu: for i in 0..<count { let v = p[i] + bias; p[i] = v < 0 ? 0 : v }
        case .leakyRelu: for i in 0..<count { let v = p[i] + bias; p[i] = v > 0 ? v : v * 0.01 }
        }
    }
}

/// Elementwise kernels over whole tensors.
package enum Elementwise {
    /// Applies `act` in place.
    package static func activate(_ x: inout FloatTensor, _ act: Activation) {
        if case .none = act { return }
        let n = x.count
        x.withUnsafeMutableBufferPointer { buf in
            let p = buf.baseAddress!
            Parallel.chunks(n) { r in act.apply(p + r.lowerBound, count: r.count, bias: 0) }
        }
    }

    /// `a += b` (same shape).
    package static func addInPlace(_ a: inout FloatTensor, _ b: FloatTensor) throws {
        guard a.shape == b.shape else { throw RuntimeError.layerMismatch("add of \(a.shape) and \(b.shape)") }
        let n = a.count
        a.withUnsafeMutableBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                let x = pa.baseAddress!, y = pb.baseAddress!
                Parallel.chunks(n) { r in for i in r { x[i] += y[i] } }
            }
        }
    }

    /// `out = a · sigmoid(b) + c`, the attention block's combination (same shapes). `.deterministic`
    /// takes exp from Tinify's own binary32 routine (SLEEF's, FMA explicit) instead of the C library.
    package static func gate(_ a: FloatTensor, _ b: FloatTensor, plus c: FloatTensor, mode: KernelMode = .fast) throws -> FloatTensor {
        guard a.shape == b.shape, a.shape == c.shape else {
            throw RuntimeError.layerMismatch("attention gate of \(a.shape), \(b.shape) and \(c.shape)")
        }
        let n = a.count
        return FloatTensor(shape: a.shape) { out in
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    c.withUnsafeBufferPointer { pc in
                        let x = pa.baseAddress!, y = pb.baseAddress!, z = pc.baseAddress!
                        Parallel.chunks(n) { r in
                            if case .deterministic = mode {
                                for i in r { out[i] = x[i] * (1 / (1 + TorchMath.sleefExp(-y[i]))) + z[i] }
                            } else {
                                for i in r { out[i] = x[i] * (1 / (1 + CLibrary.expf(-y[i]))) + z[i] }
                            }
                        }
                    }
                }
            }
        }
    }
}
