// TinifyCore: the memory budget a job is checked against before it allocates, and what this
// process may really use (physical memory, the cgroup's limit, RLIMIT_AS and RLIMIT_DATA).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A job's estimated memory is more than the budget allows.
public struct MemoryBudgetError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What needs the memory (e.g. `a 8192×8192 image with cheng2020-attn (N=192)`).
    public let what: String
    /// The estimated need in bytes.
    public let need: Int
    /// The budget in bytes.
    public let budget: Int

    /// An error for `what`, which needs `need` bytes against a budget of `budget`.
    public init(what: String, need: Int, budget: Int) { self.what = what; self.need = need; self.budget = budget }

    /// One line stating the need and the budget.
    public var description: String {
        "\(what) needs about \(MemoryBudget.text(need)) of memory, over the budget of \(MemoryBudget.text(budget))"
    }
}

/// A memory budget in bytes.
public struct MemoryBudget: Sendable, Equatable {
    /// The budget in bytes.
    public let bytes: Int

    /// A budget of `bytes`.
    public init(bytes: Int) { self.bytes = bytes }

    /// Throws `MemoryBudgetError` when `need` is over the budget.
    public func check(_ need: Int, for what: @autoclosure () -> String) throws {
        if need > bytes { throw MemoryBudgetError(what: what(), need: need, budget: bytes) }
    }

    /// What this process may really use: the least of physical memory, the cgroup's memory
    /// limit (v2 `memory.max` or v1 `memory.limit_in_bytes`), RLIMIT_AS and RLIMIT_DATA.
    public static func processLimit() -> Int {
        var limit = Int.max
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), pageSize = sysconf(Int32(_SC_PAGESIZE))
        if pages > 0, pageSize > 0, let physical = Checked.mul(pages, pageSize) { limit = min(limit, physical) }
        for path in ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"] {
            if let text = Environment.readText(path, limit: 64), let v = Int(text.split(separator: "\n").first.map(String.init) ?? ""), v > 0 {
                limit = min(limit, v)
            }
        }
        for resource in [RLIMIT_AS.rawValue, RLIMIT_DATA.rawValue] {
            var r = rlimit()
            if getrlimit(__rlimit_resource_t(resource), &r) == 0, r.rlim_cur < UInt64(Int.max) {
                limit = min(limit, Int(r.rlim_cur))
            }
        }
        return limit
    }

    /// Parses a size: bytes, or a number with K, M, G or T (powers of 1024; `512M`, `2G`, `1.5G`).
    public static func parse(_ text: String) -> Int? {
        var t = text.trimmingSpaces.uppercased()
        if t.hasSuffix("IB") { t = String(t.dropLast(2)) } else if t.hasSuffix("B") { t = String(t.dropLast()) }
        guard let last = t.last else { return nil }
        let units: [Character: Double] = ["K": 1024, "M": 1024 * 1024, "G": 1024 * 1024 * 1024, "T": 1024 * 1024 * 1024 * 1024]
        let (number, scale) = units[last].map { (String(t.dropLast()), $0) } ?? (t, 1.0)
        guard let v = Double(number), v.isFinite, v > 0 else { return nil }
        let bytes = v * scale
        return bytes < 9.0e18 ? Int(bytes) : nil
    }

    /// `bytes` in KiB, MiB or GiB, one decimal.
    public static func text(_ bytes: Int) -> String {
        let mib = Double(bytes) / 1048576
        if mib >= 1024 { return tenths(mib / 1024) + " GiB" }
        if mib < 1 { return tenths(Double(bytes) / 1024) + " KiB" }
        return tenths(mib) + " MiB"
    }

    private static func tenths(_ v: Double) -> String {
        let r = (v * 10).rounded()
        guard r.isFinite, r < 1e15 else { return "∞" }
        let i = Int(r)
        return "\(i / 10).\(i % 10)"
    }
}

private extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}

extension MemoryBudgetError: TinifyError {}
