import Foundation
import Testing

/// Checks JSON text against a schema in `schema/` with `scripts/check-json.py` (the
/// Python `jsonschema` package, an implementation independent of ours), strictly: a key
/// the schema does not list fails too.
enum SchemaCheck {
    struct Outcome {
        var valid: Bool
        var problems: String
    }

    struct PeerMissing: Error, CustomStringConvertible {
        var description: String
    }

    /// Validates `json` against `schema/<schema>`. Throws when the checker cannot run
    /// (python3 or jsonschema missing), so the test fails with how to fix it.
    static func check(_ json: String, against schema: String) throws -> Outcome {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rehab-json-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("output.json")
        try Data(json.utf8).write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", packageRoot.appendingPathComponent("scripts/check-json.py").path,
                             packageRoot.appendingPathComponent("schema/\(schema)").path, file.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        do { try process.run() } catch {
            throw PeerMissing(description: "cannot start python3 (\(error)); run `make test`, which installs jsonschema")
        }
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        switch process.terminationStatus {
        case 0: return Outcome(valid: true, problems: "")
        case 1: return Outcome(valid: false, problems: text)
        case 2: throw PeerMissing(description: "check-json.py could not run: \(text) (run `make test` to install jsonschema)")
        case 127: throw PeerMissing(description: "python3 is missing: run `make test`, which installs the JSON Schema peer")
        default: throw PeerMissing(description: "check-json.py failed (\(process.terminationStatus)): \(text)")
        }
    }

    /// Records an issue when `json` does not match `schema`.
    static func expectValid(_ json: String, against schema: String, _ what: String,
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
        let outcome = try check(json, against: schema)
        #expect(outcome.valid, "\(what) does not match schema/\(schema):\n\(outcome.problems)", sourceLocation: sourceLocation)
    }

    /// The parsed JSON object, or an empty one.
    static func object(_ json: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] ?? [:]
    }
}
