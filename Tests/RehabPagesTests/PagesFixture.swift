import Foundation
import RehabFormat
import RehabKit
@testable import RehabPages

/// The shipped example patient (lumbar-decompression, Europe/Berlin) and its plans.
struct PagesFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    var patient: Patient
    var program: Program
    let library: ExerciseLibrary
    let zone: TimeZone

    init(example: String = "decompression-patient.yaml") throws {
        let path = Self.root.appendingPathComponent("programs/examples/\(example)").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let catalog = try Catalog.shipped()
        let resolved = try PatientReader.readResolved(text: text, file: path, catalog: catalog)
        patient = resolved.patient
        program = resolved.program
        library = catalog.library
        zone = TimeZone(identifier: patient.timezone) ?? .gmt
    }

    func plan(_ asOf: LocalDate, days: Int, log: [LogEntry] = []) -> Plan {
        Planner.plan(PlanRequest(program: program, library: library, patient: patient, zone: zone, log: log,
                                 asOf: asOf, days: days))
    }

    static func at(_ text: String) -> LocalDateTime { LocalDateTime(iso: text)! }
}
