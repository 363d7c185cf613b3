// TinifyRuntime: which kernels a layer runs. Everything that decides what the entropy coder sees
// (h_s, the context model, entropy_parameters) runs `.deterministic`, so that encoder and decoder
// compute the same CDF indexes and means on every machine; g_s runs `.fast` unless bit-exact
// pixels are asked for.
import TinifyCore

/// The kernels a layer computes with.
package enum KernelMode: Sendable {
    /// The fastest kernels on this machine (OpenBLAS, Winograd): results depend on the BLAS kernel,
    /// the thread count and the CPU, by a few float32 rounding steps.
    case fast
    /// Tinify's own kernels in a fixed order of IEEE-754 binary32 operations (every sum in order
    /// of its terms from zero, products and sums rounded separately, no FMA, no libm): the same
    /// input gives the same bits on every machine, whatever its SIMD width or thread count.
    case deterministic
}

/// How the deterministic kernels run: vectorised (the default) or as plain scalar loops in the
/// same order, which must give the same bits (the portability tests compare both).
package enum DeterministicKernels {
    /// True when `TINIFY_SCALAR_KERNELS=1` is set in the environment when the kernels are first
    /// used: the deterministic kernels then run one element at a time.
    package static let scalar: Bool = Environment.value("TINIFY_SCALAR_KERNELS") == "1"
}
