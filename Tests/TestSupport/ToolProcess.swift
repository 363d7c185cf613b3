// TestSupport: the `tinify` binary built beside the test bundle, and running processes.
import Foundation

/// Finds and runs command-line tools for end-to-end tests.
public enum ToolProcess {
    /// What a process printed and how it exited.
    public struct Result {
        /// The exit status.
        public let status: Int32
        /// Standard output.
        public let stdout: Data
        /// Standard error, as text.
        public let stderr: String
        /// Standard output, as text.
        public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// Directories searched for `tinify`: beside the xctest bundle (on Linux
    /// `<bin>/TinifyPackageTests.xctest`), this process's executable, and argv[0].
    public static var searchedDirectories: [String] {
        var dirs: [URL] = []
        for b in Bundle.allBundles where b.bundleURL.pathExtension == "xctest" {
            dirs.append(b.bundleURL.deletingLastPathComponent())
        }
        dirs.append(URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent())
        if let a0 = CommandLine.arguments.first { dirs.append(URL(fileURLWithPath: a0).deletingLastPathComponent()) }
        return dirs.map(\.path)
    }

    /// The `tinify` executable to test: `TINIFY_EXE` when set (CI sets the release build), else
    /// the one built beside the test bundle (`swift build --build-tests`), if any.
    public static func tinifyPath() -> String? {
        if let e = ProcessInfo.processInfo.environment["TINIFY_EXE"], !e.isEmpty { return e }
        return searchedDirectories.map { $0 + "/tinify" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A product built beside the test bundle (`tinify-fuzz`, …), if any.
    public static func builtProduct(_ name: String) -> String? {
        searchedDirectories.map { $0 + "/" + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `executable` with `arguments`, reading both outputs while it runs so neither can block it.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        if let environment { p.environment = environment }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        final class Box: @unchecked Sendable { var data = Data() }
        let errBox = Box()
        let group = DispatchGroup()
        group.enter()
        let errHandle = err.fileHandleForReading
        DispatchQueue.global().async { errBox.data = errHandle.readDataToEndOfFile(); group.leave() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: outData, stderr: String(decoding: errBox.data, as: UTF8.self))
    }
}
