// TinifyCore: the C library under one name on every platform. Code that has a member of the same
// name in scope (TorchMath.exp, a type's own `write`, ParsableCommand's `exit`) calls these
// instead of qualifying the C function with a platform module (`Glibc.exp`).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The C library's functions, for callers whose own members shadow them.
package enum CLibrary {
    /// `exp(x)`.
    package static func exp(_ x: Double) -> Double { cExp(x) }
    /// `expf(x)`.
    package static func expf(_ x: Float) -> Float { cExpf(x) }
    /// `log(x)`.
    package static func log(_ x: Double) -> Double { cLog(x) }
    /// `log2(x)`.
    package static func log2(_ x: Double) -> Double { cLog2(x) }
    /// `log10(x)`.
    package static func log10(_ x: Double) -> Double { cLog10(x) }
    /// `tanh(x)`.
    package static func tanh(_ x: Double) -> Double { cTanh(x) }
    /// `erfc(x)`.
    package static func erfc(_ x: Double) -> Double { cErfc(x) }
    /// `write(fd, p, n)`.
    package static func write(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { cWrite(fd, p, n) }
    /// `exit(status)`: for the command only; the library never ends its user's process.
    package static func exit(_ status: Int32) -> Never { cExit(status) }
}

// At file scope the C names are not shadowed.
private func cExp(_ x: Double) -> Double { exp(x) }
private func cExpf(_ x: Float) -> Float { expf(x) }
private func cLog(_ x: Double) -> Double { log(x) }
private func cLog2(_ x: Double) -> Double { log2(x) }
private func cLog10(_ x: Double) -> Double { log10(x) }
private func cTanh(_ x: Double) -> Double { tanh(x) }
private func cErfc(_ x: Double) -> Double { erfc(x) }
private func cWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { write(fd, p, n) }
private func cExit(_ status: Int32) -> Never { exit(status) }
