import Foundation
import RehabCalendar
import RehabFormat
import RehabKit

/// (d) What `rehab batch` does for one patient, in-process and stage by stage: read the
/// patient file, parse ten weeks of pain log (about 300 reports), plan 84 days, encode the
/// plan JSON, export the calendar. 1,000 patient calendars a second on 2 cores leaves
/// 2 ms of CPU per patient for all of it (plus the process's file I/O).
func benchBatchPatient(_ work: Workload, reps: Int) throws -> Int {
    let days = 70
    let entries = work.reports(days: days, perDay: 4, seed: 11)
    let logText = work.logText(entries)
    let asOf = work.patient.startDate + days
    let readPatient = try measureThrowing(reps) {
        _ = try PatientReader.readResolved(text: Workload.patientYAML, file: "bench-0001.yaml", catalog: work.catalog)
    }
    let parse = try measureThrowing(reps) { _ = try PainLog.parse(logText, file: "bench-0001.painlog") }
    let request = work.request(log: entries, asOf: asOf, days: 84)
    let plan = Planner.plan(request)
    let planning = measure(reps) { _ = Planner.plan(request) }
    let json = PlanJSON.encode(plan, library: work.catalog.library, zone: work.zone)
    let encoding = measure(reps) { _ = PlanJSON.encode(plan, library: work.catalog.library, zone: work.zone) }
    let calendar = CalendarRequest(plan: plan, program: work.program, library: work.catalog.library,
                                   patient: work.patient, zone: work.zone, patientFile: "bench-0001.yaml")
    let export = try measureThrowing(reps) { _ = try CalendarExporter.export(calendar) }
    let parts: [(String, Timing)] = [("read patient YAML", readPatient), ("parse \(entries.count)-report log", parse),
                                     ("plan 84 days", planning), ("encode plan JSON (\(json.utf8.count / 1024) KiB)", encoding),
                                     ("export iCalendar", export)]
    let total = parts.reduce(0) { $0 + $1.1.cpuMedian }
    print(String(format: "%@ (d) one batch patient, all stages: %.3f ms CPU (sum of medians); budget 2 ms for 1,000/s on 2 cores",
                 total < 2 ? "PASS" : "MISS", total))
    for (label, t) in parts {
        let padded = label.padding(toLength: 36, withPad: " ", startingAt: 0)
        print("       " + padded + String(format: "%8.3f ms CPU  (%4.1f%%)", t.cpuMedian, 100 * t.cpuMedian / total))
    }
    return total < 2 ? 0 : 1
}
