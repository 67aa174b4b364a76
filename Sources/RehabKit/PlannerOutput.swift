import Foundation

/// Turning the replayed state into the `Plan`.
extension PlannerReplay {
    func plan() -> Plan {
        let asOf = request.asOf
        let offsets = ZoneOffsets.shared(for: request.zone)
        let names = stage.prescriptions.map(\.exercise)
        let inFlare = flare != nil
        // Doses stay as they are over the coming days, so every session with the same
        // prescriptions gets one shared list (which also makes comparing lists cheap for
        // the calendar and the JSON).
        var lists: [(prescriptions: [Int], exercises: [PlannedExercise])] = []
        var sessions: [PlannedSession] = []
        for offset in 0..<max(0, request.days) {
            let date = asOf + offset
            guard date >= start else { continue }
            for slot in schedule.slots(on: date, inFlare: inFlare) {
                let wall = LocalDateTime(date: date, time: slot.time)
                guard !timeline.isHalted(at: wall) else { continue }
                let exercises: [PlannedExercise]
                if let known = lists.first(where: { $0.prescriptions == slot.prescriptions }) {
                    exercises = known.exercises
                } else {
                    exercises = slot.prescriptions.map { p in
                        let dose = self.exercises[p].position.dose
                        return PlannedExercise(id: dose.variant ?? names[p], prescription: names[p], dose: dose)
                    }
                    lists.append((slot.prescriptions, exercises))
                }
                sessions.append(PlannedSession(start: wall.resolved(in: offsets), slot: wall, index: slot.index,
                                               stage: stage.id, exercises: exercises))
            }
        }
        sessions = sessions.enumerated()
            .sorted { ($0.element.start.date, $0.offset) < ($1.element.start.date, $1.offset) }
            .map(\.element)
        let halt = timeline.openSpan.map { span in
            Halt(date: span.start.date, at: span.start, flags: span.flags,
                 advice: Self.unique(span.flags.map { request.program.advice(for: $0) }))
        }
        var advice: [String] = []
        if flare?.escalated == true { advice.append(Planner.escalateAdvice(afterDays: rules.escalateAfterDays, redFrom: rules.amberMax + 1)) }
        return Plan(patient: request.patient.id, program: request.program.id, asOf: asOf, days: request.days,
                    status: halt == nil ? .active : .halted, halt: halt, stage: stage.id, sessions: sessions,
                    decisions: decisions, advice: advice)
    }

    static func unique(_ texts: [String]) -> [String] {
        var seen = Set<String>()
        return texts.filter { seen.insert($0).inserted }
    }
}
