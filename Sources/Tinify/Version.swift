// Tinify: the release version.

/// Tinify's version.
public enum TinifyVersion {
    /// The version string, e.g. `0.1.0`.
    public static let string = "0.1.0"
}
