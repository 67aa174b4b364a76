import Foundation
@testable import RehabFormat
import RehabKit
import Testing

/// The clinical checks of `rehab validate` (`ClinicalLint`): every file under
/// Fixtures/clinical names on its first line exactly the diagnostics it must give
/// (`# expect: clinical/rule line:column, ...`), against the shipped library and references.
struct ClinicalLintTests {
    static func names() -> [String] {
        let folder = fixtures.appendingPathComponent("clinical")
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.sorted()
    }

    static func diagnostics(_ name: String) throws -> [Diagnostic] {
        let text = try fixtureText("clinical/\(name)")
        return FileValidator.validate([(file: "clinical/\(name)", text: text)], fallback: try Catalog.shipped())[0]
    }

    @Test(arguments: names())
    func reportsExactlyTheExpectedDiagnostics(name: String) throws {
        let text = try fixtureText("clinical/\(name)")
        let expected = try #require(Expected.parse(firstLineOf: text), "\(name) has no '# expect:' line")
        #expect(!expected.isEmpty)
        let found = try Self.diagnostics(name)
        #expect(found.map { Expected(category: $0.category, line: $0.line, column: $0.column) } == expected,
                "\(Diagnostic.renderText(found))")
        for d in found where d.category.hasPrefix("clinical/") {
            #expect(d.severity != .error)
            #expect(d.rendered.hasPrefix("clinical/\(name):\(d.line):\(d.column): \(d.severity.rawValue): [\(d.category)] "))
            #expect(d.rendered.contains("\n") && d.rendered.hasSuffix("^"), "no caret: \(d.rendered)")
        }
    }

    @Test func everyRuleHasAFixtureThatFiresIt() throws {
        var fired: Set<String> = []
        for name in Self.names() {
            let expected = Expected.parse(firstLineOf: try fixtureText("clinical/\(name)")) ?? []
            fired.formUnion(expected.map(\.category).filter { $0.hasPrefix("clinical/") }.map { String($0.dropFirst(9)) })
        }
        #expect(Set(ClinicalLint.rules).subtracting(fired).isEmpty,
                "no fixture for \(Set(ClinicalLint.rules).subtracting(fired).sorted())")
    }

    /// The fusion counter-example: at least four distinct clinical warnings, each at
    /// the line of what it is about.
    @Test func theFusionCounterExampleGivesFourDistinctWarningsOnTheirLines() throws {
        let text = try fixtureText("clinical/fusion-counter-example.yaml")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func line(of needle: String, after: Int = 0) throws -> Int {
            try #require(lines.indices.first { $0 >= after && lines[$0].contains(needle) }, "\(needle)") + 1
        }
        let warnings = try Self.diagnostics("fusion-counter-example.yaml").filter { $0.severity == .warning }
        let rules = Set(warnings.map(\.category))
        #expect(rules.count >= 4, "\(rules)")
        func at(_ rule: String) -> [Int] { warnings.filter { $0.category == "clinical/\(rule)" }.map(\.line) }
        #expect(at("restriction-end") == [try line(of: "text: No bending.")])
        #expect(at("early-stage") == [try line(of: "exercise: bird-dog")])
        let tensioner = try line(of: "exercise: nerve-glide"), stretch = try line(of: "exercise: hamstring-stretch")
        #expect(at("nerve-flare") == [tensioner, stretch])
        #expect(at("nerve-amber") == [tensioner, stretch])
        #expect(at("fusion-walking") == [try line(of: "cap: {minutes: 120}")])
    }

    @Test func anAcceptedWarningIsSilencedForItsPrescriptionOnly() throws {
        let text = try fixtureText("clinical/volume-jump.yaml")
        let kept = text.replacingOccurrences(of: "          cap: {minutes: 30}\n", with: """
                      cap: {minutes: 30}
                    accept:
                      - {rule: volume-jump, because: The patient walked far every day before surgery.}

            """)
        let found = FileValidator.validate([(file: "v.yaml", text: kept)], fallback: try Catalog.shipped())[0]
        // The walking warning is kept on purpose; the bird-dog's, in another prescription, is not.
        #expect(found.map(\.category) == ["clinical/volume-jump"])
        #expect(found.first?.sourceLine?.contains("variant: bird-dog-modified") == true)
        let program = try ProgramReader.read(text: kept, file: "v.yaml", library: try Catalog.shipped().library)
        #expect(program.stages[0].prescriptions[0].accept
                == [AcceptedWarning(rule: "volume-jump", because: "The patient walked far every day before surgery.")])
    }

    @Test func theShippedProgramsHaveNoClinicalWarnings() throws {
        let files = ShippedPrograms.files.sorted { $0.key < $1.key }.map { (file: "programs/\($0.key)", text: $0.value) }
        let found = FileValidator.validate(files, fallback: nil).flatMap { $0 }
        #expect(found.filter { $0.severity != .info }.isEmpty, "\(Diagnostic.renderText(found))")
    }

    @Test func everyShippedExerciseSaysWhatItLoadsAndItsOneCaution() throws {
        let library = try Catalog.shipped().library
        for exercise in library.exercises {
            #expect(exercise.movements != nil, "\(exercise.id) has no movements")
            #expect((1...60).contains((exercise.caution ?? "").count), "\(exercise.id) has no short caution")
        }
        // The review's content fixes: what moves the nerve is tagged so.
        for id in ["ankle-pumps-hamstring", "hamstring-stretch", "nerve-glide-tensioner"] {
            #expect(library[id]?.movements?.contains(.neuralTension) == true, "\(id)")
        }
        #expect(library["nerve-glide-slider"]?.movements == [.neuralGlide])
        #expect(library["nerve-glide-slider"]?.caution == "Never into pain.")
    }

    /// Every shipped prescription that moves the nerve is paused in a flare, has no amber
    /// zone, and ankle pumps with the hamstring stretch no longer start before week 6.
    @Test func theShippedNerveWorkIsNeverIntoPain() throws {
        let catalog = try Catalog.shipped()
        for program in catalog.programs {
            for stage in program.stages {
                for p in stage.prescriptions {
                    let moves = p.ladder.rungs.flatMap { catalog.library[$0.variant ?? p.exercise]?.movements ?? [] }
                    guard moves.contains(where: \.movesNerve) else { continue }
                    #expect(p.skipInFlare, "\(program.id)/\(stage.id)/\(p.exercise)")
                    if p.exercise == "ankle-pumps-hamstring" { #expect(stage.fromWeek >= 6) }
                }
            }
        }
    }
}
