// tinify: compares two weight stores key by key (`tinify diff`): keys only in one of them,
// dtype and shape differences, and for tensors of the same shape the largest absolute
// difference of their values. Tensors pass when bit-identical or, value by value,
// |a − b| ≤ atol + rtol·|b| (numpy's `isclose`, with NaN equal to NaN).
import Tinify

/// The comparison of two weight stores.
package struct WeightDiff {
    /// How one key compares.
    package enum Status: String, Sendable {
        /// Same dtype, shape and bytes.
        case identical
        /// Same dtype and shape; values differ but within the tolerances (or only in NaN payloads or the sign of zero).
        case close
        /// Same dtype and shape; values differ beyond the tolerances.
        case different
        /// The dtypes differ.
        case dtypeDiffers = "dtype-differs"
        /// The shapes differ.
        case shapeDiffers = "shape-differs"
        /// The key is only in A.
        case onlyInA = "only-in-a"
        /// The key is only in B.
        case onlyInB = "only-in-b"

        /// Whether this status lets `diff` succeed.
        package var passes: Bool { self == .identical || self == .close }
    }

    /// One key's comparison.
    package struct Item {
        /// The key.
        package let key: String
        /// The verdict.
        package let status: Status
        /// The tensor in A, if any.
        package let a: Tensor?
        /// The tensor in B, if any.
        package let b: Tensor?
        /// The largest |a − b| over the elements, when the shapes agree (NaN when only one side is NaN).
        package let maxAbsDifference: Double?
    }

    /// Every key of A in A's order, then the keys only in B in B's order.
    package let items: [Item]
    /// The absolute tolerance.
    package let atol: Double
    /// The relative tolerance.
    package let rtol: Double

    /// Compares `a` with `b`.
    package init(a: WeightStore, b: WeightStore, atol: Double = 0, rtol: Double = 0) {
        self.atol = atol
        self.rtol = rtol
        var items: [Item] = []
        for (key, ta) in a.entries {
            guard let tb = b[key] else {
                items.append(Item(key: key, status: .onlyInA, a: ta, b: nil, maxAbsDifference: nil))
                continue
            }
            items.append(WeightDiff.compare(key, ta, tb, atol: atol, rtol: rtol))
        }
        for (key, tb) in b.entries where a[key] == nil {
            items.append(Item(key: key, status: .onlyInB, a: nil, b: tb, maxAbsDifference: nil))
        }
        self.items = items
    }

    /// Whether every key passes (identical or within tolerance, none missing).
    package var passes: Bool { items.allSatisfy { $0.status.passes } }

    /// The number of keys with `status`.
    package func count(_ status: Status) -> Int { items.reduce(0) { $0 + ($1.status == status ? 1 : 0) } }

    // MARK: - Comparing values

    static func compare(_ key: String, _ a: Tensor, _ b: Tensor, atol: Double, rtol: Double) -> Item {
        guard a.shape == b.shape else { return Item(key: key, status: .shapeDiffers, a: a, b: b, maxAbsDifference: nil) }
        let ba = a.contiguousBytes(), bb = b.contiguousBytes()
        if a.dtype != b.dtype && isComplex(a.dtype) != isComplex(b.dtype) {
            return Item(key: key, status: .dtypeDiffers, a: a, b: b, maxAbsDifference: nil)
        }
        if a.dtype == b.dtype {
            let same = ba.withUnsafeBytes { x in bb.withUnsafeBytes { y in x.elementsEqual(y) } }
            if same { return Item(key: key, status: .identical, a: a, b: b, maxAbsDifference: 0) }
        }
        let (maxAbs, within) = ba.withUnsafeBytes { x in
            bb.withUnsafeBytes { y in valueDifference(x, a.dtype, y, b.dtype, count: a.count, atol: atol, rtol: rtol) }
        }
        let status: Status = a.dtype != b.dtype ? .dtypeDiffers : within ? .close : .different
        return Item(key: key, status: status, a: a, b: b, maxAbsDifference: maxAbs)
    }

    /// The largest |a − b| and whether every element is within tolerance.
    static func valueDifference(_ x: UnsafeRawBufferPointer, _ dx: DType, _ y: UnsafeRawBufferPointer, _ dy: DType,
                                count: Int, atol: Double, rtol: Double) -> (Double, Bool) {
        var maxAbs = 0.0
        var within = true
        func take(_ d: Double, _ reference: Double) {
            if d.isNaN {
                maxAbs = .nan
                within = false
                return
            }
            if !maxAbs.isNaN && d > maxAbs { maxAbs = d }
            if !(d <= atol + rtol * Swift.abs(reference)) { within = false }
        }
        let components = isComplex(dx) ? 2 : 1
        guard isComplex(dx) == isComplex(dy), case let (n, overflow) = count.multipliedReportingOverflow(by: components), !overflow,
              x.count == count * dx.itemSize, y.count == count * dy.itemSize else { return (.nan, false) }
        if dx == dy, let exact = integerKind(dx) {
            for i in 0..<n { take(integerDifference(x, y, i, exact), integerValue(y, i, exact)) }
            return (maxAbs, within)
        }
        for i in 0..<n {
            let a = element(x, dx, i), b = element(y, dy, i)
            if a.isNaN && b.isNaN { continue }
            if a == b { continue }  // equal values, infinities of one sign included
            take(Swift.abs(a - b), b)
        }
        return (maxAbs, within)
    }

    private static func isComplex(_ d: DType) -> Bool { d == .complex64 || d == .complex128 }

    private enum IntegerKind { case signed(Int), unsigned(Int) }

    private static func integerKind(_ d: DType) -> IntegerKind? {
        switch d {
        case .int8: return .signed(1)
        case .int16: return .signed(2)
        case .int32: return .signed(4)
        case .int64: return .signed(8)
        case .uint8, .bool: return .unsigned(1)
        case .uint16: return .unsigned(2)
        case .uint32: return .unsigned(4)
        case .uint64: return .unsigned(8)
        default: return nil
        }
    }

    private static func signedValue(_ p: UnsafeRawBufferPointer, _ i: Int, _ size: Int) -> Int64 {
        switch size {
        case 1: return Int64(p.load(fromByteOffset: i, as: Int8.self))
        case 2: return Int64(Int16(littleEndian: p.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self)))
        case 4: return Int64(Int32(littleEndian: p.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)))
        default: return Int64(littleEndian: p.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self))
        }
    }

    private static func unsignedValue(_ p: UnsafeRawBufferPointer, _ i: Int, _ size: Int) -> UInt64 {
        switch size {
        case 1: return UInt64(p.load(fromByteOffset: i, as: UInt8.self))
        case 2: return UInt64(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
        case 4: return UInt64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
        default: return UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))
        }
    }

    private static func integerValue(_ p: UnsafeRawBufferPointer, _ i: Int, _ kind: IntegerKind) -> Double {
        switch kind {
        case .signed(let s): return Double(signedValue(p, i, s))
        case .unsigned(let s): return Double(unsignedValue(p, i, s))
        }
    }

    /// |x[i] − y[i]| computed exactly in integers, then rounded to a double (so 1 never becomes 0).
    private static func integerDifference(_ x: UnsafeRawBufferPointer, _ y: UnsafeRawBufferPointer, _ i: Int, _ kind: IntegerKind) -> Double {
        switch kind {
        case .signed(let s):
            let a = signedValue(x, i, s), b = signedValue(y, i, s)
            let (d, o) = a.subtractingReportingOverflow(b)
            return o ? Swift.abs(Double(a) - Double(b)) : Double(d.magnitude)
        case .unsigned(let s):
            let a = unsignedValue(x, i, s), b = unsignedValue(y, i, s)
            return Double(a >= b ? a - b : b - a)
        }
    }

    /// Element (or complex component) `i` of `p` as a double.
    private static func element(_ p: UnsafeRawBufferPointer, _ d: DType, _ i: Int) -> Double {
        switch d {
        case .float16: return Double(Float16(bitPattern: UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))))
        case .bfloat16: return Double(Float(bitPattern: UInt32(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) << 16))
        case .float32, .complex64: return Double(Float(bitPattern: UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))))
        case .float64, .complex128: return Double(bitPattern: UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))
        case .int8, .int16, .int32, .int64: return Double(signedValue(p, i, d.itemSize))
        case .uint8, .bool, .uint16, .uint32, .uint64: return Double(unsignedValue(p, i, d.itemSize))
        }
    }

    // MARK: - Reports

    private static func shapeText(_ t: Tensor?) -> String { t.map { "[" + $0.shape.map(String.init).joined(separator: ", ") + "]" } ?? "-" }

    private static func numberText(_ d: Double?) -> String {
        guard let d else { return "-" }
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        return "\(d)"
    }

    /// The human-readable report: one line per key that is not identical, then a summary.
    package func text(fileA: String, fileB: String, storeA: WeightStore, storeB: WeightStore) -> String {
        var out = "A: \(fileA) (\(storeA.container.rawValue), \(storeA.count) tensors)\n"
        out += "B: \(fileB) (\(storeB.container.rawValue), \(storeB.count) tensors)\n"
        for item in items where item.status != .identical {
            switch item.status {
            case .onlyInA: out += "only in A  \(item.key)\n"
            case .onlyInB: out += "only in B  \(item.key)\n"
            case .shapeDiffers: out += "shape      \(item.key)  \(WeightDiff.shapeText(item.a)) vs \(WeightDiff.shapeText(item.b))\n"
            case .dtypeDiffers:
                out += "dtype      \(item.key)  \(item.a?.dtype.name ?? "-") vs \(item.b?.dtype.name ?? "-")  max |a-b| \(WeightDiff.numberText(item.maxAbsDifference))\n"
            case .different: out += "values     \(item.key)  max |a-b| \(WeightDiff.numberText(item.maxAbsDifference))\n"
            case .close: out += "close      \(item.key)  max |a-b| \(WeightDiff.numberText(item.maxAbsDifference)) (within tolerance)\n"
            case .identical: break
            }
        }
        out += "\n\(count(.identical)) identical, \(count(.close)) within tolerance, \(count(.different)) different values, "
        out += "\(count(.dtypeDiffers)) dtype and \(count(.shapeDiffers)) shape differences, "
        out += "\(count(.onlyInA)) only in A, \(count(.onlyInB)) only in B\n"
        out += passes ? (items.allSatisfy { $0.status == .identical } ? "result: identical\n" : "result: equal within tolerance\n") : "result: different\n"
        return out
    }

    /// The `--json` report.
    package func json(fileA: String, fileB: String, storeA: WeightStore, storeB: WeightStore) -> JSON {
        func side(_ file: String, _ s: WeightStore) -> JSON {
            .object([("file", .string(file)), ("container", .string(s.container.rawValue)), ("tensor_count", .int(s.count))])
        }
        let list: [JSON] = items.map { item in
            var fields: [(String, JSON)] = [("key", .string(item.key)), ("status", .string(item.status.rawValue))]
            if let a = item.a { fields += [("dtype_a", .string(a.dtype.name)), ("shape_a", .array(a.shape.map { .int($0) }))] }
            if let b = item.b { fields += [("dtype_b", .string(b.dtype.name)), ("shape_b", .array(b.shape.map { .int($0) }))] }
            if let d = item.maxAbsDifference { fields.append(("max_abs_difference", .number(d))) }
            return .object(fields)
        }
        let identical = items.allSatisfy { $0.status == .identical }
        return .object([
            ("a", side(fileA, storeA)),
            ("b", side(fileB, storeB)),
            ("atol", .number(atol)),
            ("rtol", .number(rtol)),
            ("identical", .bool(identical)),
            ("passes", .bool(passes)),
            ("counts", .object([Status.identical, .close, .different, .dtypeDiffers, .shapeDiffers, .onlyInA, .onlyInB].map { ($0.rawValue, .int(count($0))) })),
            ("tensors", .array(list)),
        ])
    }
}
