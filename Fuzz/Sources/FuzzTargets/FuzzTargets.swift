import Foundation
import RehabCalendar
import RehabFormat
import RehabKit

/// One input for each reader. Each function must return normally for every input:
/// a thrown diagnostic is the expected answer to bad input, a trap is a bug.
/// The same logic is replayed over the corpora by the ordinary test suite
/// (Tests/RehabFormatTests/HostileCorpusTests.swift, Tests/RehabCLITests/HostileCalendarCorpusTests.swift).
public enum FuzzTargets {
    /// The shipped catalog, loaded once (a failure here is a broken build, not a finding).
    static let catalog: Catalog? = try? Catalog.shipped()

    /// Program reader: any bytes as a program file checked against the shipped library.
    public static func program(_ bytes: [UInt8]) {
        guard let catalog, let text = String(bytes: bytes, encoding: .utf8) else { return }
        if let program = try? ProgramReader.read(text: text, file: "fuzz.yaml", library: catalog.library) {
            // A program that reads must also preview without trapping.
            _ = program.stages.count
        }
    }

    /// Patient reader: any bytes as a patient file; a patient that reads is also planned.
    public static func patient(_ bytes: [UInt8]) {
        guard let catalog, let text = String(bytes: bytes, encoding: .utf8) else { return }
        guard let (patient, program) = try? PatientReader.readResolved(text: text, file: "fuzz/p.yaml", catalog: catalog),
              let zone = TimeZone(identifier: patient.timezone) else { return }
        _ = Planner.plan(PlanRequest(program: program, library: catalog.library, patient: patient, zone: zone,
                                     log: [], asOf: patient.startDate + 14, days: 7))
    }

    /// Pain-log reader: any bytes as a pain log; a log that reads is re-encoded and must
    /// read back to the same entries (the writer and the reader agree).
    public static func painLog(_ bytes: [UInt8]) {
        guard let log = try? PainLog.parse(bytes, file: "fuzz.painlog") else { return }
        var text = PainLogLine.header(patient: log.patient ?? "p-0001") + "\n"
        for entry in log.entries { text += PainLogLine.encode(entry) + "\n" }
        guard let again = try? PainLog.parse(Array(text.utf8), file: "again.painlog") else {
            preconditionFailure("a log that parsed does not parse again after re-encoding")
        }
        precondition(again.entries == log.entries, "re-encoding a log changed its entries")
    }

    /// Calendar re-import reader: any bytes as an earlier export of patient p-0001; an
    /// export that reads is also reconciled with a fresh plan (the `rehab export` path).
    public static func calendar(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard (try? PreviousExportReader.eventCount(text: text, patient: "p-0001")) != nil,
              let base = exampleRequest else { return }
        var request = base
        request.previous = text
        _ = try? CalendarExporter.export(request)
    }

    /// Seed exports for the calendar corpus: p-0001 as of 2026-11-16, then as of
    /// 2026-11-23 reconciled over the first with a red day and a halting report logged.
    public static func seedExports() -> [String] {
        guard let base = exampleRequest, let first = try? CalendarExporter.export(base),
              let request = exampleRequest(asOf: "2026-11-30", log: [
                  .report(PainReport(at: LocalDateTime(iso: "2026-11-20T09:00")!, pain: 7, when: .after,
                                     exercise: nil, flags: [], note: "BEGIN:VEVENT\r\nX")),
                  .report(PainReport(at: LocalDateTime(iso: "2026-11-26T09:00")!, pain: nil, when: .after,
                                     exercise: nil, flags: [.fever], note: nil)),
              ]) else { return [] }
        var second = request
        second.previous = first
        guard let reconciled = try? CalendarExporter.export(second) else { return [first] }
        return [first, reconciled]
    }

    /// A fixed request for the example patient (SPEC.md's p-0001), as of 2026-11-23.
    static let exampleRequest: CalendarRequest? = exampleRequest(asOf: "2026-11-23", log: [])

    static func exampleRequest(asOf asOfText: String, log: [LogEntry]) -> CalendarRequest? {
        guard let catalog, let program = catalog.programs.first(where: { $0.id == "lumbar-decompression" }),
              let zone = TimeZone(identifier: "Europe/Berlin"),
              let surgery = LocalDate(iso: "2026-11-02"), let start = LocalDate(iso: "2026-11-09"),
              let asOf = LocalDate(iso: asOfText) else { return nil }
        let patient = Patient(id: "p-0001", program: program.id, procedure: .discectomy, surgeryDate: surgery,
                              startDate: start, timezone: zone.identifier, baselinePain: 2, reminderMinutes: 15)
        let plan = Planner.plan(PlanRequest(program: program, library: catalog.library, patient: patient, zone: zone,
                                            log: log, asOf: asOf, days: 14))
        return CalendarRequest(plan: plan, program: program, library: catalog.library, patient: patient, zone: zone)
    }
}
