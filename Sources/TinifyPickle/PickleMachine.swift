// TinifyPickle: a restricted pickle machine for protocols 0–5.
//
// It runs the opcodes data pickles use and builds `PickleValue`s. Globals are looked up in
// `PickleGlobal`'s allow-list and only recorded; `REDUCE`, `NEWOBJ` and `BUILD` record calls
// and state instead of performing them. Every declared length is checked against the bytes
// that remain, and stack, memo, mark and nesting depth are bounded by `PickleLimits`.
import TinifyCore

/// Bounds on the resources one pickle may use.
package struct PickleLimits: Sendable {
    /// Most values on the stack at once.
    package var maxStack = 1 << 20
    /// Most memo entries.
    package var maxMemo = 1 << 20
    /// Most open `MARK`s.
    package var maxMarks = 4096
    /// Deepest nesting of tuples and persistent ids.
    package var maxDepth = 512
    /// Longest integer literal, in bytes.
    package var maxIntegerBytes = 4096
    /// Most containers (lists, dicts, sets, calls).
    package var maxContainers = 1 << 22
    /// The defaults.
    package init() {}
}

/// The result of running one pickle: its value, where it stopped, and the persistent ids it used.
package struct PickleResult {
    /// The value `STOP` returned.
    package let value: PickleValue
    /// The offset just past `STOP`.
    package let end: Int
    /// Every persistent id, in the order the pickle loaded them.
    package let persistentIDs: [PickleValue]
    /// Owns the containers; keep it while using `value`.
    package let arena: PickleArena
}

/// Runs one pickle from `bytes[start...]`.
package struct PickleMachine {
    private let p: UnsafeRawBufferPointer
    private var pos: Int
    private let limits: PickleLimits
    private var stack: [PickleValue] = []
    private var marks: [Int] = []
    /// Memo entries 0..<count, as torch writes them (a sequential memo needs no hashing)…
    private var memoDense: [PickleValue] = []
    /// …and any other index, once a pickle puts one out of sequence.
    private var memo: [Int: PickleValue] = [:]
    private var pids: [PickleValue] = []
    private let arena = PickleArena()
    private var opStart = 0

    /// A machine over `bytes`, starting at `start`.
    package init(bytes: UnsafeRawBufferPointer, start: Int = 0, limits: PickleLimits = PickleLimits()) {
        p = bytes
        pos = start
        self.limits = limits
    }

    /// Runs the pickle and returns the value on `STOP`.
    package static func run(_ bytes: UnsafeRawBufferPointer, start: Int = 0, limits: PickleLimits = PickleLimits()) throws -> PickleResult {
        var m = PickleMachine(bytes: bytes, start: start, limits: limits)
        return try m.run()
    }

    // MARK: - Reading

    private mutating func need(_ n: Int) throws {
        guard n >= 0, n <= p.count - pos else { throw PickleError.truncated(offset: opStart, needed: n, available: p.count - pos) }
    }
    private mutating func byte() throws -> UInt8 { try need(1); defer { pos += 1 }; return p[pos] }
    private mutating func uint16() throws -> Int { try need(2); defer { pos += 2 }; return Int(p[pos]) | Int(p[pos + 1]) << 8 }
    private mutating func uint32() throws -> UInt32 {
        try need(4); defer { pos += 4 }
        return UInt32(p[pos]) | UInt32(p[pos + 1]) << 8 | UInt32(p[pos + 2]) << 16 | UInt32(p[pos + 3]) << 24
    }
    private mutating func uint64() throws -> UInt64 {
        try need(8); defer { pos += 8 }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(p[pos + i]) << (8 * UInt64(i)) }
        return v
    }
    private mutating func length64() throws -> Int {
        let v = try uint64()
        guard let n = Checked.int(v), n <= p.count - pos else {
            throw PickleError.truncated(offset: opStart, needed: Int(clamping: v), available: p.count - pos)
        }
        return n
    }
    private mutating func bytes(_ n: Int) throws -> UnsafeRawBufferPointer {
        try need(n); defer { pos += n }
        return UnsafeRawBufferPointer(rebasing: p[pos..<(pos + n)])
    }
    private mutating func line() throws -> [UInt8] {
        var i = pos
        while i < p.count, p[i] != 0x0A { i += 1 }
        guard i < p.count else { throw PickleError.truncated(offset: opStart, needed: i - pos + 1, available: p.count - pos) }
        defer { pos = i + 1 }
        var l = Array(p[pos..<i])
        if l.last == 0x0D { l.removeLast() }
        return l
    }
    private func utf8(_ b: UnsafeRawBufferPointer) throws -> String {
        guard let s = String(validating: b, as: UTF8.self) else { throw PickleError.invalidLiteral("invalid UTF-8 in string", offset: opStart) }
        return s
    }

    // MARK: - Stack

    private mutating func push(_ v: PickleValue) throws {
        guard stack.count < limits.maxStack else { throw PickleError.limitExceeded(what: "pickle stack", limit: limits.maxStack, offset: opStart) }
        stack.append(v)
    }
    private mutating func pop(_ op: String) throws -> PickleValue {
        guard stack.count > (marks.last ?? 0) else { throw PickleError.stackUnderflow(opcode: op, offset: opStart) }
        return stack.removeLast()
    }
    private mutating func top(_ op: String) throws -> PickleValue {
        guard stack.count > (marks.last ?? 0), let v = stack.last else { throw PickleError.stackUnderflow(opcode: op, offset: opStart) }
        return v
    }
    private mutating func popMark(_ op: String) throws -> [PickleValue] {
        guard let m = marks.popLast() else { throw PickleError.missingMark(opcode: op, offset: opStart) }
        let items = Array(stack[m...])
        stack.removeSubrange(m...)
        return items
    }
    private mutating func register<T: ArenaMember>(_ c: T) throws -> T {
        guard arena.members.count < limits.maxContainers else {
            throw PickleError.limitExceeded(what: "container count", limit: limits.maxContainers, offset: opStart)
        }
        arena.members.append(c)
        return c
    }
    private mutating func tuple(_ items: [PickleValue]) throws -> PickleValue {
        let t = PickleTuple(items)
        guard t.depth <= limits.maxDepth else { throw PickleError.limitExceeded(what: "nesting depth", limit: limits.maxDepth, offset: opStart) }
        return .tuple(t)
    }
    private mutating func memoPut(_ i: Int) throws {
        guard i >= 0 else { throw PickleError.invalidLiteral("negative memo index \(i)", offset: opStart) }
        let v = try top("PUT")
        if i < memoDense.count { memoDense[i] = v; return }
        if memo[i] == nil, memoCount >= limits.maxMemo {
            throw PickleError.limitExceeded(what: "memo size", limit: limits.maxMemo, offset: opStart)
        }
        if i == memoDense.count, memo.isEmpty { memoDense.append(v) } else { memo[i] = v }
    }
    /// The number of memo entries (what `MEMOIZE` uses as its index, like Python's `len(memo)`).
    private var memoCount: Int { memoDense.count + memo.count }
    private mutating func memoGet(_ i: Int) throws {
        if i >= 0, i < memoDense.count { try push(memoDense[i]); return }
        guard let v = memo[i] else { throw PickleError.missingMemo(index: i, offset: opStart) }
        try push(v)
    }

    // MARK: - Integers

    private func signedLE(_ b: UnsafeRawBufferPointer) -> PickleValue {
        if b.isEmpty { return .int(0) }
        if b.count <= 8 {
            var v: UInt64 = 0
            for (i, x) in b.enumerated() { v |= UInt64(x) << (8 * UInt64(i)) }
            if b.count < 8, b[b.count - 1] & 0x80 != 0 { v |= ~0 << (8 * UInt64(b.count)) }
            return .int(Int64(bitPattern: v))
        }
        return .bigInt(Array(b))
    }
    private mutating func decimal(_ text: [UInt8]) throws -> PickleValue {
        var t = text
        if t.last == UInt8(ascii: "L") { t.removeLast() }
        guard t.count <= limits.maxIntegerBytes * 3 else {
            throw PickleError.limitExceeded(what: "integer literal", limit: limits.maxIntegerBytes * 3, offset: opStart)
        }
        let s = String(decoding: t, as: UTF8.self)
        if let v = Int64(s) { return .int(v) }
        guard !s.isEmpty, s.drop(while: { $0 == "-" || $0 == "+" }).allSatisfy(\.isNumber) else {
            throw PickleError.invalidLiteral("bad integer '\(s.prefix(40))'", offset: opStart)
        }
        return .bigInt(BigDecimal.twosComplement(decimal: s))
    }

    // MARK: - Calls

    private mutating func call(_ callee: PickleValue, _ args: PickleValue, op: String) throws -> PickleValue {
        guard case .global(let g) = callee else {
            throw PickleError.typeMismatch(opcode: op, expected: "an allow-listed callable", found: callee.kindName, offset: opStart)
        }
        guard g.isCallable else { throw PickleError.typeMismatch(opcode: op, expected: "a callable", found: g.qualifiedName, offset: opStart) }
        guard case .tuple(let t) = args else { throw PickleError.typeMismatch(opcode: op, expected: "an argument tuple", found: args.kindName, offset: opStart) }
        switch g {
        case .orderedDict:
            let d = try register(PickleDict())
            if let first = t.items.first {
                guard case .list(let l) = first else { throw PickleError.typeMismatch(opcode: op, expected: "a list of pairs", found: first.kindName, offset: opStart) }
                for item in l.items {
                    guard case .tuple(let pair) = item, pair.items.count == 2 else {
                        throw PickleError.typeMismatch(opcode: op, expected: "a key/value pair", found: item.kindName, offset: opStart)
                    }
                    d.set(pair.items[0], pair.items[1])
                }
            }
            return .dict(d)
        case .builtinSet, .builtinFrozenset:
            let s = try register(PickleSet(frozen: g == .builtinFrozenset))
            if let first = t.items.first {
                switch first {
                case .list(let l): s.items = l.items
                case .tuple(let tt): s.items = tt.items
                case .set(let ss): s.items = ss.items
                default: throw PickleError.typeMismatch(opcode: op, expected: "an iterable", found: first.kindName, offset: opStart)
                }
            }
            return .set(s)
        default:
            return .object(try register(PickleObject(callee: g, args: t.items)))
        }
    }

    // MARK: - Run

    /// Runs to `STOP`.
    package mutating func run() throws -> PickleResult {
        while true {
            opStart = pos
            let op = try byte()
            switch op {
            case 0x80: // PROTO
                let v = Int(try byte())
                guard v <= 5 else { throw PickleError.unsupportedProtocol(v, offset: opStart) }
            case 0x95: // FRAME
                _ = try length64()
            case 0x2E: // STOP
                let v = try pop("STOP")
                return PickleResult(value: v, end: pos, persistentIDs: pids, arena: arena)
            case 0x28: // MARK
                guard marks.count < limits.maxMarks else { throw PickleError.limitExceeded(what: "open marks", limit: limits.maxMarks, offset: opStart) }
                marks.append(stack.count)
            case 0x30: // POP
                if stack.count > (marks.last ?? 0) { stack.removeLast() } else if !marks.isEmpty { marks.removeLast() } else {
                    throw PickleError.stackUnderflow(opcode: "POP", offset: opStart)
                }
            case 0x31: _ = try popMark("POP_MARK")
            case 0x32: try push(try top("DUP"))
            // Constants and numbers
            case 0x4E: try push(.none)
            case 0x88: try push(.bool(true))
            case 0x89: try push(.bool(false))
            case 0x4A: try push(.int(Int64(Int32(bitPattern: try uint32())))) // BININT
            case 0x4B: try push(.int(Int64(try byte()))) // BININT1
            case 0x4D: try push(.int(Int64(try uint16()))) // BININT2
            case 0x8A: // LONG1
                let n = Int(try byte())
                try push(signedLE(try bytes(n)))
            case 0x8B: // LONG4
                let n = Int(Int32(bitPattern: try uint32()))
                guard n >= 0 else { throw PickleError.invalidLiteral("negative LONG4 length", offset: opStart) }
                guard n <= limits.maxIntegerBytes else { throw PickleError.limitExceeded(what: "integer size", limit: limits.maxIntegerBytes, offset: opStart) }
                try push(signedLE(try bytes(n)))
            case 0x49: // INT (text)
                let l = try line()
                if l == Array("01".utf8) { try push(.bool(true)) } else if l == Array("00".utf8) { try push(.bool(false)) } else { try push(try decimal(l)) }
            case 0x4C: try push(try decimal(try line())) // LONG (text)
            case 0x47: // BINFLOAT (big-endian)
                let v = try uint64()
                try push(.float(Double(bitPattern: v.byteSwapped)))
            case 0x46: // FLOAT (text)
                let s = String(decoding: try line(), as: UTF8.self)
                guard let d = Double(s) else { throw PickleError.invalidLiteral("bad float '\(s.prefix(40))'", offset: opStart) }
                try push(.float(d))
            // Strings and bytes
            case 0x58: // BINUNICODE
                let n = Int(try uint32()); try push(.string(try utf8(try bytes(n))))
            case 0x8C: // SHORT_BINUNICODE
                let n = Int(try byte()); try push(.string(try utf8(try bytes(n))))
            case 0x8D: // BINUNICODE8
                let n = try length64(); try push(.string(try utf8(try bytes(n))))
            case 0x56: // UNICODE (raw-unicode-escape text)
                try push(.string(try TextLiterals.rawUnicodeEscape(try line(), offset: opStart)))
            case 0x53: // STRING (quoted text)
                try push(.bytes(try TextLiterals.quoted(try line(), offset: opStart)))
            case 0x54: // BINSTRING
                let n = Int(Int32(bitPattern: try uint32()))
                guard n >= 0 else { throw PickleError.invalidLiteral("negative BINSTRING length", offset: opStart) }
                try push(.bytes(Array(try bytes(n))))
            case 0x55: // SHORT_BINSTRING
                let n = Int(try byte()); try push(.bytes(Array(try bytes(n))))
            case 0x42: // BINBYTES
                let n = Int(try uint32()); try push(.bytes(Array(try bytes(n))))
            case 0x43: // SHORT_BINBYTES
                let n = Int(try byte()); try push(.bytes(Array(try bytes(n))))
            case 0x8E: // BINBYTES8
                let n = try length64(); try push(.bytes(Array(try bytes(n))))
            case 0x96: // BYTEARRAY8
                let n = try length64(); try push(.bytes(Array(try bytes(n))))
            case 0x97: throw PickleError.unsupportedOpcode("NEXT_BUFFER (out-of-band data)", offset: opStart)
            case 0x98: _ = try top("READONLY_BUFFER")
            // Containers
            case 0x29: try push(try tuple([]))
            case 0x85: let a = try pop("TUPLE1"); try push(try tuple([a]))
            case 0x86: let b = try pop("TUPLE2"); let a = try pop("TUPLE2"); try push(try tuple([a, b]))
            case 0x87:
                let c = try pop("TUPLE3"); let b = try pop("TUPLE3"); let a = try pop("TUPLE3")
                try push(try tuple([a, b, c]))
            case 0x74: try push(try tuple(try popMark("TUPLE")))
            case 0x5D: try push(.list(try register(PickleList())))
            case 0x6C: // LIST
                let items = try popMark("LIST")
                let l = try register(PickleList()); l.items = items; try push(.list(l))
            case 0x7D: try push(.dict(try register(PickleDict())))
            case 0x64: // DICT
                let items = try popMark("DICT")
                guard items.count % 2 == 0 else { throw PickleError.invalidLiteral("DICT with an odd number of items", offset: opStart) }
                let d = try register(PickleDict())
                d.reserve(items.count / 2)
                for i in stride(from: 0, to: items.count, by: 2) { d.set(items[i], items[i + 1]) }
                try push(.dict(d))
            case 0x8F: try push(.set(try register(PickleSet(frozen: false))))
            case 0x91: // FROZENSET
                let items = try popMark("FROZENSET")
                let s = try register(PickleSet(frozen: true)); s.items = items; try push(.set(s))
            case 0x61: // APPEND
                let v = try pop("APPEND")
                try appendTarget("APPEND").items.append(v)
            case 0x65: // APPENDS
                let items = try popMark("APPENDS")
                try appendTarget("APPENDS").items.append(contentsOf: items)
            case 0x73: // SETITEM
                let v = try pop("SETITEM"); let k = try pop("SETITEM")
                try dictTarget("SETITEM").set(k, v)
            case 0x75: // SETITEMS
                let items = try popMark("SETITEMS")
                guard items.count % 2 == 0 else { throw PickleError.invalidLiteral("SETITEMS with an odd number of items", offset: opStart) }
                let d = try dictTarget("SETITEMS")
                d.reserve(items.count / 2)
                for i in stride(from: 0, to: items.count, by: 2) { d.set(items[i], items[i + 1]) }
            case 0x90: // ADDITEMS
                let items = try popMark("ADDITEMS")
                let t = try top("ADDITEMS")
                guard case .set(let s) = t, !s.frozen else { throw PickleError.typeMismatch(opcode: "ADDITEMS", expected: "a set", found: t.kindName, offset: opStart) }
                s.items.append(contentsOf: items)
            // Memo
            case 0x70: // PUT (text)
                try memoPut(try textIndex())
            case 0x71: try memoPut(Int(try byte())) // BINPUT
            case 0x72: try memoPut(Int(try uint32())) // LONG_BINPUT
            case 0x94: try memoPut(memoCount) // MEMOIZE
            case 0x67: try memoGet(try textIndex()) // GET
            case 0x68: try memoGet(Int(try byte())) // BINGET
            case 0x6A: try memoGet(Int(try uint32())) // LONG_BINGET
            // Globals and calls
            case 0x63: // GLOBAL
                let module = String(decoding: try line(), as: UTF8.self)
                let name = String(decoding: try line(), as: UTF8.self)
                try push(try global(module, name))
            case 0x93: // STACK_GLOBAL
                let n = try pop("STACK_GLOBAL"); let m = try pop("STACK_GLOBAL")
                guard case .string(let module) = m, case .string(let name) = n else {
                    throw PickleError.typeMismatch(opcode: "STACK_GLOBAL", expected: "two strings", found: "\(m.kindName), \(n.kindName)", offset: opStart)
                }
                try push(try global(module, name))
            case 0x52: // REDUCE
                let args = try pop("REDUCE"); let f = try pop("REDUCE")
                try push(try call(f, args, op: "REDUCE"))
            case 0x81: // NEWOBJ
                let args = try pop("NEWOBJ"); let cls = try pop("NEWOBJ")
                try push(try call(cls, args, op: "NEWOBJ"))
            case 0x92: // NEWOBJ_EX
                let kwargs = try pop("NEWOBJ_EX"); let args = try pop("NEWOBJ_EX"); let cls = try pop("NEWOBJ_EX")
                if case .dict(let d) = kwargs, !d.entries.isEmpty {
                    throw PickleError.unsupportedOpcode("NEWOBJ_EX with keyword arguments", offset: opStart)
                }
                try push(try call(cls, args, op: "NEWOBJ_EX"))
            case 0x69: // INST
                let module = String(decoding: try line(), as: UTF8.self)
                let name = String(decoding: try line(), as: UTF8.self)
                let g = try global(module, name)
                let args = try popMark("INST")
                try push(try call(g, try tuple(args), op: "INST"))
            case 0x6F: // OBJ
                var items = try popMark("OBJ")
                guard !items.isEmpty else { throw PickleError.stackUnderflow(opcode: "OBJ", offset: opStart) }
                let cls = items.removeFirst()
                try push(try call(cls, try tuple(items), op: "OBJ"))
            case 0x62: // BUILD
                let state = try pop("BUILD")
                let t = try top("BUILD")
                switch t {
                case .dict(let d): d.state = state
                case .object(let o): o.state = state
                default: throw PickleError.typeMismatch(opcode: "BUILD", expected: "an OrderedDict or a rebuilt tensor", found: t.kindName, offset: opStart)
                }
            case 0x50: // PERSID (text)
                let s = String(decoding: try line(), as: UTF8.self)
                let v = PickleValue.persistentID(.string(s)); pids.append(v); try push(v)
            case 0x51: // BINPERSID
                let pid = try pop("BINPERSID")
                if case .persistentID = pid { throw PickleError.typeMismatch(opcode: "BINPERSID", expected: "a tuple", found: pid.kindName, offset: opStart) }
                guard pid.depth < limits.maxDepth else { throw PickleError.limitExceeded(what: "nesting depth", limit: limits.maxDepth, offset: opStart) }
                let v = PickleValue.persistentID(pid); pids.append(v); try push(v)
            case 0x82, 0x83, 0x84: throw PickleError.unsupportedOpcode("EXT (copyreg extension registry)", offset: opStart)
            default: throw PickleError.unknownOpcode(op, offset: opStart)
            }
        }
    }

    private mutating func textIndex() throws -> Int {
        let s = String(decoding: try line(), as: UTF8.self)
        guard let i = Int(s), i >= 0 else { throw PickleError.invalidLiteral("bad memo index '\(s.prefix(20))'", offset: opStart) }
        return i
    }
    private func global(_ module: String, _ name: String) throws -> PickleValue {
        guard let g = PickleGlobal(module: module, name: name) else {
            throw PickleError.forbiddenGlobal("\(module.prefix(80)).\(name.prefix(80))", offset: opStart)
        }
        return .global(g)
    }
    private mutating func appendTarget(_ op: String) throws -> PickleList {
        let t = try top(op)
        guard case .list(let l) = t else { throw PickleError.typeMismatch(opcode: op, expected: "a list", found: t.kindName, offset: opStart) }
        return l
    }
    private mutating func dictTarget(_ op: String) throws -> PickleDict {
        let t = try top(op)
        guard case .dict(let d) = t else { throw PickleError.typeMismatch(opcode: op, expected: "a dict", found: t.kindName, offset: opStart) }
        return d
    }
}
