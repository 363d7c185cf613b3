// TinifyPickle: the symbolic values a restricted pickle machine builds.
// Nothing here is ever executed: a call to an allow-listed global is recorded as a
// `PickleObject` and interpreted later, by the stage that knows what it means.
import TinifyCore

/// A value built by the pickle machine. Mutable containers are reference types, so a memo
/// entry and every place it was fetched into are the same object, as in Python.
package indirect enum PickleValue {
    /// `None`.
    case none
    /// `True` / `False`.
    case bool(Bool)
    /// An integer that fits in 64 bits.
    case int(Int64)
    /// A larger integer, as little-endian two's-complement bytes.
    case bigInt([UInt8])
    /// A float (Python floats are doubles).
    case float(Double)
    /// A text string.
    case string(String)
    /// A byte string (`bytes`, or a Python 2 `str` read as bytes).
    case bytes([UInt8])
    /// An immutable tuple.
    case tuple(PickleTuple)
    /// A list.
    case list(PickleList)
    /// A dict or `OrderedDict`.
    case dict(PickleDict)
    /// A set or frozenset.
    case set(PickleSet)
    /// A reference to an allow-listed global (a class or function, never imported).
    case global(PickleGlobal)
    /// A call of an allow-listed global, recorded with its arguments.
    case object(PickleObject)
    /// A persistent id (`BINPERSID`): in torch files, a storage reference.
    case persistentID(PickleValue)

    /// Nesting depth of immutable values (containers count as 1: they live in the arena).
    var depth: Int {
        switch self {
        case .tuple(let t): return t.depth
        case .persistentID(let v): return v.depth + 1
        default: return 1
        }
    }

    /// A short name of the value's kind, for error messages.
    package var kindName: String {
        switch self {
        case .none: return "None"
        case .bool: return "bool"
        case .int, .bigInt: return "int"
        case .float: return "float"
        case .string: return "str"
        case .bytes: return "bytes"
        case .tuple: return "tuple"
        case .list: return "list"
        case .dict: return "dict"
        case .set: return "set"
        case .global(let g): return "global \(g.qualifiedName)"
        case .object(let o): return "\(o.callee.qualifiedName)(…)"
        case .persistentID: return "persistent id"
        }
    }
}

/// Something the arena empties when the pickle's values are released (so that freeing a deeply
/// nested structure never recurses).
protocol ArenaMember: AnyObject { func clear() }

/// An immutable tuple, with its nesting depth.
package final class PickleTuple {
    /// The items.
    package let items: [PickleValue]
    let depth: Int
    /// A tuple of `items`.
    package init(_ items: [PickleValue]) {
        self.items = items
        var deepest = 0
        for item in items { deepest = max(deepest, item.depth) }
        depth = 1 + deepest
    }
}

/// A mutable list.
package final class PickleList: ArenaMember {
    /// The items.
    package internal(set) var items: [PickleValue] = []
    func clear() { items = [] }
}

/// A mutable dict, keeping insertion order; a repeated str or int key replaces the value in place.
package final class PickleDict: ArenaMember {
    /// The entries in insertion order.
    package internal(set) var entries: [(key: PickleValue, value: PickleValue)] = []
    /// State given by `BUILD` (an `OrderedDict`'s `_metadata`), kept but not interpreted.
    package internal(set) var state: PickleValue?
    private var index: [Key: Int] = [:]

    /// A str or int key as Python hashes it (`True == 1`).
    private enum Key: Hashable { case s(String), i(Int64) }

    func set(_ key: PickleValue, _ value: PickleValue) {
        let h: Key?
        switch key {
        case .string(let s): h = .s(s)
        case .int(let i): h = .i(i)
        case .bool(let b): h = .i(b ? 1 : 0)
        default: h = nil
        }
        if let h, let at = index[h] {
            entries[at].value = value
            return
        }
        if let h { index[h] = entries.count }
        entries.append((key, value))
    }
    /// Makes room for `n` more entries (one rehash for a whole `SETITEMS` batch, not one per doubling).
    func reserve(_ n: Int) {
        entries.reserveCapacity(entries.count + n)
        index.reserveCapacity(index.count + n)
    }
    func clear() { entries = []; state = nil; index = [:] }
}

/// A set or frozenset.
package final class PickleSet: ArenaMember {
    /// The items.
    package internal(set) var items: [PickleValue] = []
    /// Whether it is a frozenset.
    package let frozen: Bool
    init(frozen: Bool) { self.frozen = frozen }
    func clear() { items = [] }
}

/// A recorded call `callee(*args)`, with any state a later `BUILD` gave it.
package final class PickleObject: ArenaMember {
    /// The allow-listed global called.
    package let callee: PickleGlobal
    /// The positional arguments.
    package internal(set) var args: [PickleValue]
    /// State given by `BUILD`, if any.
    package internal(set) var state: PickleValue?
    /// A call record (used to re-dispatch `_rebuild_from_type_v2`'s inner call).
    package init(callee: PickleGlobal, args: [PickleValue]) { self.callee = callee; self.args = args }
    func clear() { args = []; state = nil }
}

/// Owns every mutable container of one pickle. Releasing it empties them first, so that no
/// release chain is deeper than one level, whatever the nesting the file built.
package final class PickleArena {
    var members: [ArenaMember] = []
    deinit { for m in members { m.clear() } }
}
