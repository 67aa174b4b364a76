import Foundation
import RehabKit
@testable import RehabCalendar

/// Hand-built plans for calendar tests (the planner is another layer).
enum Fixture {
    static let library = ExerciseLibrary(exercises: [
        Exercise(id: "nerve-glide-slider", name: "Nerve glide (slider)", category: "nerve", doseKind: .reps,
                 instructions: ["Sit tall.", "Straighten the knee as you look up."],
                 summary: "Sit tall; straighten the knee while you look up, bend it as you look down, never into pain.",
                 sources: ["test"]),
        Exercise(id: "walking", name: "Walking", category: "walking", doseKind: .minutes,
                 instructions: ["Walk on level ground."], summary: "Walk at an easy pace on level ground.",
                 sources: ["test"]),
        Exercise(id: "pelvic-tilt", name: "Pelvic tilt", category: "core", doseKind: .reps,
                 instructions: ["Lie on your back."], summary: "Lie on your back, knees bent; flatten your back gently.",
                 sources: ["test"]),
    ])

    static func time(_ s: String) -> LocalTime { LocalTime(hhmm: s) ?? LocalTime(hour: 0, minute: 0)! }
    static func date(_ s: String) -> LocalDate { LocalDate(iso: s) ?? LocalDate(daysSinceEpoch: 0) }

    static func program(times: [String] = ["08:00", "13:00", "18:30"]) -> Program {
        let ladder = DoseLadder(rungs: [Dose(reps: 10)], startIndex: 0)
        return Program(
            id: "test-program", title: "Test program", procedures: [.discectomy],
            stages: [Stage(id: "protect", title: "Protect", fromWeek: 0, sessionTimes: times.map(time),
                           prescriptions: [
                               Prescription(exercise: "nerve-glide-slider", ladder: ladder, sources: ["t"]),
                               Prescription(exercise: "walking", ladder: DoseLadder(rungs: [Dose(minutes: 10)], startIndex: 0), sources: ["t"]),
                           ])],
            sources: ["test"])
    }

    static func patient(zone: String = "Europe/Berlin", surgery: String = "2026-11-02", start: String = "2026-11-09",
                        reminder: Int? = nil) -> Patient {
        Patient(id: "p-0001", program: "test-program", procedure: .discectomy, surgeryDate: date(surgery),
                startDate: date(start), timezone: zone, reminderMinutes: reminder)
    }

    static func exercises(glide: Int = 10, walk: Int = 10) -> [PlannedExercise] {
        [PlannedExercise(id: "nerve-glide-slider", prescription: "nerve-glide-slider", dose: Dose(reps: glide)),
         PlannedExercise(id: "walking", prescription: "walking", dose: Dose(minutes: walk))]
    }

    /// Sessions on every day of `[asOf, asOf + days)` at `times`; `content` may return nil
    /// to leave a slot out. Sessions at or after `halt.at` are left out.
    static func plan(asOf: String, days: Int = 28, times: [String] = ["08:00", "13:00", "18:30"], zone: TimeZone,
                     decisions: [Decision] = [], halt: Halt? = nil,
                     content: (LocalDate, Int) -> [PlannedExercise]? = { _, _ in exercises() }) -> Plan {
        let first = date(asOf)
        var sessions: [PlannedSession] = []
        for d in 0..<days {
            let day = first + d
            for (i, t) in times.enumerated() {
                let slot = LocalDateTime(date: day, time: time(t))
                if let halt, slot >= halt.at { continue }
                guard let ex = content(day, i + 1) else { continue }
                sessions.append(PlannedSession(start: slot.resolved(in: zone), slot: slot, index: i + 1,
                                               stage: "protect", exercises: ex))
            }
        }
        sessions.sort { $0.start.date < $1.start.date }
        return Plan(patient: "p-0001", program: "test-program", asOf: first, days: days,
                    status: halt == nil ? .active : .halted, halt: halt, stage: "protect",
                    sessions: sessions, decisions: decisions)
    }

    static func request(_ plan: Plan, zone: TimeZone, patient: Patient? = nil, previous: String? = nil,
                        program: Program? = nil, library: ExerciseLibrary = library) -> CalendarRequest {
        CalendarRequest(plan: plan, program: program ?? self.program(), library: library,
                        patient: patient ?? self.patient(zone: zone.identifier), zone: zone, previous: previous)
    }

    static func zone(_ name: String) throws -> TimeZone {
        guard let z = TimeZone(identifier: name) else { throw FixtureError("unknown zone \(name)") }
        return z
    }

    /// The plan's session instants as the peers print them.
    static func instants(_ plan: Plan) -> [String] {
        plan.sessions.map { utcString($0.start.date) }.sorted()
    }

    static func utcString(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
