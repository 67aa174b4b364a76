// STAND-IN for the planner helper's API, only so the `cli` branch compiles and its tests
// run. The lead deletes this file when merging the real planner.
import Foundation

public struct PlanRequest: Sendable {
    public var program: Program
    public var library: ExerciseLibrary
    public var patient: Patient
    public var zone: TimeZone
    public var log: [LogEntry]
    public var asOf: LocalDate
    public var days: Int

    public init(program: Program, library: ExerciseLibrary, patient: Patient, zone: TimeZone, log: [LogEntry],
                asOf: LocalDate, days: Int) {
        self.program = program
        self.library = library
        self.patient = patient
        self.zone = zone
        self.log = log
        self.asOf = asOf
        self.days = days
    }
}

public enum Planner {
    /// Stand-in: first stage, start doses, halts on a halting flag until a resume.
    public static func plan(_ request: PlanRequest) -> Plan {
        let stage = request.program.stages[0]
        var halt: Halt?
        var decisions: [Decision] = []
        let end = LocalDateTime(date: request.asOf + 1, time: LocalTime(hour: 0, minute: 0)!)
        for entry in request.log.sorted(by: { $0.at < $1.at }) where entry.at < end {
            switch entry {
            case .report(let r) where r.flags.contains(where: \.halts):
                let flags = r.flags.filter(\.halts)
                halt = Halt(date: r.at.date, at: r.at, flags: flags, advice: flags.map(request.program.advice(for:)))
                decisions.append(Decision(date: r.day, exercise: nil, action: .halt, rule: "red-flag",
                                          because: "A red flag was reported.", reports: [r]))
            case .resume(let r):
                halt = nil
                decisions.append(Decision(date: r.at.date, exercise: nil, action: .resume, rule: "cleared",
                                          because: "Cleared by \(r.clearedBy)."))
            case .report: break
            }
        }
        var sessions: [PlannedSession] = []
        if halt == nil {
            for day in 0..<request.days {
                let date = request.asOf + day
                let times = request.patient.sessionTimes ?? stage.sessionTimes
                for (i, time) in times.enumerated() {
                    let slot = LocalDateTime(date: date, time: time)
                    let exercises = stage.prescriptions.filter { $0.sessions?.contains(i + 1) ?? true }.map {
                        PlannedExercise(id: $0.ladder.start.variant ?? $0.exercise, prescription: $0.exercise, dose: $0.ladder.start)
                    }
                    sessions.append(PlannedSession(start: slot.resolved(in: request.zone), slot: slot, index: i + 1,
                                                   stage: stage.id, exercises: exercises))
                }
            }
        }
        return Plan(patient: request.patient.id, program: request.program.id, asOf: request.asOf, days: request.days,
                    status: halt == nil ? .active : .halted, halt: halt, stage: stage.id, sessions: sessions,
                    decisions: decisions)
    }
}
