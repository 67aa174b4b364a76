import Foundation
import RehabKit
import Yams

/// Reads a patient file (docs/program-format.md's keys), checking that its program resolves, its start
/// stage exists and its procedure is one the program is written for.
///
/// ```swift
/// let patient = try PatientReader.read(text: yaml, file: "clinic/p-0001.yaml", catalog: try .shipped())
/// ```
public enum PatientReader {
    /// The patient in `text`; throws every problem found when there is any. A relative
    /// program path resolves against the folder of `file`.
    public static func read(text: String, file: String, catalog: Catalog) throws(DiagnosticsError) -> Patient {
        try readResolved(text: text, file: file, catalog: catalog).patient
    }

    /// The patient and the program it names, read and checked together.
    public static func readResolved(text: String, file: String,
                                    catalog: Catalog) throws(DiagnosticsError) -> (patient: Patient, program: Program) {
        var checker = Checker(file: file, text: text)
        guard let root = checker.compose(text), let result = parse(root, catalog: catalog, &checker),
              !checker.hasErrors else { throw checker.thrown }
        return result
    }

    static let keys = (required: ["version", "id", "program", "procedure", "surgery_date", "start_date", "timezone"],
                       optional: ["session_times", "baseline_pain", "reminder_minutes", "start_stage", "tailoring",
                                  "clinic", "emergency_number"])

    /// Walks a composed patient document.
    static func parse(_ root: Node, catalog: Catalog, _ c: inout Checker) -> (patient: Patient, program: Program)? {
        guard let f = c.fields(root, "the patient file", required: keys.required, optional: keys.optional),
              c.supportedVersion(f) else { return nil }
        var id: String?
        if let node = f["id"], let text = c.string(node, "patient 'id'") {
            if Patient.isValidID(text) {
                id = text
            } else {
                c.error("patient-id", "'\(Checker.clip(text))' is not a valid patient id: start with a letter or digit, "
                        + "then up to 63 of A-Z a-z 0-9 . _ - (no '..')", at: node)
            }
        }
        let procedure = f["procedure"].flatMap { ProgramReader.procedure($0, &c) }
        let surgery = date(f["surgery_date"], "'surgery_date'", &c)
        var start = date(f["start_date"], "'start_date'", &c)
        if let s = start, let surgery, s < surgery {
            c.error("date", "'start_date' \(s) is before 'surgery_date' \(surgery); exercises start after the operation",
                    at: f["start_date"])
            start = nil
        }
        var timezone: String?
        if let node = f["timezone"], let name = c.string(node, "'timezone'") {
            if TimeZone(identifier: name) != nil {
                timezone = name
            } else {
                c.error("timezone", "unknown time zone '\(Checker.clip(name))'; use an IANA name such as Europe/Berlin "
                        + "or America/New_York", at: node)
            }
        }
        var sessionTimes: [LocalTime]?? = .some(nil)
        if let node = f["session_times"] {
            if let items = c.list(node, "'session_times'") {
                sessionTimes = StageReader.times(items, "session time", &c).map { .some($0) }
            } else { sessionTimes = nil }
        }
        var baseline: Int? = 0
        var baselineChanges: [BaselineChange]? = []
        if let node = f["baseline_pain"] {
            if case .sequence = node {
                baselineChanges = datedBaseline(node, &c)
                baseline = baselineChanges?.first?.value
            } else {
                baseline = c.int(node, "'baseline_pain'")
                if let b = baseline, !(0...10).contains(b) {
                    c.error("range", "'baseline_pain' is \(b); it is a 0-10 score", at: node)
                    baseline = nil
                } else if let b = baseline {
                    warnHighBaseline(b, at: node, &c)
                }
            }
        }
        var reminder: Int?? = .some(nil)
        if let node = f["reminder_minutes"] {
            let value = c.int(node, "'reminder_minutes'")
            reminder = value.map { .some($0) }
            if let value, !(0...1440).contains(value) {
                c.error("range", "'reminder_minutes' is \(value); use 0 to 1440 minutes (a day) before the session", at: node)
                reminder = nil
            }
        }
        let program = resolveProgram(f, catalog: catalog, &c)
        if let program, let procedure, !program.procedures.contains(procedure) {
            c.error("procedure-mismatch", "program '\(program.id)' is written for "
                    + program.procedures.map(\.rawValue).joined(separator: ", ")
                    + ", not \(procedure.rawValue); pick a program for \(procedure.rawValue)", at: f["procedure"])
        }
        var startStage: String?? = .some(nil)
        if let node = f["start_stage"] {
            startStage = nil
            if let name = c.string(node, "'start_stage'"), let program {
                if program.stage(id: name) != nil {
                    startStage = .some(name)
                } else {
                    let ids = program.stages.map(\.id)
                    c.error("unknown-stage", "program '\(program.id)' has no stage '\(Checker.clip(name))'."
                            + Suggest.didYouMeanSentence(name, among: ids) + " Its stages: " + ids.joined(separator: ", "),
                            at: node)
                }
            }
        }
        if let program, let times = sessionTimes ?? nil {
            // Only the stages the patient can reach: from the start stage on.
            let first = (startStage ?? nil).flatMap { id in program.stages.firstIndex { $0.id == id } } ?? 0
            let reachable = program.stages[first...]
            let most = reachable.map(\.sessionTimes.count).max() ?? 0
            if times.count > most {
                c.error("session-index", "'session_times' lists \(times.count) times but program '\(program.id)' has at "
                        + "most \(most) sessions a day", at: f["session_times"])
            } else if let stage = reachable.first(where: { stage in
                let merged = times.prefix(stage.sessionTimes.count) + stage.sessionTimes.dropFirst(times.count)
                return zip(merged, merged.dropFirst()).contains { $0 >= $1 }
            }) {
                let merged = times.prefix(stage.sessionTimes.count) + stage.sessionTimes.dropFirst(times.count)
                c.error("time", "with stage '\(stage.id)' the day's sessions would be at "
                        + merged.map(\.description).joined(separator: ", ")
                        + ", out of order; give a time for each later session too, earliest first", at: f["session_times"])
            }
        }
        var tailoring: Tailoring? = Tailoring()
        if let node = f["tailoring"] {
            tailoring = TailoringReader.read(node, program: program, library: catalog.library, &c)
        }
        let clinic = PatientContactReader.clinic(f["clinic"], &c)
        let emergency = PatientContactReader.emergencyNumber(f["emergency_number"], &c)
        guard let id, let procedure, let surgery, let start, let timezone, let sessionTimes, let baseline,
              let baselineChanges, let reminder, let startStage, let program, let tailoring,
              let reference = f["program"]?.scalar?.string, let clinic, let emergency, !c.hasErrors else { return nil }
        var patient = Patient(id: id, program: reference, procedure: procedure, surgeryDate: surgery, startDate: start,
                              timezone: timezone, sessionTimes: sessionTimes, baselinePain: baseline,
                              reminderMinutes: reminder, startStage: startStage, tailoring: tailoring,
                              clinic: clinic, emergencyNumber: emergency)
        patient.baselineChanges = baselineChanges
        PatientContactReader.warnWithoutEmergencyNumber(patient, timezoneNode: f["timezone"], &c)
        return (patient, program)
    }

    /// `baseline_pain: [{from: DATE, value: 0-10}, ...]`, dates strictly increasing.
    private static func datedBaseline(_ node: Node, _ c: inout Checker) -> [BaselineChange]? {
        guard let items = c.list(node, "'baseline_pain'") else { return nil }
        if items.isEmpty {
            c.error("range", "'baseline_pain' is an empty list; give a number 0-10 or dated values", at: node)
            return nil
        }
        var result: [BaselineChange] = []
        var ok = true
        for item in items {
            guard let g = c.fields(item, "a dated 'baseline_pain'", required: ["from", "value"]),
                  let day = date(g["from"], "'from'", &c), let valueNode = g["value"],
                  let value = c.int(valueNode, "'value'") else { ok = false; continue }
            guard (0...10).contains(value) else {
                ok = false
                c.error("range", "'value' is \(value); it is a 0-10 score", at: valueNode)
                continue
            }
            if let last = result.last, day <= last.from {
                ok = false
                c.error("date", "'from' \(day) is not after \(last.from); list the dated values in date order", at: g["from"])
                continue
            }
            warnHighBaseline(value, at: valueNode, &c)
            result.append(BaselineChange(from: day, value: value))
        }
        return ok ? result : nil
    }

    /// Usual pain above 6 leaves little room between "as usual" and the red zone (a score of
    /// 9 is red whatever the usual pain), so the plan will hardly ever step up: worth a
    /// clinician's second look, not an error.
    private static func warnHighBaseline(_ value: Int, at node: Node, _ c: inout Checker) {
        guard value > 6 else { return }
        c.warning("high-baseline", "'baseline_pain' is \(value); above 6 the pain zones leave almost no room "
                  + "for the plan to step up: check the score with the patient, or review the program with them", at: node)
    }

    private static func date(_ node: Node?, _ what: String, _ c: inout Checker) -> LocalDate? {
        guard let node, let text = c.string(node, what) else { return nil }
        guard let date = LocalDate(iso: text) else {
            c.error("date", "\(what) '\(Checker.clip(text))' is not a date; write YYYY-MM-DD, e.g. 2026-11-02", at: node)
            return nil
        }
        return date
    }

    private static func resolveProgram(_ f: Fields, catalog: Catalog, _ c: inout Checker) -> Program? {
        guard let node = f["program"], let reference = c.string(node, "'program'") else { return nil }
        let folder = (c.file as NSString).deletingLastPathComponent
        do {
            return try catalog.program(reference: reference, relativeTo: folder.isEmpty ? nil : folder)
        } catch {
            c.error("unknown-program", error.description, at: node)
            return nil
        }
    }
}
