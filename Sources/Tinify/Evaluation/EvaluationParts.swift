// Tinify: dataset evaluation split into shards and merged back. The work is every (checkpoint,
// image) pair, numbered checkpoint-major (unit = checkpoint × images + image); shard I of N takes
// the units whose number is I modulo N. A partial result holds its units' per-image figures and
// the whole plan (checkpoints, images, name, description), so that merging checks the parts
// belong together and cover every unit once, then averages exactly as one run does (eval_model's
// sum over images in dataset order, divided by their count).
import TinifyCore

/// Which share of an evaluation's work one run does (`--shard I/N`).
public struct EvaluationShard: Sendable, Equatable, CustomStringConvertible {
    /// This shard's number, from 0.
    public let index: Int
    /// The number of shards.
    public let count: Int

    /// The whole work.
    public static let all = EvaluationShard(whole: ())

    private init(whole: Void) { index = 0; count = 1 }
    /// The most shards.
    public static let maxCount = 1_000_000

    /// Shard `index` of `count`; nil unless 0 ≤ index < count ≤ `maxCount`.
    public init?(index: Int, count: Int) {
        guard count >= 1, count <= Self.maxCount, index >= 0, index < count else { return nil }
        self.index = index; self.count = count
    }

    /// Parses `I/N`.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else { return nil }
        self.init(index: i, count: n)
    }

    /// `I/N`.
    public var description: String { "\(index)/\(count)" }

    /// Whether work unit `unit` is this shard's.
    public func owns(_ unit: Int) -> Bool { unit % count == index }
}

/// One run's per-image figures and the plan they belong to: the whole result when the run did
/// all the work, or a partial result to merge (`tinify eval merge`).
public struct EvaluationRecord: Sendable, Equatable {
    /// The result's name (`<arch>-<metric>`).
    public var name: String
    /// The result's description (`Inference (ans)` …).
    public var description: String
    /// The checkpoints, in result order.
    public var checkpoints: [String]
    /// The images, in dataset order.
    public var images: [String]
    /// The share of the work this record holds.
    public var shard: EvaluationShard
    /// Figures by work unit (checkpoint × images.count + image), for this shard's units.
    public var figures: [Int: ImageFigures]

    /// The format marker of a partial result file.
    public static let format = "tinify-eval-partial-1"

    /// A record from its parts.
    public init(name: String, description: String, checkpoints: [String], images: [String], shard: EvaluationShard,
                figures: [Int: ImageFigures] = [:]) {
        self.name = name; self.description = description; self.checkpoints = checkpoints
        self.images = images; self.shard = shard; self.figures = figures
    }

    /// The number of work units of the whole plan.
    public var unitCount: Int { checkpoints.count * images.count }

    /// This shard's work units, in order.
    public var units: [Int] { (0..<unitCount).filter { shard.owns($0) } }

    /// Whether every unit of this record's shard has its figures.
    public var isComplete: Bool { units.allSatisfy { figures[$0] != nil } }

    /// The result document: per checkpoint, each figure's sum over the images in dataset order
    /// divided by their count (eval_model's averaging). Needs every unit of the plan.
    public func result() throws -> EvaluationResult {
        guard !images.isEmpty else { throw EvaluationError.badRequest("no images were evaluated") }
        var lists = EvaluationResult.metrics.map { (metric: $0, values: [Double]()) }
        for c in 0..<checkpoints.count {
            var sums = [Double](repeating: 0, count: lists.count)
            for i in 0..<images.count {
                guard let f = figures[c * images.count + i] else {
                    throw EvaluationError.badRequest("no figures for \(images[i]) with \(checkpoints[c])")
                }
                for (k, entry) in f.named.enumerated() { sums[k] += entry.value }
            }
            for k in 0..<lists.count { lists[k].values.append(sums[k] / Double(images.count)) }
        }
        return EvaluationResult(name: name, description: description, results: lists)
    }

    /// The partial result file's JSON (Python's `json.dumps(…, indent=2)` layout).
    public var json: String {
        let rows: [JSONValue] = figures.sorted { $0.key < $1.key }.map { unit, f in
             .object([("checkpoint", .integer(unit / Swift.max(images.count, 1))),
                            ("image", .integer(unit % Swift.max(images.count, 1)))]
                           + f.named.map { ($0.metric, JSONValue.number($0.value)) })
        }
        return PythonJSON.dumps(.object([
            ("format", .string(Self.format)), ("name", .string(name)), ("description", .string(description)),
            ("shard", .array([.integer(shard.index), .integer(shard.count)])),
            ("checkpoints", .array(checkpoints.map { .string($0) })), ("images", .array(images.map { .string($0) })),
            ("rows", .array(rows)),
        ]))
    }

    /// Reads a partial result file's JSON; `file` names it in errors.
    public init(json bytes: [UInt8], file: String) throws {
        func bad(_ reason: String) -> EvaluationError { .invalidPartial(path: file, reason: reason) }
        let value: JSONValue
        do { value = try JSONReader.parse(bytes) } catch let e as JSONError { throw bad(e.description) }
        guard case .string(Self.format)? = value["format"] else { throw bad("no \"format\": \"\(Self.format)\"") }
        guard case .string(let name)? = value["name"], case .string(let description)? = value["description"] else {
            throw bad("no name or description")
        }
        func strings(_ key: String) throws -> [String] {
            guard case .array(let items)? = value[key] else { throw bad("no \"\(key)\" list") }
            return try items.map { item in
                guard case .string(let s) = item else { throw bad("\"\(key)\" holds a value that is not a string") }
                return s
            }
        }
        func integer(_ v: JSONValue?, _ what: String) throws -> Int {
            guard case .number(let d)? = v, d.rounded() == d, d >= 0, d < 1e15 else { throw bad("\(what) is not a count") }
            return Int(d)
        }
        let checkpoints = try strings("checkpoints"), images = try strings("images")
        guard case .array(let s)? = value["shard"], s.count == 2,
              let shard = EvaluationShard(index: try integer(s[0], "shard"), count: try integer(s[1], "shard")) else {
            throw bad("\"shard\" is not [index, count]")
        }
        guard let units = Checked.mul(checkpoints.count, images.count) else { throw bad("too many units") }
        guard case .array(let rows)? = value["rows"] else { throw bad("no \"rows\" list") }
        var figures: [Int: ImageFigures] = [:]
        for row in rows {
            let c = try integer(row["checkpoint"], "a row's checkpoint"), i = try integer(row["image"], "a row's image")
            guard c < checkpoints.count, i < images.count else { throw bad("a row names checkpoint \(c), image \(i), outside the plan") }
            var named: [String: Double] = [:]
            for metric in EvaluationResult.metrics {
                guard case .number(let v)? = row[metric] else { throw bad("a row has no \"\(metric)\" number") }
                named[metric] = v
            }
            let unit = c * images.count + i
            guard unit < units, shard.owns(unit) else { throw bad("a row (checkpoint \(c), image \(i)) is not shard \(shard)'s") }
            guard figures[unit] == nil else { throw bad("checkpoint \(c), image \(i) appears twice") }
            figures[unit] = ImageFigures(named: named)
        }
        self.init(name: name, description: description, checkpoints: checkpoints, images: images, shard: shard, figures: figures)
    }

    /// Reads a partial result file.
    public init(contentsOfFile path: String) throws {
        try self.init(json: try EvaluationFiles.read(path, limit: EvaluationResult.maxFileBytes * 4), file: path)
    }

    /// Merges the partial results of one plan (`paths` name them in errors) into the whole
    /// record: the same name, description, checkpoints, images and shard count, every shard once,
    /// every unit's figures present.
    public static func merge(_ parts: [(path: String, record: EvaluationRecord)]) throws -> EvaluationRecord {
        guard let first = parts.first else { throw EvaluationError.badRequest("no partial results to merge") }
        var merged = EvaluationRecord(name: first.record.name, description: first.record.description,
                                      checkpoints: first.record.checkpoints, images: first.record.images, shard: .all)
        var seen: [Int: String] = [:]
        for (path, part) in parts {
            let r = part
            if r.name != first.record.name || r.description != first.record.description {
                throw EvaluationError.inconsistentParts(path: path, reason: "is \"\(r.name)\" (\(r.description)), but \(first.path) is \"\(first.record.name)\" (\(first.record.description))")
            }
            if r.checkpoints != first.record.checkpoints { throw EvaluationError.inconsistentParts(path: path, reason: "evaluates other checkpoints than \(first.path)") }
            if r.images != first.record.images { throw EvaluationError.inconsistentParts(path: path, reason: "evaluates other images than \(first.path)") }
            if r.shard.count != first.record.shard.count {
                throw EvaluationError.inconsistentParts(path: path, reason: "is shard \(r.shard), but \(first.path) is shard \(first.record.shard)")
            }
            if let other = seen[r.shard.index] { throw EvaluationError.inconsistentParts(path: path, reason: "is shard \(r.shard), as \(other) is") }
            seen[r.shard.index] = path
            guard r.isComplete else {
                throw EvaluationError.inconsistentParts(path: path, reason: "shard \(r.shard) lacks figures for some of its images")
            }
            for (unit, f) in r.figures { merged.figures[unit] = f }
        }
        let count = first.record.shard.count
        if seen.count != count {
            let missing = (0..<count).filter { seen[$0] == nil }.prefix(5).map { "\($0)/\(count)" }
            throw EvaluationError.inconsistentParts(path: first.path, reason: "shards missing: \(missing.joined(separator: ", "))\(count - seen.count > 5 ? ", …" : "")")
        }
        return merged
    }
}
