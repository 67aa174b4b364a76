import Foundation
@testable import RehabFormat
import RehabKit
import Testing

/// A patient file's `tailoring` and dated `baseline_pain` (pain rules version 2).
struct TailoringReaderTests {
    @Test func readsTailoringAndADatedBaseline() throws {
        let patient = try PatientReader.read(text: try fixtureText("valid/patient-tailored.yaml"), file: "p.yaml",
                                             catalog: try fixtureCatalog())
        #expect(patient.tailoring.exclude == [Tailoring.Exclusion(exercise: "walking")])
        #expect(patient.tailoring.cap == [Tailoring.Cap(exercise: "nerve-glide", dose: Dose(reps: 5))])
        #expect(patient.tailoring.approval == [Tailoring.Gate(exercise: "nerve-glide", from: LocalDate(iso: "2026-12-01"))])
        #expect(patient.baseline(on: LocalDate(year: 2026, month: 11, day: 30)!) == 2)
        #expect(patient.baseline(on: LocalDate(year: 2026, month: 12, day: 1)!) == 5)
    }

    @Test func aDatedBaselineOutOfOrderIsRefusedWithItsPosition() throws {
        let text = try fixtureText("valid/patient.yaml").replacingOccurrences(
            of: "baseline_pain: 2", with: "baseline_pain: [{from: 2026-12-01, value: 2}, {from: 2026-11-01, value: 11}]")
        let catalog = try fixtureCatalog()
        do throws(DiagnosticsError) {
            _ = try PatientReader.read(text: text, file: "p.yaml", catalog: catalog)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.diagnostics.map(\.category) == ["range"])
            #expect(error.diagnostics.first?.line == 9)
        }
    }
}
