import Foundation
import RehabFormat
import RehabKit

// The exercise library and programs that ship inside rehab.
let catalog = try Catalog.shipped()

// A patient, read from YAML text (a patient file's contents), with its program.
let yaml = """
    version: 1
    id: p-0001
    program: lumbar-decompression
    procedure: discectomy
    surgery_date: 2026-11-02
    start_date: 2026-11-09
    timezone: Europe/Berlin
    baseline_pain: 2
    """
let (patient, program) = try PatientReader.readResolved(text: yaml, file: "p-0001.yaml", catalog: catalog)
guard let zone = TimeZone(identifier: patient.timezone),
      let asOf = LocalDate(iso: "2026-11-23"), let morning = LocalTime(hhmm: "08:30")
else { throw CocoaError(.formatting) }

// Two pain reports, as `rehab log` would record them (or read a log with PainLog.parse).
let reports: [LogEntry] = [
    .report(PainReport(at: LocalDateTime(date: asOf - 2, time: morning), pain: 2, when: .after)),
    .report(PainReport(at: LocalDateTime(date: asOf - 1, time: morning), pain: 1, when: .nextMorning)),
]

// Plan the coming week: a pure function of its inputs.
let plan = Planner.plan(PlanRequest(program: program, library: catalog.library, patient: patient,
                                    zone: zone, log: reports, asOf: asOf, days: 7))
print("\(plan.patient): \(plan.status.rawValue), stage \(plan.stage), \(plan.sessions.count) sessions")
for session in plan.sessions.prefix(3) {
    let doses = session.exercises.map { "\($0.id) \($0.dose)" }
    print(session.start.iso8601, doses.joined(separator: "; "))
}
// The same plan as `rehab plan --format json` prints it.
let json = PlanJSON.encode(plan, library: catalog.library, zone: zone)
print(json.count, "bytes of plan JSON")
