// Tinify: the images of a dataset, found as CompressAI's eval_model `collect_images` finds them:
// every file under a folder (recursively, symbolic links to folders not followed) whose name ends
// in one of its extensions, sorted by path components; a file argument is taken as it is.
import TinifyCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One image of a dataset: its path and the folder argument it was found under.
public struct DatasetImage: Sendable, Equatable {
    /// The image's path.
    public let path: String
    /// The folder argument it was found in (`nil` for an image named directly).
    public let root: String?

    /// The path's parent folder relative to `root` (`""` at the top), where eval_model writes the
    /// image's per-image result.
    public var relativeFolder: String {
        guard let root else { return "" }
        let base = root.hasSuffix("/") ? root : root + "/"
        guard path.hasPrefix(base) else { return "" }
        let rest = path.dropFirst(base.count)
        guard let slash = rest.lastIndex(of: "/") else { return "" }
        return String(rest[..<slash])
    }

    /// The file name without its last extension (Python's `Path.stem`).
    public var stem: String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }
}

/// Finding a dataset's images.
public enum DatasetImages {
    /// The extensions eval_model collects (case-sensitive, as Python's `rglob` on Linux).
    public static let extensions = [".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp"]
    /// The most images collected from one folder.
    public static let maxImages = 1_000_000
    /// The deepest folder nesting walked.
    public static let maxDepth = 64

    /// The images of every argument in order: a folder's images (recursively, sorted by path
    /// components), or the file itself. Throws when an argument does not exist or a folder holds
    /// no image.
    public static func collect(_ arguments: [String]) throws -> [DatasetImage] {
        var images: [DatasetImage] = []
        for argument in arguments {
            var st = stat()
            guard stat(argument, &st) == 0 else {
                throw EvaluationError.unreadable(path: argument, reason: "cannot read: " + String(cString: strerror(errno)))
            }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                let root = argument.count > 1 && argument.hasSuffix("/") ? String(argument.dropLast()) : argument
                var found: [String] = []
                try walk(root, depth: 0, into: &found)
                guard !found.isEmpty else { throw EvaluationError.noImages(path: argument) }
                let sorted = found.map { (path: $0, parts: $0.split(separator: "/").map { Array($0.unicodeScalars.map(\.value)) }) }
                    .sorted { $0.parts.lexicographicallyPrecedes($1.parts) { $0.lexicographicallyPrecedes($1) } }
                images += sorted.map { DatasetImage(path: $0.path, root: root) }
            } else {
                images.append(DatasetImage(path: argument, root: nil))
            }
        }
        return images
    }

    /// Appends the image files under `folder` (not following links to folders).
    private static func walk(_ folder: String, depth: Int, into found: inout [String]) throws {
        guard depth <= maxDepth else { throw EvaluationError.badRequest("\(folder): folders nested deeper than \(maxDepth)") }
        guard let dir = opendir(folder) else {
            throw EvaluationError.unreadable(path: folder, reason: "cannot read the folder: " + String(cString: strerror(errno)))
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        for name in names {
            let path = folder == "/" ? "/" + name : folder + "/" + name
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            let kind = st.st_mode & S_IFMT
            if kind == S_IFDIR {
                try walk(path, depth: depth + 1, into: &found)
            } else if extensions.contains(where: { name.hasSuffix($0) && name.count >= $0.count }) {
                // A link to a file counts as the file (Python's is_file follows it).
                var target = stat()
                if kind == S_IFREG || (kind == S_IFLNK && stat(path, &target) == 0 && (target.st_mode & S_IFMT) == S_IFREG) {
                    found.append(path)
                    guard found.count <= maxImages else {
                        throw EvaluationError.badRequest("\(folder): more than \(maxImages) images")
                    }
                }
            }
        }
    }
}
