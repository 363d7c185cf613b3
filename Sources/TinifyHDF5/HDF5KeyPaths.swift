// TinifyHDF5: how tensor keys become dataset paths under `/state_dict`: split on `.`, each part a
// link name. Parts HDF5 cannot use as link names are escaped injectively (`%` → `%25`, `/` → `%2F`,
// NUL → `%00`, an empty part → `%`); the `key` attribute keeps the exact key. The plan refuses
// keys that collide (`a.b` needs a dataset where `a.b.c` needs a group) before anything is written.

/// Key ⇄ HDF5 path mapping.
package enum HDF5KeyPath {
    /// The link name for one dot-separated part of a key.
    package static func linkName<S: StringProtocol>(_ part: S) -> String {
        if part.isEmpty { return "%" }
        guard part.utf8.contains(where: { $0 == 0x25 || $0 == 0x2F || $0 == 0 }) else { return String(part) }
        var out = ""
        for ch in part.unicodeScalars {
            switch ch {
            case "%": out += "%25"
            case "/": out += "%2F"
            case "\u{0}": out += "%00"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// The link names of a key's parts.
    package static func linkNames(of key: String) -> [String] {
        key.split(separator: ".", omittingEmptySubsequences: false).map { linkName($0) }
    }

    /// The dataset path of `key` relative to `/state_dict` (`g_a.0.weight` → `g_a/0/weight`).
    package static func path(of key: String) -> String { linkNames(of: key).joined(separator: "/") }
}

/// The groups and datasets a set of keys needs, in creation order; collisions are errors.
struct HDF5Plan {
    /// A group to create: its path, its parent's path ("" for `/state_dict`) and its link name.
    struct Group { let path: String; let parent: String; let name: String }
    /// A dataset to create for entry `entry`.
    struct Dataset { let entry: Int; let path: String; let parent: String; let name: String }

    /// One creation, in order: groups are made just before their first dataset, so the link
    /// creation order of every group follows the keys' order.
    enum Step { case group(Group), dataset(Dataset) }

    private(set) var steps: [Step] = []

    init(keys: [String]) throws {
        enum Node { case group(String), dataset(String) }
        var nodes: [String: Node] = [:]
        for (i, key) in keys.enumerated() {
            if key.utf8.contains(0) { throw HDF5Error.unsupportedKey(key, reason: "contains a NUL character, which HDF5 string attributes cannot hold") }
            let names = HDF5KeyPath.linkNames(of: key)
            var parent = ""
            for name in names.dropLast() {
                let path = parent.isEmpty ? name : parent + "/" + name
                switch nodes[path] {
                case .dataset(let other)?: throw HDF5Error.keyCollision(key: key, other: other)
                case .group?: break
                case nil:
                    nodes[path] = .group(key)
                    steps.append(.group(Group(path: path, parent: parent, name: name)))
                }
                parent = path
            }
            let name = names.last ?? "%"
            let path = parent.isEmpty ? name : parent + "/" + name
            switch nodes[path] {
            case .dataset(let other)?: throw other == key ? HDF5Error.duplicateKey(key) : HDF5Error.keyCollision(key: key, other: other)
            case .group(let other)?: throw HDF5Error.keyCollision(key: key, other: other)
            case nil:
                nodes[path] = .dataset(key)
                steps.append(.dataset(Dataset(entry: i, path: path, parent: parent, name: name)))
            }
        }
    }
}
