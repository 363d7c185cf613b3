// TinifyRuntime: whether the kernels call their AVX C loops (CVectorKernels, CDeterministic) or
// the Swift loops beside each call, which do the same binary32 operations in the same order. The
// C loops already step aside on a CPU without AVX; the switch lets a test run the Swift loops on
// a CPU that has it, and compare the bits.
import TinifyCore

/// The switch between the AVX C loops and their Swift versions.
package enum AVXLoops {
    /// False when `TINIFY_NO_AVX=1` is set in the environment when the kernels are first used:
    /// every loop Tinify has in both forms then runs its Swift version (OpenBLAS is not affected;
    /// `OPENBLAS_CORETYPE` chooses its kernels).
    package static let enabled: Bool = Environment.value("TINIFY_NO_AVX") != "1"
}
