import Foundation
@testable import RehabFormat
import RehabKit
import Testing

struct ReaderTests {
    @Test func readsTheLibraryWithVariantsAfterTheirFamily() throws {
        let library = try LibraryReader.read(text: try fixtureText("valid/library.yaml"), file: "library.yaml")
        #expect(library.exercises.map(\.id) == ["nerve-glide", "nerve-glide-slider", "nerve-glide-tensioner", "walking"])
        let slider = try #require(library["nerve-glide-slider"])
        #expect(slider.family == "nerve-glide")
        #expect(slider.doseKind == .reps)
        #expect(slider.cautions == ["Never push into pain."])  // the family's apply too
        #expect(slider.sources == ["web-foot-nerve-pain-help"])            // the family's by default
        #expect(library["nerve-glide"]?.variants == ["nerve-glide-slider", "nerve-glide-tensioner"])
        #expect(library["walking"]?.doseKind == .minutes)
    }

    @Test func readsAProgramWithGeneratedAndWrittenLadders() throws {
        let catalog = try fixtureCatalog()
        let program = try #require(catalog.programs.first)
        #expect(program.id == "test-program")
        #expect(program.procedures == [.discectomy, .fusion])
        #expect(program.restrictions == [Restriction(text: "No bending.", untilWeek: 6, procedures: [.fusion])])
        #expect(program.stages.map(\.id) == ["protect", "build"])
        #expect(program.stages.map(\.fromWeek) == [0, 6])
        let protect = program.stages[0]
        #expect(protect.sessionTimes.map(\.description) == ["08:00", "18:00"])
        #expect(protect.weekdays.count == 7)
        let walking = protect.prescriptions[0]
        #expect(walking.ladder.rungs.map(\.minutes) == [10, 15, 20, 25, 30])
        #expect(walking.ladder.startIndex == 0)
        let glide = protect.prescriptions[1]
        #expect(glide.ladder.rungs.count == 3)
        #expect(glide.ladder.start == Dose(reps: 10, variant: "nerve-glide-slider"))
        #expect(glide.ladder.cap == Dose(sets: 2, reps: 10, variant: "nerve-glide-tensioner"))
        #expect(glide.sessions == [1])
        #expect(glide.weekdays == [.mon, .wed])
        #expect(glide.skipInFlare)
        let build = program.stages[1]
        #expect(build.weekdays == [.mon, .tue, .wed, .thu, .fri])
        #expect(build.prescriptions[0].ladder.rungs.map(\.minutes) == [10, 15, 20, 25, 30, 35, 40])
        #expect(build.prescriptions[0].ladder.startIndex == 2)
        #expect(program.painRules == PainRules())
    }

    @Test func readsAPatientAndResolvesItsProgramByIdAndByPath() throws {
        let catalog = try fixtureCatalog()
        let patient = try PatientReader.read(text: try fixtureText("valid/patient.yaml"), file: "patient.yaml",
                                             catalog: catalog)
        #expect(patient.id == "p-0001")
        #expect(patient.program == "test-program")
        #expect(patient.procedure == .fusion)
        #expect(patient.surgeryDate == LocalDate(year: 2026, month: 11, day: 2))
        #expect(patient.startDate == LocalDate(year: 2026, month: 11, day: 9))
        #expect(patient.timezone == "Europe/Berlin")
        #expect(patient.sessionTimes?.map(\.description) == ["07:30"])
        #expect(patient.baselinePain == 2)
        #expect(patient.reminderMinutes == nil)
        #expect(patient.startStage == "protect")

        // A relative program path resolves against the patient file's folder, not the working directory.
        let path = fixtures.appendingPathComponent("valid/patient-path.yaml").path
        let libraryOnly = Catalog(library: catalog.library)
        let (byPath, program) = try PatientReader.readResolved(text: try fixtureText("valid/patient-path.yaml"),
                                                               file: path, catalog: libraryOnly)
        #expect(byPath.program == "program.yaml")
        #expect(program.id == "test-program")
    }

    @Test func catalogReferencesNameWhatIsWrong() throws {
        let catalog = try fixtureCatalog()
        #expect(try catalog.program(reference: "test-program", relativeTo: nil).id == "test-program")
        #expect(throws: CatalogError.self) { try catalog.program(reference: "test-progrm", relativeTo: nil) }
        do {
            _ = try catalog.program(reference: "test-progrm", relativeTo: nil)
        } catch {
            #expect(error.description.contains("Did you mean 'test-program'?"))
        }
        let folder = fixtures.appendingPathComponent("broken").path
        do {
            _ = try catalog.program(reference: "prog-time.yaml", relativeTo: folder)
            Issue.record("a broken program file must be refused")
        } catch {
            #expect(error.diagnostics.map(\.category) == ["time"])
            #expect(error.description.contains("has 1 problem"))
        }
    }

    @Test func theKindOfAFileIsToldFromItsContent() throws {
        #expect(FileValidator.parse(text: try fixtureText("valid/library.yaml"), file: "a").kind == .library)
        #expect(FileValidator.parse(text: try fixtureText("valid/program.yaml"), file: "a").kind == .program)
        #expect(FileValidator.parse(text: try fixtureText("valid/patient.yaml"), file: "a").kind == .patient)
        let unknown = FileValidator.parse(text: "version: 1\n", file: "a")
        #expect(unknown.kind == nil)
        #expect(unknown.diagnostics.map(\.category) == ["file-kind"])
    }

    @Test func aValidatedSetUsesTheLibraryAndProgramsGivenWithIt() throws {
        // No fallback catalog: the library and program named alongside the patient are used.
        let files = try ["valid/patient.yaml", "valid/program.yaml", "valid/library.yaml"].map {
            (file: $0, text: try fixtureText($0))
        }
        let results = FileValidator.validate(files, fallback: nil)
        #expect(results.map { $0.filter { $0.severity == .error }.count } == [0, 0, 0])
        // The fixture program is well formed, but walks 2 x 30 minutes from week 0 after a fusion.
        #expect(results[1].map(\.category) == ["clinical/fusion-walking"])
        // Without a library the program's exercises cannot be found, and it says why.
        let alone = FileValidator.validate([files[1]], fallback: nil)[0]
        #expect(!alone.isEmpty)
        #expect(alone.allSatisfy { $0.category == "unknown-exercise" && $0.message.contains("exercises.yaml") })
    }
}
