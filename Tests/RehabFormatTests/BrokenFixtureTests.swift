import Foundation
@testable import RehabFormat
import Testing

/// Every file under Fixtures/broken names the exact diagnostics it must produce on its first
/// line (`# expect: category line:column, ...`); nothing more, nothing less.
struct BrokenFixtureTests {
    @Test func theCorpusIsLargeAndCoversEveryCategory() throws {
        let names = brokenFixtureNames()
        #expect(names.count >= 25)
        var categories: Set<String> = []
        for name in names {
            let expected = try #require(Expected.parse(firstLineOf: try fixtureText("broken/\(name)")), "\(name)")
            categories.formUnion(expected.map(\.category))
        }
        let required: Set<String> = [
            "syntax", "unknown-key", "missing-key", "type", "unknown-exercise", "dose", "stage-order", "duplicate-id",
            "unknown-procedure", "time", "missing-source", "version", "session-index", "unknown-stage",
            "unknown-program", "date", "timezone", "patient-id", "range", "procedure-mismatch", "file-kind",
            "duplicate-key", "weekday",
        ]
        #expect(required.subtracting(categories).isEmpty, "no fixture for \(required.subtracting(categories).sorted())")
    }

    @Test(arguments: brokenFixtureNames())
    func reportsExactlyTheExpectedDiagnostics(name: String) throws {
        let text = try fixtureText("broken/\(name)")
        let expected = try #require(Expected.parse(firstLineOf: text), "\(name) has no '# expect:' line")
        #expect(!expected.isEmpty)
        let file = fixtures.appendingPathComponent("broken/\(name)").path
        let results = FileValidator.validate([(file: file, text: text)], fallback: try fixtureCatalog())
        let diagnostics = try #require(results.first)
        #expect(diagnostics.map { Expected(category: $0.category, line: $0.line, column: $0.column) } == expected)
        for d in diagnostics {
            #expect(d.file == file)
            #expect(!d.message.isEmpty)
            #expect(d.rendered.hasPrefix("\(file):\(d.line):\(d.column): error: [\(d.category)] "))
        }
    }

    @Test func aFileWithManyProblemsReportsThemAllInOneRun() throws {
        let text = try fixtureText("broken/multi-errors.yaml")
        let catalog = try fixtureCatalog()
        do {
            _ = try ProgramReader.read(text: text, file: "multi.yaml", library: catalog.library)
            Issue.record("expected the program to be refused")
        } catch {
            #expect(Set(error.diagnostics.map(\.category)) ==
                    ["missing-key", "unknown-key", "dose", "missing-source", "stage-order", "time"])
            #expect(error.diagnostics.count == 6)
            #expect(error.diagnostics.map(\.line) == error.diagnostics.map(\.line).sorted())
        }
    }

    @Test func everyTruncationOfAValidProgramIsHandledWithPositions() throws {
        // No input may crash the reader; every problem names a position inside the file.
        let text = try fixtureText("valid/program.yaml")
        let catalog = try fixtureCatalog()
        let scalars = Array(text.unicodeScalars)
        var refused = 0
        for end in stride(from: 0, to: scalars.count, by: 3) {
            var cut = String.UnicodeScalarView()
            cut.append(contentsOf: scalars[0..<end])
            let piece = String(cut)
            let lineCount = piece.split(separator: "\n", omittingEmptySubsequences: false).count
            let diagnostics = FileValidator.validate([(file: "cut.yaml", text: piece)], fallback: catalog)[0]
            if !diagnostics.isEmpty { refused += 1 }
            for d in diagnostics { #expect((1...max(1, lineCount + 1)).contains(d.line), "\(d.rendered)") }
        }
        #expect(refused > scalars.count / 3 - 5)
    }
}
