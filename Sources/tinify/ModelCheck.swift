// tinify: `verify`'s logic: find the model weights, detect or check the architecture,
// and check a pretrained file name's hash prefix.
import Tinify

/// The result of checking a weights file against the architectures.
package struct ModelCheck {
    /// The report against the detected (or requested) architecture; for a file no architecture
    /// fits, the closest one's.
    package let report: VerificationReport?
    /// The state dict checked.
    package let stateDict: StateDict
    /// The hash-prefix check, when the file name carries one (`…-446d5c7f.pth.tar`).
    package let hashCheck: (expected: String, actual: String)?
    /// Why nothing could be checked, when `report` is nil.
    package let failure: String?

    /// Checks `stateDict` (read from `path`), against `architecture` when given, else detecting it.
    package init(stateDict: StateDict, path: String?, architecture: Architecture? = nil) throws {
        self.stateDict = stateDict
        var report: VerificationReport? = nil
        var failure: String? = nil
        if let id = architecture {
            do { report = try id.verify(stateDict) } catch { failure = String(describing: error) }
        } else {
            do { report = try Architecture.detectReport(stateDict) } catch ArchitectureError.noArchitectureFits(let closest) {
                report = closest
                failure = closest.map { "no architecture fits; closest is \($0.architecture.rawValue) (\($0.hyperparameters)) with \($0.problems.count) problems" }
                    ?? "no architecture fits (no g_a.0 weight to infer N from)"
            }
        }
        self.report = report
        self.failure = failure
        hashCheck = path.flatMap(ModelCheck.hashPrefix).flatMap { expected in
            guard let actual = try? FileDigest.sha256(ofFile: path ?? "") else { return nil }
            return (expected, String(actual.prefix(8)))
        }
    }

    /// Whether the weights fit and any hash prefix matches.
    package var ok: Bool { (report?.ok ?? false) && (hashCheck.map { $0.expected == $0.actual } ?? true) }

    /// The 8-hex-digit hash prefix of a zoo-style file name (`name-<hash8>.pth[.tar]`), if any.
    package static func hashPrefix(_ path: String) -> String? {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        let stem = base.split(separator: ".", omittingEmptySubsequences: false).first.map(String.init) ?? base
        guard let dash = stem.lastIndex(of: "-") else { return nil }
        let h = stem[stem.index(after: dash)...]
        return h.count == 8 && h.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) ? String(h) : nil
    }

    /// N and M, then ELIC's `groups` and a VBR model's `vr_entbttlnck`, each only when set.
    static func hyperparameterFields(_ h: Hyperparameters) -> [(String, JSON)] {
        var out: [(String, JSON)] = [("N", .int(h.N)), ("M", .int(h.M))]
        if !h.groups.isEmpty { out.append(("groups", .array(h.groups.map { .int($0) }))) }
        if h.variableRateBottleneck { out.append(("vr_entbttlnck", .bool(true))) }
        return out
    }

    /// The `--json` object of `tinify verify`.
    package func json(file: String) -> JSON {
        var fields: [(String, JSON)] = [("file", .string(file))]
        if let r = report {
            fields += [
                ("architecture", .string(r.architecture.rawValue)),
                ("hyperparameters", .object(Self.hyperparameterFields(r.hyperparameters))),
            ]
        } else {
            fields += [("architecture", .null), ("hyperparameters", .null)]
        }
        fields += [
            ("ok", .bool(ok)),
            ("updated", .bool(report?.updated ?? false)),
            ("part", report?.part.map { .string($0.rawValue) } ?? .null),
            ("state_dict", stateDict.wrapperKey.map { .string($0) } ?? .null),
            ("renamed", .array(stateDict.renamed.map { .object([("rule", .string($0.rule)), ("keys", .int($0.count))]) })),
            ("problems", .array((report?.problems ?? []).map { p in
                .object([("kind", .string(p.kind.rawValue)), ("key", .string(p.key)),
                         ("expected", p.expected.map { .string($0) } ?? .null), ("actual", p.actual.map { .string($0) } ?? .null),
                         ("module", p.module.map { .string($0) } ?? .null)])
            })),
        ]
        if let h = hashCheck {
            fields.append(("hash_check", .object([("expected", .string(h.expected)), ("actual", .string(h.actual)), ("ok", .bool(h.expected == h.actual))])))
        }
        if let failure { fields.append(("error", .string(failure))) }
        return .object(fields)
    }

    /// The human-readable report.
    package func text(file: String) -> String {
        var out = ""
        if let r = report {
            let verdict = r.ok ? "fits" : failure == nil ? "does not fit" : "closest architecture:"
            out += "\(file): \(verdict) \(r.architecture.rawValue) (\(r.architecture.className), \(r.hyperparameters))\n"
            if let part = r.part { out += "part: \(part.rawValue) only (no \(part.droppedPrefixes.map { String($0.dropLast()) }.joined(separator: ", ")))\n" }
            out += "updated: \(r.updated ? "yes (CDF tables present)" : "no (CDF tables empty: run `tinify update`)")\n"
        } else {
            out += "\(file): no architecture could be checked\n"
        }
        if let s = stateDict.wrapperKey { out += "weights: under '\(s)' (training checkpoint)\n" }
        for r in stateDict.renamed { out += "renamed: \(r.rule) (\(r.count) keys)\n" }
        if let h = hashCheck { out += "hash prefix: \(h.expected) \(h.expected == h.actual ? "matches" : "does NOT match (sha256 starts \(h.actual))")\n" }
        if let failure { out += "error: \(failure)\n" }
        if let r = report, !r.ok {
            out += "\(r.problems.count) problems:\n"
            for p in r.problems { out += "  \(p)\n" }
        }
        return out
    }
}
