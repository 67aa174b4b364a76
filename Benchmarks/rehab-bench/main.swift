// rehab-bench: in-process benchmarks of the planner, the calendar export and the pain-log
// reader (issues 3, 4 and 6). Build with `swift build -c release --product rehab-bench`
// and run `.build/release/rehab-bench [--reps N]`; `make bench` runs it first.
// Each figure is the median wall time (ContinuousClock) over N repetitions after one
// warm-up run; PASS/MISS compares the median with the target.
import Foundation
import RehabCalendar
import RehabFormat
import RehabKit

var reps = 51
var arguments = CommandLine.arguments.dropFirst()
while let arg = arguments.popFirst() {
    if arg == "--reps", let n = arguments.popFirst().flatMap({ Int($0) }), n > 0 { reps = n }
    else { print("usage: rehab-bench [--reps N]"); exit(64) }
}

do {
    let work = try Workload()
    let cores = ProcessInfo.processInfo.activeProcessorCount
    print("rehab-bench: release=\(isRelease), \(cores) cores, median of \(reps) runs (fewer for (c))")
    var missed = 0

    // (a) A year of reports, three sessions a day, then the plan of the next week.
    let year = work.reports(days: 365, perDay: 5)
    let yearRequest = work.request(log: year, asOf: work.patient.startDate + 365, days: 7)
    let yearPlan = Planner.plan(yearRequest)
    let a = measure(reps) { _ = Planner.plan(yearRequest) }
    missed += report("(a) replay \(year.count) reports (a year) and plan 7 days",
                     a, targetMs: 5, detail: "\(yearPlan.decisions.count) decisions, stage \(yearPlan.stage)")

    // (b) Export a 12-week plan with three sessions a day.
    let weeks = work.request(log: [], asOf: work.patient.startDate, days: 84)
    let plan84 = Planner.plan(weeks)
    let calendarRequest = CalendarRequest(plan: plan84, program: work.program, library: work.catalog.library,
                                          patient: work.patient, zone: work.zone, patientFile: "bench-0001.yaml")
    let ics = try CalendarExporter.export(calendarRequest)
    let b = try measureThrowing(reps) { _ = try CalendarExporter.export(calendarRequest) }
    missed += report("(b) export a 12-week plan (\(plan84.sessions.count) sessions) to iCalendar",
                     b, targetMs: 10, detail: "\(ics.utf8.count) bytes")
    // The same with a year of reports behind it (doses change, so more distinct runs).
    let varied = Planner.plan(work.request(log: year, asOf: work.patient.startDate + 280, days: 84))
    let variedRequest = CalendarRequest(plan: varied, program: work.program, library: work.catalog.library,
                                        patient: work.patient, zone: work.zone, patientFile: "bench-0001.yaml")
    let b2 = try measureThrowing(reps) { _ = try CalendarExporter.export(variedRequest) }
    missed += report("(b') the same after 40 weeks of reports (\(varied.sessions.count) sessions)", b2, targetMs: 10, detail: nil)

    // (c) A 100,000-report log: parse the log text and plan the next week.
    let fewer = max(3, min(reps, 7))
    for (label, days) in [("over one year", 365), ("over five years", 1826)] {
        let perDay = (100_000 + days - 1) / days
        let entries = Array(work.reports(days: days, perDay: perDay, seed: 7).prefix(100_000))
        let text = work.logText(entries)
        let asOf = work.patient.startDate + days
        let c = try measureThrowing(fewer) {
            let log = try PainLog.parse(text, file: "bench-0001.painlog")
            _ = Planner.plan(work.request(log: log.entries, asOf: asOf, days: 7))
        }
        let parse = try measureThrowing(fewer) { _ = try PainLog.parse(text, file: "bench-0001.painlog") }
        missed += report("(c) parse a 100,000-report log \(label) (\(text.count / 1_000_000) MB) and plan 7 days",
                         c, targetMs: 1000, detail: String(format: "parse alone %.1f ms", parse.median))
    }
    missed += try benchBatchPatient(work, reps: reps)
    print(missed == 0 ? "all targets met" : "\(missed) target(s) missed")
    exit(missed == 0 ? 0 : 1)
} catch {
    print("rehab-bench: \(error)")
    exit(74)
}
