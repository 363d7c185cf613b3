// Tinify: the release version.

/// The version of Tinify, as the command and the files it writes report it.
public enum TinifyVersion {
    /// The version string, e.g. `0.1.0`.
    public static let string = "0.1.0"
}
