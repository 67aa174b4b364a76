import Foundation
import RehabKit

/// SPEC.md's plan JSON (`rehab plan --format json`, and each patient in `rehab batch`).
///
/// Keys come in SPEC.md's order; keys this build adds (`name` on exercises, `at` on the
/// halt, `reports` on decisions, then `days` and `advice` at the end) follow the fixed
/// ones. The same plan always gives the same bytes.
public enum PlanJSON {
    /// The `schema` number; it changes only if a key is renamed or removed.
    public static let schema = 1

    /// The plan as pretty-printed JSON ending in a newline.
    ///
    /// - Parameters:
    ///   - library: names each exercise (`name`); ids without an entry get no name.
    ///   - zone: the patient's zone, to write report times with their UTC offset.
    public static func encode(_ plan: Plan, library: ExerciseLibrary?, zone: TimeZone) -> String {
        value(plan, library: library, zone: zone).rendered()
    }

    /// The plan as an ordered JSON value.
    public static func value(_ plan: Plan, library: ExerciseLibrary?, zone: TimeZone) -> OrderedJSON {
        .object([
            ("schema", .int(schema)),
            ("patient", .string(plan.patient)),
            ("program", .string(plan.program)),
            ("as_of", .string(plan.asOf.description)),
            ("status", .string(plan.status.rawValue)),
            ("halt", plan.halt.map { halt($0, zone: zone) } ?? .null),
            ("stage", .string(plan.stage)),
            ("sessions", .array(plan.sessions.map { session($0, library: library) })),
            ("decisions", .array(plan.decisions.map { decision($0, zone: zone) })),
            ("days", .int(plan.days)),
            ("advice", .array(plan.advice.map(OrderedJSON.string))),
        ])
    }

    static func halt(_ halt: Halt, zone: TimeZone) -> OrderedJSON {
        .object([
            ("date", .string(halt.date.description)),
            ("flags", .array(halt.flags.map { .string($0.rawValue) })),
            ("advice", .array(halt.advice.map(OrderedJSON.string))),
            ("at", .string(halt.at.resolved(in: zone).iso8601)),
        ])
    }

    static func session(_ session: PlannedSession, library: ExerciseLibrary?) -> OrderedJSON {
        .object([
            ("start", .string(session.start.iso8601)),
            ("stage", .string(session.stage)),
            ("exercises", .array(session.exercises.map { exercise($0, library: library) })),
        ])
    }

    static func exercise(_ e: PlannedExercise, library: ExerciseLibrary?) -> OrderedJSON {
        var members: [(String, OrderedJSON)] = [
            ("id", .string(e.id)),
            ("sets", .int(e.dose.sets)),
            ("reps", .int(e.dose.reps)),
            ("hold_seconds", .int(e.dose.holdSeconds)),
            ("minutes", .int(e.dose.minutes)),
        ]
        if let name = library?[e.id]?.name { members.append(("name", .string(name))) }
        if e.prescription != e.id { members.append(("prescription", .string(e.prescription))) }
        return .object(members)
    }

    /// A dose with only the components it has: `{ "minutes": 15 }`.
    public static func dose(_ dose: Dose) -> OrderedJSON {
        var members: [(String, OrderedJSON)] = []
        if let v = dose.sets { members.append(("sets", .int(v))) }
        if let v = dose.reps { members.append(("reps", .int(v))) }
        if let v = dose.holdSeconds { members.append(("hold_seconds", .int(v))) }
        if let v = dose.minutes { members.append(("minutes", .int(v))) }
        if let v = dose.variant { members.append(("variant", .string(v))) }
        return .object(members)
    }

    static func decision(_ d: Decision, zone: TimeZone) -> OrderedJSON {
        .object([
            ("date", .string(d.date.description)),
            ("exercise", .string(d.exercise)),
            ("action", .string(d.action.rawValue)),
            ("from", d.from.map(dose) ?? .null),
            ("to", d.to.map(dose) ?? .null),
            ("rule", .string(d.rule)),
            ("because", .string(d.because)),
            // The reports a decision rested on, without the patient's notes.
            ("reports", .array(d.reports.map { HistoryJSON.report($0, zone: zone, withNote: false) })),
        ])
    }
}
