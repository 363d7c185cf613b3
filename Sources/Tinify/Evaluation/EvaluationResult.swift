// Tinify: the result document of CompressAI's `compressai.utils.eval_model` (and of `tinify eval`):
// `{"name": "<arch>-<metric>", "description": "Inference (ans)", "results": {"psnr-rgb": [...],
// "ms-ssim-rgb": [...], "bpp": [...], "encoding_time": [...], "decoding_time": [...]}}`, one list
// entry per checkpoint (each the mean over the dataset's images). `compressai.utils.plot`,
// `tinify plot` and `tinify bd-rate` read it.
import TinifyCore

/// An eval_model result document: a name, a description and named lists of figures, one entry
/// per checkpoint (a rate–distortion curve).
public struct EvaluationResult: Sendable, Equatable {
    /// `"<architecture>-<metric>"`, e.g. `"mbt2018-mse"` (the legend of a plot).
    public var name: String
    /// `"Inference (ans)"` with real coding, `"Inference (entropy estimation)"` without.
    public var description: String
    /// The figures in document order: `psnr-rgb`, `ms-ssim-rgb`, `bpp`, `encoding_time`,
    /// `decoding_time`, each with one value per checkpoint.
    public var results: [(metric: String, values: [Double])]

    /// The figures eval_model reports, in its order.
    public static let metrics = ["psnr-rgb", "ms-ssim-rgb", "bpp", "encoding_time", "decoding_time"]
    /// The largest document read (16 MiB).
    public static let maxFileBytes = 1 << 24

    /// A document from its parts.
    public init(name: String, description: String, results: [(metric: String, values: [Double])]) {
        self.name = name
        self.description = description
        self.results = results
    }

    public static func == (a: EvaluationResult, b: EvaluationResult) -> Bool {
        a.name == b.name && a.description == b.description && a.results.count == b.results.count
            && zip(a.results, b.results).allSatisfy { $0.metric == $1.metric && $0.values == $1.values }
    }

    /// The values of `metric` (`"bpp"`, `"psnr-rgb"`, …), if the document has them.
    public subscript(metric: String) -> [Double]? { results.first { $0.metric == metric }?.values }

    /// Reads a document from JSON text; `file` names it in errors. Every `results` member must be
    /// a list of numbers, all of the same length.
    public init(json bytes: [UInt8], file: String = "document") throws {
        let value: JSONValue
        do { value = try JSONReader.parse(bytes) } catch let e as JSONError {
            throw EvaluationError.invalidDocument(path: file, reason: e.description)
        }
        guard case .string(let name)? = value["name"] else {
            throw EvaluationError.invalidDocument(path: file, reason: "no \"name\" string")
        }
        guard case .object(let members)? = value["results"] else {
            throw EvaluationError.invalidDocument(path: file, reason: "no \"results\" object")
        }
        var description = ""
        if case .string(let d)? = value["description"] { description = d }
        var results: [(metric: String, values: [Double])] = []
        for (metric, list) in members {
            guard case .array(let items) = list else {
                throw EvaluationError.invalidDocument(path: file, reason: "results[\"\(metric)\"] is not a list")
            }
            var values: [Double] = []
            for item in items {
                guard case .number(let v) = item else {
                    throw EvaluationError.invalidDocument(path: file, reason: "results[\"\(metric)\"] holds a value that is not a number")
                }
                values.append(v)
            }
            if let first = results.first, first.values.count != values.count {
                throw EvaluationError.invalidDocument(
                    path: file, reason: "results[\"\(metric)\"] has \(values.count) values but results[\"\(first.metric)\"] has \(first.values.count)")
            }
            results.append((metric, values))
        }
        self.init(name: name, description: description, results: results)
    }

    /// Reads a document from a JSON file.
    public init(contentsOfFile path: String) throws {
        try self.init(json: try EvaluationFiles.read(path, limit: Self.maxFileBytes), file: path)
    }

    /// The document as eval_model prints it (`json.dumps(output, indent=2)`).
    public var json: String { PythonJSON.dumps(jsonValue) }

    package var jsonValue: JSONValue {
        .object([("name", .string(name)), ("description", .string(description)),
                 ("results", .object(results.map { ($0.metric, .array($0.values.map { .number($0) })) }))])
    }
}
