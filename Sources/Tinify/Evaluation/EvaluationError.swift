// Tinify: the errors of dataset evaluation, result documents, Bjøntegaard deltas and plots.
import TinifyCore

/// Why an evaluation, a result document, a BD-rate or a plot was refused.
public enum EvaluationError: Error, TinifyError, Sendable {
    /// A file could not be read.
    case unreadable(path: String, reason: String)
    /// A result document is not eval_model's format.
    case invalidDocument(path: String, reason: String)
    /// A partial result (`tinify eval --shard`) is malformed.
    case invalidPartial(path: String, reason: String)
    /// A dataset folder or argument names no image.
    case noImages(path: String)
    /// Partial results that do not make one run (another image list, checkpoint, shard count…).
    case inconsistentParts(path: String, reason: String)
    /// A rate–distortion curve a BD-rate cannot use (too few points, not monotonic, no overlap).
    case unusableCurve(reason: String)
    /// Anything else about the request.
    case badRequest(String)

    /// One line stating the fact (the file it concerns is `file`, as for every stage's error).
    public var description: String {
        switch self {
        case let .unreadable(_, reason): return reason
        case let .invalidDocument(_, reason): return "not an eval_model result document: \(reason)"
        case let .invalidPartial(_, reason): return "not a tinify partial result: \(reason)"
        case .noImages: return "no images found (\(DatasetImages.extensions.joined(separator: ", ")))"
        case let .inconsistentParts(_, reason): return reason
        case let .unusableCurve(reason): return reason
        case let .badRequest(reason): return reason
        }
    }
}
