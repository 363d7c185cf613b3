// Tinify: writing evaluation documents — the result, a partial result, eval_model's per-image
// files — atomically (a temporary file renamed into place), with eval_model's trailing-newline-free
// `json.dumps(…, indent=2)` text.
import TinifyCore

extension EvaluationResult {
    /// Writes the document to `path` (atomically); an existing file is refused unless `replace`.
    public func write(toFile path: String, replace: Bool = false) throws {
        try EvaluationFiles.write(json, to: path, replace: replace)
    }
}

extension EvaluationRecord {
    /// Writes the partial result to `path` (atomically); an existing file is refused unless `replace`.
    public func write(toFile path: String, replace: Bool = false) throws {
        try EvaluationFiles.write(json, to: path, replace: replace)
    }
}

extension ImageFigures {
    /// eval_model's per-image document: `{"source": <stem>, "name": <architecture>,
    /// "description": "Inference (ans)", "results": {"psnr-rgb": …, …}}`.
    public func perImageJSON(source: String, name: String, description: String) -> String {
        PythonJSON.dumps(.object([("source", .string(source)), ("name", .string(name)), ("description", .string(description)),
                                  ("results", .object(named.map { ($0.metric, .number($0.value)) }))]))
    }

    /// Writes eval_model's per-image document (see `perImageJSON`) to `path`, atomically,
    /// replacing an existing file as eval_model does.
    public func writePerImageFile(toFile path: String, source: String, name: String, description: String) throws {
        try EvaluationFiles.write(perImageJSON(source: source, name: name, description: description), to: path, replace: true)
    }
}

/// Atomic text files.
enum EvaluationFiles {
    static func write(_ text: String, to path: String, replace: Bool) throws {
        try AtomicFile.write(to: path, replace: replace) { out in try out.write(Array(text.utf8)) }
    }
}
