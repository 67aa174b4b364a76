import Foundation
import Testing

/// The committed example calendars in `exports/` must be what the current code writes:
/// each is re-exported into a temporary folder exactly as `make exports` does and the
/// bytes compared.
@Suite("committed example exports")
struct ExportExamplesTests {
    static let asOf = "2026-11-23"  // EXAMPLE_AS_OF in the Makefile

    static var examples: [(file: String, id: String)] {
        let folder = packageRoot.appendingPathComponent("programs/examples")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().compactMap { name in
            let path = "programs/examples/\(name)"
            guard let text = try? String(contentsOf: packageRoot.appendingPathComponent(path), encoding: .utf8),
                  let line = text.split(separator: "\n").first(where: { $0.hasPrefix("id:") }) else { return nil }
            return (path, line.dropFirst(3).trimmingCharacters(in: .whitespaces))
        }
    }

    @Test func everyExamplePatientHasACommittedExportAndNothingElseIsThere() throws {
        let committed = try FileManager.default.contentsOfDirectory(atPath: packageRoot.appendingPathComponent("exports").path)
            .filter { $0.hasSuffix(".ics") }.sorted()
        #expect(!Self.examples.isEmpty)
        #expect(committed == Self.examples.map { "\($0.id).ics" }.sorted(),
                "exports/ must hold one <id>.ics per programs/examples patient: run `make exports`")
    }

    @Test func committedExportsAreUpToDate() throws {
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("rehab-exports-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: temp) }
        for example in Self.examples {
            let out = temp.appendingPathComponent("\(example.id).ics")
            let result = try runRehab(["export", example.file, "--out", out.path, "--as-of", Self.asOf])
            #expect(result.status == 0, "\(result.stderr)")
            let fresh = try Data(contentsOf: out)
            let committed = try? Data(contentsOf: packageRoot.appendingPathComponent("exports/\(example.id).ics"))
            #expect(committed == fresh,
                    "exports/\(example.id).ics is stale (the code or \(example.file) changed): run `make exports` and commit the result")
        }
    }
}
