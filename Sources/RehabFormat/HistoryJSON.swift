import Foundation
import RehabKit

/// The history JSON (docs/json.md) (`rehab history --format json`):
/// `{ "schema": 1, "patient", "reports": [ { "at", "pain", "when", "exercise", "flags",
/// "note" } ], "resumes": [ { "at", "cleared_by" } ], "approvals": [ { "at", "by", "exercise",
/// "stage", "rung" } ] }`, reports, resumes and approvals each in time
/// order (ties in the order logged). `at` is the local time with its UTC offset.
public enum HistoryJSON {
    public static let schema = 1

    /// The history as JSON ending in a newline, one report (and one resume) a line, as
    /// plan JSON is laid out.
    public static func encode(patient: String, log: PainLog, zone: TimeZone) -> String {
        value(patient: patient, log: log, zone: zone).rendered(layout: PlanJSON.layout)
    }

    public static func value(patient: String, log: PainLog, zone: TimeZone) -> OrderedJSON {
        var reports: [OrderedJSON] = []
        var resumes: [OrderedJSON] = []
        var approvals: [OrderedJSON] = []
        for entry in log.chronological {
            switch entry {
            case .report(let r): reports.append(report(r, zone: zone, withNote: true))
            case .resume(let r):
                resumes.append(.object([
                    ("at", .string(r.at.resolved(in: zone).iso8601)),
                    ("cleared_by", .string(r.clearedBy)),
                ]))
            case .approval(let a):
                var members: [(String, OrderedJSON)] = [("at", .string(a.at.resolved(in: zone).iso8601)), ("by", .string(a.by))]
                switch a.target {
                case .exercise(let id):
                    members.append(("exercise", .string(id)))
                    members.append(("stage", .null))
                    members.append(("rung", a.rung.map(PainLogLine.doseJSON) ?? .null))
                case .stage(let id):
                    members.append(("exercise", .null))
                    members.append(("stage", .string(id)))
                    members.append(("rung", .null))
                }
                approvals.append(.object(members))
            }
        }
        return .object([
            ("schema", .int(schema)),
            ("patient", .string(patient)),
            ("reports", .array(reports)),
            ("resumes", .array(resumes)),
            ("approvals", .array(approvals)),
        ])
    }

    /// One report: `at, pain, when, exercise, flags` and, when asked, `note`.
    public static func report(_ r: PainReport, zone: TimeZone, withNote: Bool) -> OrderedJSON {
        var members: [(String, OrderedJSON)] = [
            ("at", .string(r.at.resolved(in: zone).iso8601)),
            ("pain", .int(r.pain)),
            ("when", .string(r.when.rawValue)),
            ("exercise", .string(r.exercise)),
            ("flags", .array(r.flags.map { .string($0.rawValue) })),
        ]
        if withNote { members.append(("note", .string(r.note))) }
        return .object(members)
    }
}
