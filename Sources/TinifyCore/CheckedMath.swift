// TinifyCore: overflow-checked arithmetic for every length, count and offset read from a file.

/// Overflow-checked arithmetic on sizes taken from untrusted input.
package enum Checked {
    /// `a + b`, or nil when it overflows.
    @inlinable package static func add(_ a: Int, _ b: Int) -> Int? {
        let (r, o) = a.addingReportingOverflow(b); return o ? nil : r
    }
    /// `a * b`, or nil when it overflows.
    @inlinable package static func mul(_ a: Int, _ b: Int) -> Int? {
        let (r, o) = a.multipliedReportingOverflow(by: b); return o ? nil : r
    }
    /// The product of `dims` (1 for none), or nil on overflow or a negative dimension.
    @inlinable package static func product(_ dims: [Int]) -> Int? {
        var n = 1
        for d in dims {
            guard d >= 0, let m = mul(n, d) else { return nil }
            n = m
        }
        return n
    }
    /// Converts a `UInt64` from a file to `Int`, or nil when it does not fit.
    @inlinable package static func int(_ v: UInt64) -> Int? { v <= UInt64(Int.max) ? Int(v) : nil }
}
