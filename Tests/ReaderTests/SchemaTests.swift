// ReaderTests: real `tinify inspect --json [--digest]` output validates against
// Schemas/inspect.schema.json (JSON Schema 2020-12, checked by Python's `jsonschema`), and
// the schema rejects output that is wrong.
import Foundation
import TestSupport
import XCTest

final class SchemaTests: XCTestCase {
    static let schema = Fixtures.root + "/Schemas/inspect.schema.json"

    /// Validates every document against the schema, then checks that broken copies of the first are refused.
    static let validator = """
    import copy, json, sys
    import jsonschema
    schema = json.load(open(sys.argv[1]))
    jsonschema.Draft202012Validator.check_schema(schema)
    v = jsonschema.Draft202012Validator(schema)
    docs = [json.load(open(p)) for p in sys.argv[2:]]
    for p, d in zip(sys.argv[2:], docs):
        errs = sorted(v.iter_errors(d), key=lambda e: list(e.path))
        if errs:
            print(p + ": " + errs[0].message + " at " + "/".join(map(str, errs[0].path)))
            sys.exit(1)
    def broken(d):
        a = copy.deepcopy(d); a["container"] = "zip"; yield "unknown container", a
        a = copy.deepcopy(d); del a["tensors"][0]["dtype"]; yield "tensor without dtype", a
        a = copy.deepcopy(d); a["tensors"][0]["shape"] = [-1]; yield "negative size", a
        a = copy.deepcopy(d); a["tensors"][0]["sha256"] = "ABC"; yield "bad sha256", a
        a = copy.deepcopy(d); del a["values"]; yield "no values", a
        a = copy.deepcopy(d); a["tensor_count"] = "3"; yield "count as a string", a
    for what, b in broken(docs[0]):
        if v.is_valid(b):
            print("schema accepts a document with " + what)
            sys.exit(1)
    a = copy.deepcopy(docs[0]); a["architecture"] = "mbt2018-mean"; a["N"] = 8; a["M"] = 12
    if not v.is_valid(a):
        print("schema refuses additional top-level fields")
        sys.exit(1)
    print("ok %d" % len(docs))
    """

    func testInspectOutputMatchesSchema() throws {
        let probe = try? TinifyBinary.run("/usr/bin/env", ["python3", "-c", "import jsonschema"])
        guard let probe, probe.status == 0 else {
            throw XCTSkip("python3 with the jsonschema module is not available (\(probe?.stderr.split(separator: "\n").last ?? "python3 did not start")); the schema was not checked")
        }
        let dir = Fixtures.scratch("schema")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var docs: [String] = []
        let runs: [(String, [String])] = [
            ("edge-cases.pth", ["--json", "--digest"]),
            ("edge-cases-legacy.pth", ["--json"]),
            ("mbt2018-mean-N8-M12-training.pth", ["--json", "--digest"]),
            ("bmshj2018-hyperprior-N8-M12-deflated.pth", ["--json"]),
            ("cheng2020-attn-N8-M8-reference.pt", ["--json", "--digest"]),
        ]
        for (i, (file, flags)) in runs.enumerated() {
            let r = try TinifyBinary.run(["inspect"] + flags + [Fixtures.path(file)])
            XCTAssertEqual(r.status, 0, "\(file): \(r.stderr)")
            let out = dir + "/\(i).json"
            try r.stdout.write(to: URL(fileURLWithPath: out))
            docs.append(out)
        }
        let v = try TinifyBinary.run("/usr/bin/env", ["python3", "-c", Self.validator, Self.schema] + docs)
        let said = String(decoding: v.stdout, as: UTF8.self)
        XCTAssertEqual(v.status, 0, said + v.stderr)
        XCTAssertEqual(said, "ok \(runs.count)\n", v.stderr)
    }
}
