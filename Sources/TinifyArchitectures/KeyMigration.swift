// TinifyArchitectures: old key names to current ones, as one ordered list of named rules.
// CompressAI spreads these over zoo.pretrained.rename_key and models.utils; here they are in one
// place, applied once, and every rule that fired is reported.

/// One renaming rule.
package struct KeyRule: Sendable {
    /// Its name, as reported.
    public let name: String
    /// The new key, or nil when the rule does not apply.
    public let apply: @Sendable (String) -> String?
    /// Whether the rule applies to a state dict with these keys at all.
    public let applies: @Sendable ([String]) -> Bool

    /// A rule named `name`, applied to every key of the state dicts `applies` accepts.
    init(name: String, applies: @escaping @Sendable ([String]) -> Bool = { _ in true }, apply: @escaping @Sendable (String) -> String?) {
        self.name = name; self.applies = applies; self.apply = apply
    }
}

/// A rule that fired: its name and how many keys it renamed.
public struct RenameRecord: Sendable, Equatable {
    /// The name of the renaming rule that fired.
    public let rule: String
    /// How many keys the rule renamed.
    public let count: Int
    /// A record of `rule` renaming `count` keys.
    public init(rule: String, count: Int) { self.rule = rule; self.count = count }
}

/// The ordered key-migration rules.
package enum KeyMigration {
    /// `module.` (DataParallel), `.downsample.` → `.skip.`, v1 `_biases.K` lists, 1.1 `_biasK`
    /// names (except in a VBR model's `EntropyBottleneckVbr`, which keeps them: CompressAI does not
    /// rename them there), and the latent-codec layout of CompressAI after 1.2.8 (PR #352:
    /// `latent_codec.{h_a,h_s}`, `latent_codec.z.entropy_bottleneck`) to 1.2.8's `latent_codec.hyper.*`.
    public static let rules: [KeyRule] = [
        KeyRule(name: "strip-module-prefix") { $0.hasPrefix("module.") ? String($0.dropFirst(7)) : nil },
        KeyRule(name: "downsample-to-skip") { $0.utf8Range(of: ".downsample.") != nil ? $0.replacingAll(".downsample.", with: ".skip.") : nil },
        KeyRule(name: "entropy-bottleneck-v1-lists") { key in
            for (old, new) in [("_biases.", "biases."), ("_matrices.", "matrices."), ("_factors.", "factors.")] {
                if let r = renameEntropyBottleneck(key, old: old, new: new, digitsOnly: false) { return r }
            }
            return nil
        },
        KeyRule(name: "entropy-bottleneck-1.1-names", applies: { keys in !keys.contains { $0.hasPrefix("gayn2zqstep.") || $0.hasPrefix("lower_bound_zqstep.") } }) { key in
            for (old, new) in [("_bias", "biases."), ("_matrix", "matrices."), ("_factor", "factors.")] {
                if let r = renameEntropyBottleneck(key, old: old, new: new, digitsOnly: true) { return r }
            }
            return nil
        },
        KeyRule(name: "latent-codec-hyper-layout") { key in
            for (old, new) in [("latent_codec.h_a.", "latent_codec.hyper.h_a."), ("latent_codec.h_s.", "latent_codec.hyper.h_s."),
                               ("latent_codec.z.entropy_bottleneck.", "latent_codec.hyper.entropy_bottleneck.")] where key.hasPrefix(old) {
                return new + key.dropFirst(old.count)
            }
            return nil
        },
    ]

    /// `…entropy_bottleneck.<old><rest>` → `…entropy_bottleneck.<new><rest>`; with `digitsOnly`,
    /// `rest` must be one or more digits.
    static func renameEntropyBottleneck(_ key: String, old: String, new: String, digitsOnly: Bool) -> String? {
        let marker = "entropy_bottleneck."
        guard let r = key.utf8Range(of: marker + old) else { return nil }
        let rest = key[r.upperBound...]
        if digitsOnly { guard !rest.isEmpty, rest.allSatisfy(\.isASCII), rest.allSatisfy(\.isNumber) else { return nil } }
        return String(key[..<r.lowerBound]) + marker + new + rest
    }

    /// Applies every rule, in order, to every key; returns the new keys and the rules that fired.
    public static func migrate(_ keys: [String]) -> (keys: [String], fired: [RenameRecord]) {
        var keys = keys
        var fired: [RenameRecord] = []
        for rule in rules where rule.applies(keys) {
            var n = 0
            for i in keys.indices { if let k = rule.apply(keys[i]) { keys[i] = k; n += 1 } }
            if n > 0 { fired.append(RenameRecord(rule: rule.name, count: n)) }
        }
        return (keys, fired)
    }
}

extension String {
    /// Replaces every occurrence of `target` with `replacement`.
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = self[...]
        while let r = rest.utf8Range(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}

extension StringProtocol {
    /// The first occurrence of `target`, compared byte by byte on UTF-8 (the generic
    /// `firstRange(of:)` of _StringProcessing builds a searcher per call, ~100 µs each).
    func utf8Range(of target: String) -> Range<Index>? {
        let t = Array(target.utf8)
        guard let first = t.first else { return startIndex..<startIndex }
        let u = utf8
        var i = u.startIndex
        while i != u.endIndex {
            if u[i] == first {
                var j = i, k = 0
                while k < t.count, j != u.endIndex, u[j] == t[k] { j = u.index(after: j); k += 1 }
                if k == t.count { return i..<j }
            }
            i = u.index(after: i)
        }
        return nil
    }
}
