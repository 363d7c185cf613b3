// Tinify: reading evaluation documents (bounded), and writing them — the result, a partial
// result, eval_model's per-image files — atomically (a temporary file renamed into place), with eval_model's trailing-newline-free
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

/// Bounded reads and atomic writes of text files.
enum EvaluationFiles {
    /// The bytes of the file at `path`, refused (`EvaluationError.unreadable`) when it cannot be
    /// opened or is longer than `limit`.
    static func read(_ path: String, limit: Int) throws -> [UInt8] {
        let file: MappedFile
        do { file = try MappedFile(path: path) } catch { throw EvaluationError.unreadable(path: path, reason: "\(error)") }
        guard file.count <= limit else { throw EvaluationError.unreadable(path: path, reason: "larger than \(limit) bytes") }
        return file.pointer.map { Array(UnsafeRawBufferPointer(start: $0, count: file.count)) } ?? []
    }

    static func write(_ text: String, to path: String, replace: Bool) throws {
        try AtomicFile.write(to: path, replace: replace) { out in try out.write(Array(text.utf8)) }
    }
}
