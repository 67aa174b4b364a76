import Foundation

/// Turning the replayed state into the `Plan`.
extension PlannerReplay {
    /// Asks a quiet patient to log (patient-facing, no command lines).
    static let quietAdvice = "We have had no pain scores from you for a few days. Please record your leg pain after your exercises and each morning: your doses only rise on your scores."

    func plan() -> Plan {
        let asOf = request.asOf
        let offsets = ZoneOffsets.shared(for: request.zone)
        let names = stage.prescriptions.map(\.exercise)
        let current = exercises.map(\.position.dose)
        // Doses stay as they are over the coming days (as_of may differ from tomorrow on),
        // so every session with the same prescriptions and doses shares one list (which also
        // makes comparing lists cheap for the calendar and the JSON).
        var lists: [(prescriptions: [Int], today: Bool, exercises: [PlannedExercise])] = []
        var sessions: [PlannedSession] = []
        for offset in 0..<max(0, request.days) {
            let date = asOf + offset
            guard date >= start else { continue }
            let isToday = date == asOf && today != nil
            let doses = isToday ? today?.doses ?? current : current
            let inFlare = isToday ? today?.inFlare ?? (flare != nil) : flare != nil
            for slot in schedule.slots(on: date, inFlare: inFlare) {
                let wall = LocalDateTime(date: date, time: slot.time)
                guard !timeline.isHalted(at: wall) else { continue }
                let exercises: [PlannedExercise]
                if let known = lists.first(where: { $0.prescriptions == slot.prescriptions && $0.today == isToday }) {
                    exercises = known.exercises
                } else {
                    exercises = slot.prescriptions.map { p in
                        let dose = doses[p]
                        return PlannedExercise(id: dose.variant ?? names[p], prescription: names[p], dose: dose)
                    }
                    lists.append((slot.prescriptions, isToday, exercises))
                }
                sessions.append(PlannedSession(start: wall.resolved(in: offsets), slot: wall, index: slot.index,
                                               stage: stage.id, exercises: exercises))
            }
        }
        // Sessions are made in wall-clock order, which is instant order but where a change
        // of UTC offset reorders them: sort (ties as made) only then.
        if sessions.indices.dropFirst().contains(where: { sessions[$0].start.date < sessions[$0 - 1].start.date }) {
            sessions = sessions.enumerated()
                .sorted { ($0.element.start.date, $0.offset) < ($1.element.start.date, $1.offset) }
                .map(\.element)
        }
        let halt = timeline.openSpan.map { span in
            Halt(date: span.start.date, at: span.start, flags: span.flags,
                 advice: Self.unique(span.flags.map { request.program.advice(for: $0) }))
        }
        var advice: [String] = []
        if flare?.escalated == true { advice.append(Planner.escalateAdvice(afterDays: rules.escalateAfterDays, redFrom: rules.amberMax + 1)) }
        if halt == nil, let q = quiet, q.days >= max(1, rules.quietDays) { advice.append(Self.quietAdvice) }
        return Plan(patient: request.patient.id, program: request.program.id, asOf: asOf, days: request.days,
                    status: halt == nil ? .active : .halted, halt: halt, stage: stage.id, sessions: sessions,
                    decisions: decisions, advice: advice, alerts: alerts(halt: halt), usualPain: index.usual(on: asOf))
    }

    /// The alerts in force on `as_of`, most urgent first, then oldest.
    func alerts(halt: Halt?) -> [Alert] {
        let asOf = request.asOf
        var result: [Alert] = []
        if let halt {
            result.append(Alert(kind: .halted, since: halt.date,
                                text: "Halted by a warning sign reported on \(halt.date); only a clinician's clearance restarts the plan."))
        }
        if let f = flare, f.escalated {
            result.append(Alert(kind: .escalated, since: f.start,
                                text: "A flare since \(f.start) has lasted more than \(rules.escalateAfterDays) days."))
        }
        for (i, st) in exercises.enumerated() {
            guard let awaiting = st.awaiting, st.approvedRung != awaiting.rung else { continue }
            let rx = stage.prescriptions[i]
            result.append(Alert(kind: .awaitingApproval, since: awaiting.since, exercise: rx.exercise,
                                text: "\(rx.exercise) is ready for \(rx.ladder.rungs[awaiting.rung]) and waits for approval."))
        }
        if let s = stageAwaiting, stageIndex + 1 == s.stage {
            result.append(Alert(kind: .awaitingApproval, since: s.since,
                                text: "Stage \(stages[s.stage].id) is reached and waits for approval."))
        }
        if let f = flare {
            result.append(Alert(kind: .redDay, since: f.start, text: "In a flare since \(f.start)."))
        } else if let d = [asOf - 1, asOf].first(where: { redDays.contains($0.daysSinceEpoch) }) {
            result.append(Alert(kind: .redDay, since: d, text: "Red pain on \(d)."))
        }
        let spreading = [asOf - 1, asOf].flatMap { index.reports(on: $0) }.filter { $0.flags.contains(.spreading) }
        if let first = spreading.first {
            let family = first.exercise.map { request.library.familyID(of: $0) ?? $0 }
            result.append(Alert(kind: .spreading, since: first.day, exercise: family,
                                text: "Pain spreading further down the leg reported for \(first.day)."))
        }
        if halt == nil, flare == nil, let stalled = stalledAlert() { result.append(stalled) }
        if halt == nil, let q = quiet, q.days >= max(1, rules.quietDays) {
            result.append(Alert(kind: .noReports, since: q.since,
                                text: "No reports on \(q.days) scheduled days in a row since \(q.since)."))
        }
        return result.enumerated().sorted { ($0.element.kind, $0.element.since, $0.offset) < ($1.element.kind, $1.element.since, $1.offset) }
            .map(\.element)
    }

    /// No step up and no stage advance for 14 days while reports arrive, with room to rise.
    func stalledAlert() -> Alert? {
        let asOf = request.asOf
        guard asOf.days(since: lastStepUp) >= 14, quiet == nil || (quiet?.days ?? 0) < max(1, rules.quietDays),
              (1...14).contains(where: { index.hasReports(on: asOf - $0) }) else { return nil }
        let canRise = stageIndex + 1 < stages.count
            || stage.prescriptions.indices.contains { exercises[$0].position.up(on: stage.prescriptions[$0].ladder) != nil }
        guard canRise else { return nil }
        let hold = decisions.last { $0.action == .hold && $0.date > lastStepUp }
        let why: String = switch hold?.rule {
        case "amber-day": "amber pain keeps the doses where they are"
        case "missing-reports": "reports are incomplete (own reports for an exercise or next-morning scores missing)"
        case "awaiting-approval": "a step waits for approval"
        case "exit-criterion": "the stage's goal is not met"
        case .some(let rule): "rule \(rule) holds"
        case nil: "no step has been earned"
        }
        return Alert(kind: .stalled, since: lastStepUp + 14,
                     text: "No step up since \(lastStepUp): \(why).")
    }

    static func unique(_ texts: [String]) -> [String] {
        var seen = Set<String>()
        return texts.filter { seen.insert($0).inserted }
    }
}
