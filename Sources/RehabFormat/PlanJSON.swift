import Foundation
import RehabKit

/// The plan JSON (docs/json.md) (`rehab plan --format json`, and each patient in `rehab batch`).
///
/// Keys come in the documented order; keys this build adds (`name` on exercises, `at` on the
/// halt, `reports` on decisions, then `days`, `advice` and `alerts` at the end) follow the fixed
/// ones. The same plan always gives the same bytes.
public enum PlanJSON {
    /// The `schema` number; it changes only if a key is renamed or removed.
    public static let schema = 1

    /// How plan JSON is laid out: one line per session and per decision.
    public static let layout = JSONLayout.lines(depth: 2)

    /// The plan as JSON (in `layout`) ending in a newline.
    ///
    /// - Parameters:
    ///   - library: names each exercise (`name`); ids without an entry get no name.
    ///   - zone: the patient's zone, to write report times with their UTC offset.
    public static func encode(_ plan: Plan, library: ExerciseLibrary?, zone: TimeZone) -> String {
        // Written straight to bytes (no value tree): the same text `value(...).rendered(layout:)` gives.
        var out = stream(for: plan)
        write(plan, library: library, zone: zone, to: &out)
        return out.finish()
    }

    /// `encode`'s text as UTF-8 bytes, for writing to a file.
    public static func encodeUTF8(_ plan: Plan, library: ExerciseLibrary?, zone: TimeZone) -> [UInt8] {
        var out = stream(for: plan)
        write(plan, library: library, zone: zone, to: &out)
        return out.finishBytes()
    }

    private static func stream(for plan: Plan) -> JSONStream {
        JSONStream(layout: layout, capacity: 1024 + 512 * plan.sessions.count + 768 * plan.decisions.count)
    }

    /// The plan as an ordered JSON value (`encode` writes the same text without building it).
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
            ("alerts", .array(plan.alerts.map(alert))),
        ])
    }

    /// `{ "kind", "since", "exercise"?, "text" }`; `exercise` only for an alert about one.
    public static func alert(_ a: Alert) -> OrderedJSON {
        var members: [(String, OrderedJSON)] = [("kind", .string(a.kind.rawValue)), ("since", .string(a.since.description))]
        if let x = a.exercise { members.append(("exercise", .string(x))) }
        members.append(("text", .string(a.text)))
        return .object(members)
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

    // MARK: Straight to bytes, key for key as `value` above

    static func write(_ plan: Plan, library: ExerciseLibrary?, zone: TimeZone, to out: inout JSONStream) {
        out.beginObject()
        out.key("schema"); out.int(schema)
        out.key("patient"); out.string(plan.patient)
        out.key("program"); out.string(plan.program)
        out.key("as_of"); out.date(plan.asOf)
        out.key("status"); out.string(plan.status.rawValue)
        out.key("halt")
        if let halt = plan.halt {
            out.beginObject()
            out.key("date"); out.date(halt.date)
            out.key("flags"); out.beginArray()
            for flag in halt.flags { out.string(flag.rawValue) }
            out.endArray()
            out.key("advice"); out.beginArray()
            for line in halt.advice { out.string(line) }
            out.endArray()
            out.key("at"); out.instant(halt.at.resolved(in: zone))
            out.endObject()
        } else {
            out.null()
        }
        out.key("stage"); out.string(plan.stage)
        out.key("sessions"); out.beginArray()
        var recent: [(exercises: [PlannedExercise], bytes: [UInt8])] = []
        for session in plan.sessions { write(session, library: library, recent: &recent, to: &out) }
        out.endArray()
        out.key("decisions"); out.beginArray()
        let offsets = ZoneOffsets.shared(for: zone)
        var reports: [ReportKey: [UInt8]] = [:]
        for decision in plan.decisions { write(decision, offsets: offsets, reports: &reports, to: &out) }
        out.endArray()
        out.key("days"); out.int(plan.days)
        out.key("advice"); out.beginArray()
        for line in plan.advice { out.string(line) }
        out.endArray()
        out.key("alerts"); out.beginArray()
        for a in plan.alerts {
            out.beginObject()
            out.key("kind"); out.string(a.kind.rawValue)
            out.key("since"); out.date(a.since)
            if let x = a.exercise { out.key("exercise"); out.string(x) }
            out.key("text"); out.string(a.text)
            out.endObject()
        }
        out.endArray()
        out.endObject()
    }

    /// One session. `recent` holds the last few exercise lists written with their bytes,
    /// newest first: most sessions repeat one of the day before (every session sits at the
    /// same depth, so the bytes are the same).
    static func write(_ session: PlannedSession, library: ExerciseLibrary?,
                      recent: inout [(exercises: [PlannedExercise], bytes: [UInt8])],
                      to out: inout JSONStream) {
        out.beginObject()
        out.key("start"); out.instant(session.start)
        out.key("stage"); out.string(session.stage)
        out.key("exercises")
        if let hit = recent.firstIndex(where: { $0.exercises == session.exercises }) {
            out.replay(recent[hit].bytes)
            out.endObject()
            return
        }
        let start = out.position
        out.beginArray()
        for e in session.exercises {
            out.beginObject()
            out.key("id"); out.string(e.id)
            out.key("sets"); out.int(e.dose.sets)
            out.key("reps"); out.int(e.dose.reps)
            out.key("hold_seconds"); out.int(e.dose.holdSeconds)
            out.key("minutes"); out.int(e.dose.minutes)
            if let name = library?[e.id]?.name { out.key("name"); out.string(name) }
            if e.prescription != e.id { out.key("prescription"); out.string(e.prescription) }
            out.endObject()
        }
        out.endArray()
        if recent.count == 8 { recent.removeLast() }
        recent.insert((session.exercises, out.tail(from: start)), at: 0)
        out.endObject()
    }

    /// What a report in a decision is written from: everything but its note.
    struct ReportKey: Hashable {
        let at: LocalDateTime
        let pain: Int?
        let when: ReportTiming
        let exercise: String?
        let flags: [RedFlag]

        init(_ r: PainReport) {
            (at, pain, when, exercise, flags) = (r.at, r.pain, r.when, r.exercise, r.flags)
        }

        /// Hashes the minute and the score only (reports rarely share both); equality
        /// still compares every field.
        func hash(into hasher: inout Hasher) {
            hasher.combine(at.wallMinutes)
            hasher.combine(pain)
        }
    }

    /// One decision. `reports` holds the bytes of each report written so far: a report
    /// usually backs several decisions (each exercise's, day after day).
    static func write(_ d: Decision, offsets: ZoneOffsets, reports: inout [ReportKey: [UInt8]],
                      to out: inout JSONStream) {
        out.beginObject()
        out.key("date"); out.date(d.date)
        out.key("exercise"); out.string(d.exercise)
        out.key("action"); out.string(d.action.rawValue)
        out.key("from"); write(d.from, to: &out)
        out.key("to"); write(d.to, to: &out)
        out.key("rule"); out.string(d.rule)
        out.key("because"); out.string(d.because)
        // The reports a decision rested on, without the patient's notes (as HistoryJSON.report).
        out.key("reports"); out.beginArray()
        for r in d.reports {
            let key = ReportKey(r)
            if let bytes = reports[key] {
                out.replay(bytes)
                continue
            }
            let start = out.valueStart()
            out.beginObject()
            out.key("at"); out.instant(r.at.resolved(in: offsets))
            out.key("pain"); out.int(r.pain)
            out.key("when"); out.string(r.when.rawValue)
            out.key("exercise"); out.string(r.exercise)
            out.key("flags"); out.beginArray()
            for flag in r.flags { out.string(flag.rawValue) }
            out.endArray()
            out.endObject()
            reports[key] = out.tail(from: start)
        }
        out.endArray()
        out.endObject()
    }

    /// A dose as `dose(_:)` writes it, or null.
    static func write(_ dose: Dose?, to out: inout JSONStream) {
        guard let dose else { out.null(); return }
        out.beginObject()
        if let v = dose.sets { out.key("sets"); out.int(v) }
        if let v = dose.reps { out.key("reps"); out.int(v) }
        if let v = dose.holdSeconds { out.key("hold_seconds"); out.int(v) }
        if let v = dose.minutes { out.key("minutes"); out.int(v) }
        if let v = dose.variant { out.key("variant"); out.string(v) }
        out.endObject()
    }
}
