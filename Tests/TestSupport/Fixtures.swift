// TestSupport: paths to the project's own fixtures (never ../shared).
import Foundation

/// Locates files under `Tests/Fixtures` and `Samples`.
public enum Fixtures {
    /// The package root.
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    /// `Tests/Fixtures`.
    public static let directory = root + "/Tests/Fixtures"
    /// The path of `name` under `Tests/Fixtures`.
    public static func path(_ name: String) -> String { directory + "/" + name }
    /// The path of `name` under `Samples`.
    public static func sample(_ name: String) -> String { root + "/Samples/" + name }
    /// The parsed JSON at `Tests/Fixtures/<name>`.
    public static func json(_ name: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path(name))))
    }
    /// A fresh scratch directory.
    public static func scratch(_ tag: String = "t") -> String {
        let dir = NSTemporaryDirectory() + "tinify-tests-\(tag)-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}
