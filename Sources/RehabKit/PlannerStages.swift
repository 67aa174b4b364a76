/// The flare and stage rules applied at the end of each replayed day.
extension PlannerReplay {
    // MARK: - Flares

    mutating func startFlare(effective e: LocalDate, day d: LocalDate) {
        flare = Flare(start: e, escalated: false)
        let window = max(1, rules.flareWindow)
        let days = (0..<window).reversed().map { d - $0 }.filter { redDays.contains($0.daysSinceEpoch) }
        let reports = days.flatMap { index.redReports(on: $0) }
        let paused = stage.prescriptions.filter(\.skipInFlare).map(\.exercise)
        let pausedText = paused.isEmpty ? "" : " \(paused.joined(separator: ", ")) pause until \(rules.flareExitGreenDays) green days in a row."
        decisions.append(Decision(
            date: e, exercise: nil, action: .flare, rule: "flare",
            because: "Red pain on \(days.count) of the last \(window) days (\(days.map { "\($0)" }.joined(separator: ", "))): a flare. Doses go back to no more than the stage's starting doses.\(pausedText)",
            reports: reports))
        for (i, rx) in stage.prescriptions.enumerated() {
            let lowered = exercises[i].position.atMostStart(of: rx.ladder)
            if lowered.dose != exercises[i].position.dose {
                decisions.append(Decision(
                    date: e, exercise: rx.exercise, action: .flare, from: exercises[i].position.dose, to: lowered.dose,
                    rule: "flare", because: "Flare: back to the stage's starting dose.", reports: reports))
            }
            exercises[i].position = lowered
            exercises[i].awaiting = nil
        }
        restartAll(e)
        lapseApprovals()
    }

    /// Ends the flare after `flareExitGreenDays` green plan days in a row; true when it ended.
    mutating func endFlareIfOver(effective e: LocalDate, day d: LocalDate) -> Bool {
        guard let current = flare else { return false }
        let need = max(1, rules.flareExitGreenDays)
        guard planDays.count >= need, planDays.last?.day == d else { return false }
        let tail = planDays.suffix(need)
        guard tail.allSatisfy({ $0.green && $0.day >= current.start }),
              let first = tail.first?.day, !hasRedDay(from: first, through: d) else { return false }
        flare = nil
        lastFlareEnd = e
        decisions.append(Decision(
            date: e, exercise: nil, action: .flare, rule: "flare-over",
            because: "Green on \(tail.map { "\($0.day)" }.joined(separator: ", ")): the flare is over and paused exercises come back.",
            reports: tail.flatMap { index.reports(on: $0.day) }))
        restartAll(e)
        return true
    }

    mutating func escalateIfLong(effective e: LocalDate) {
        guard let current = flare, !current.escalated,
              e.days(since: current.start) > rules.escalateAfterDays else { return }
        flare?.escalated = true
        decisions.append(Decision(
            date: e, exercise: nil, action: .escalate, rule: "escalate",
            because: "The flare that began on \(current.start) has lasted more than \(rules.escalateAfterDays) days: contact your clinical team. The plan keeps running at the reduced doses."))
    }

    // MARK: - Stages

    /// Moves to the next stage when its week is reached, the exit criterion holds and, for
    /// a stage with `approval`, a clinician approved it; true when the stage changed.
    mutating func advanceStageIfReady(effective e: LocalDate, day d: LocalDate) -> Bool {
        guard stageIndex + 1 < stages.count else { return false }
        let nextRaw = stages[stageIndex + 1]
        let week = Self.weeks(from: request.patient.surgeryDate, to: e)
        guard week >= nextRaw.fromWeek else { return false }
        let exit = stage.exit
        let window = max(1, exit.window)
        var inStage: [ScheduledDay] = []  // newest first
        var k = planDays.count - 1
        while k >= 0, inStage.count < window, planDays[k].day >= stageEntered {
            inStage.append(planDays[k])
            k -= 1
        }
        let greens = inStage.filter(\.green)
        var met = greens.count >= max(1, exit.greenDays)
        if met, exit.noRedDays > 0 {
            let lastK = inStage.prefix(exit.noRedDays)
            let from = min(lastK.last?.day ?? d, d - (exit.noRedDays - 1))
            met = !hasRedDay(from: from, through: d)
        }
        guard met else {
            if gateNoted != stageIndex {
                gateNoted = stageIndex
                decisions.append(Decision(
                    date: e, exercise: nil, action: .hold, rule: "exit-criterion",
                    because: "Week \(week) allows stage \(nextRaw.id), but \(stage.id)'s goal is not met yet: green on at least \(max(1, exit.greenDays)) of the last \(window) scheduled days and no red day in the last \(exit.noRedDays)."))
            }
            return false
        }
        if nextRaw.approval, !approvedStages.contains(nextRaw.id) {
            if stageAwaiting?.stage != stageIndex + 1 {
                stageAwaiting = (stageIndex + 1, e)
                decisions.append(Decision(
                    date: e, exercise: nil, action: .hold, rule: "awaiting-approval",
                    because: "Week \(week) and \(stage.id)'s goal allow stage \(nextRaw.id), which needs your clinical team's approval first."))
            }
            return false
        }
        let old = stage
        let oldStates = exercises
        stageIndex += 1
        stageEntered = e
        stageAwaiting = nil
        let next = tailored(stageIndex, on: e)
        schedule = Schedule(stage: next, patientTimes: request.patient.sessionTimes)
        var moved: [Decision] = []
        exercises = next.prescriptions.map { rx in
            if let j = old.prescriptions.firstIndex(where: { $0.exercise == rx.exercise }) {
                var carried = oldStates[j]
                let placed = LadderPosition(dose: carried.position.dose, on: rx.ladder, exercise: rx.exercise)
                    .nearestRungAtMost(on: rx.ladder)
                if placed.dose != carried.position.dose {
                    moved.append(Decision(
                        date: e, exercise: rx.exercise, action: .advanceStage, from: carried.position.dose, to: placed.dose,
                        rule: "stage-gate",
                        because: "\(carried.position.dose) is not a step of stage \(nextRaw.id): the nearest lower step, \(placed.dose)."))
                }
                carried.position = placed
                carried.awaiting = nil
                carried.approvedRung = nil
                carried.restart(e)
                return carried
            }
            return ExerciseState(position: LadderPosition(startOf: rx.ladder), lastChange: e)
        }
        lastScheduled = Array(repeating: false, count: next.prescriptions.count)
        approvedStages = []
        lastStepUp = e
        decisions.append(Decision(
            date: e, exercise: nil, action: .advanceStage, rule: "stage-gate",
            because: "Week \(week) reached stage \(next.id) (from week \(next.fromWeek)), and \(greens.count) of the last \(inStage.count) scheduled days were green with no red day in the last \(exit.noRedDays): moving from \(old.id) to \(next.id). Carried-over exercises keep their dose (or the nearest lower step of the new stage); new ones start at their starting dose.",
            reports: greens.reversed().flatMap { index.reports(on: $0.day) }))
        decisions += moved
        return true
    }

    /// `floor(days since surgery / 7)`, also before the surgery date.
    static func weeks(from surgery: LocalDate, to day: LocalDate) -> Int {
        let days = day.days(since: surgery)
        return days >= 0 ? days / 7 : -((-days + 6) / 7)
    }
}
