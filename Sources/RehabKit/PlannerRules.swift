/// The dose, flare and stage rules applied at the end of each replayed day.
extension PlannerReplay {
    /// Progress, hold or regress one exercise on the evidence of day `d`. While the plan is
    /// `halted` at the start of `e`, only a step back (or `at-floor`) is recorded.
    mutating func decideDose(_ i: Int, _ rx: Prescription, day d: LocalDate, effective e: LocalDate, evidence ev: DayEvidence,
                             scheduled: Bool, mayProgress: Bool, halted: Bool) {
        let rules = self.rules  // read by the hold texts while `hold` mutates self
        var st = exercises[i]
        // Leave no second reference to the recent days behind, so appending copies nothing.
        exercises[i].recent = []
        defer { exercises[i] = st }
        if scheduled {
            st.recent.append(RecentDay(day: d, green: ev.isGreen, reports: ev.reports))
            let keep = max(1, rules.progressGreenDays)
            if st.recent.count > keep { st.recent.removeFirst(st.recent.count - keep) }
        }
        if ev.zone == .red || ev.spreading {
            let rule = ev.zone == .red ? "red-day" : "spreading"
            let what = ev.zone == .red
                ? "Pain was in the red zone (above \(rules.amberMax)) on \(d)"
                : "Pain spread further down the leg on \(d)"
            if let lower = st.position.down(on: rx.ladder) {
                decisions.append(Decision(date: e, exercise: rx.exercise, action: .regress, from: st.position.dose,
                                          to: lower.dose, rule: rule, because: "\(what): one step back.",
                                          reports: ev.reports))
                st.position = lower
                st.lastChange = e
                st.lastHold = nil
            } else {
                hold(&st, rx, e, "at-floor", "\(what), and this is already the lowest dose: staying here.", ev.reports)
            }
            return
        }
        guard !halted else { return }
        if ev.zone == .amber {
            hold(&st, rx, e, "amber-day",
                 "Pain reached the amber zone (\(rules.greenMax + 1)-\(rules.amberMax), or above your usual level the next morning) on \(d): staying at this dose.",
                 ev.reports)
            return
        }
        guard scheduled else { return }
        guard ev.isGreen else {
            hold(&st, rx, e, "missing-reports",
                 "Reports for \(d) are incomplete (a during or after score and a next-morning score are needed): staying at this dose. A missing report is never taken as good news.",
                 ev.reports)
            return
        }
        let need = max(1, rules.progressGreenDays)
        guard mayProgress, st.recent.count >= need,
              st.recent.allSatisfy({ $0.green && $0.day >= st.lastChange }) else {
            st.lastHold = nil  // a green day ends a streak of holds
            return
        }
        // Written only for a decision that is recorded.
        let recent = st.recent
        let sinceChange = e.days(since: st.lastChange)
        func days() -> String { recent.map { "\($0.day)" }.joined(separator: ", ") }
        func reports() -> [PainReport] { recent.flatMap(\.reports) }
        if sinceChange < rules.minDaysBetweenChanges {
            hold(&st, rx, e, "wait-days",
                 "Green on \(days()), but the last change was only \(sinceChange) days ago; at least \(rules.minDaysBetweenChanges) must pass.",
                 reports())
        } else if let upper = st.position.up(on: rx.ladder) {
            decisions.append(Decision(
                date: e, exercise: rx.exercise, action: .progress, from: st.position.dose, to: upper.dose,
                rule: "two-green-days",
                because: "Green on \(days()): pain \(rules.greenMax) or less during and after, and no worse than usual the next morning. One step up.",
                reports: reports()))
            st.position = upper
            st.lastChange = e
            st.lastHold = nil
        } else {
            hold(&st, rx, e, "at-cap", "Green on \(days()), and this is already the top dose of the stage.", reports())
        }
    }

    /// Records a hold unless it repeats the previous hold's rule for the exercise. The text
    /// is an autoclosure, written only when the hold is recorded (most days repeat one).
    mutating func hold(_ st: inout ExerciseState, _ rx: Prescription, _ e: LocalDate, _ rule: String,
                       _ because: @autoclosure () -> String, _ reports: @autoclosure () -> [PainReport]) {
        guard st.lastHold != rule else { return }
        st.lastHold = rule
        decisions.append(Decision(date: e, exercise: rx.exercise, action: .hold, from: st.position.dose,
                                  to: st.position.dose, rule: rule, because: because(), reports: reports()))
    }

    // MARK: - Flares

    mutating func startFlare(effective e: LocalDate, day d: LocalDate) {
        flare = Flare(start: e, escalated: false)
        let window = max(1, rules.flareWindow)
        let reports = (0..<window).reversed().flatMap { index.redReports(on: d - $0) }
        let paused = stage.prescriptions.filter(\.skipInFlare).map(\.exercise)
        let pausedText = paused.isEmpty ? "" : " \(paused.joined(separator: ", ")) pause until \(rules.flareExitGreenDays) green days in a row."
        decisions.append(Decision(
            date: e, exercise: nil, action: .flare, rule: "flare",
            because: "Red pain on \(redDayCount(endingAt: d)) of the last \(window) days: a flare. Doses go back to no more than the stage's starting doses.\(pausedText)",
            reports: reports))
        for (i, rx) in stage.prescriptions.enumerated() {
            let lowered = exercises[i].position.atMostStart(of: rx.ladder)
            if lowered.dose != exercises[i].position.dose {
                decisions.append(Decision(
                    date: e, exercise: rx.exercise, action: .flare, from: exercises[i].position.dose, to: lowered.dose,
                    rule: "flare", because: "Flare: back to the stage's starting dose.", reports: reports))
            }
            exercises[i].position = lowered
            exercises[i].lastChange = e
            exercises[i].lastHold = nil
        }
    }

    mutating func endFlareIfOver(effective e: LocalDate, day d: LocalDate) {
        guard let current = flare else { return }
        let need = max(1, rules.flareExitGreenDays)
        guard planDays.count >= need, planDays.last?.day == d else { return }
        let tail = planDays.suffix(need)
        guard tail.allSatisfy({ $0.green && $0.day >= current.start }),
              let first = tail.first?.day, !hasRedDay(from: first, through: d) else { return }
        flare = nil
        lastFlareEnd = e
        decisions.append(Decision(
            date: e, exercise: nil, action: .flare, rule: "flare-over",
            because: "Green on \(tail.map { "\($0.day)" }.joined(separator: ", ")): the flare is over and paused exercises come back.",
            reports: tail.flatMap { index.reports(on: $0.day) }))
        for (i, rx) in stage.prescriptions.enumerated() where rx.skipInFlare {
            exercises[i].lastChange = e
            exercises[i].recent = []
        }
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

    mutating func advanceStageIfReady(effective e: LocalDate, day d: LocalDate) {
        guard stageIndex + 1 < stages.count else { return }
        let next = stages[stageIndex + 1]
        let week = Self.weeks(from: request.patient.surgeryDate, to: e)
        guard week >= next.fromWeek else { return }
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
                    because: "Week \(week) allows stage \(next.id), but \(stage.id)'s goal is not met yet: green on at least \(max(1, exit.greenDays)) of the last \(window) scheduled days and no red day in the last \(exit.noRedDays)."))
            }
            return
        }
        let old = stage
        let oldStates = exercises
        stageIndex += 1
        stageEntered = e
        schedule = Schedule(stage: next, patientTimes: request.patient.sessionTimes)
        exercises = next.prescriptions.map { rx in
            if let j = old.prescriptions.firstIndex(where: { $0.exercise == rx.exercise }) {
                var carried = oldStates[j]
                carried.position = LadderPosition(dose: carried.position.dose, on: rx.ladder, exercise: rx.exercise)
                return carried
            }
            return ExerciseState(position: LadderPosition(startOf: rx.ladder), lastChange: e)
        }
        decisions.append(Decision(
            date: e, exercise: nil, action: .advanceStage, rule: "stage-gate",
            because: "Week \(week) reached stage \(next.id) (from week \(next.fromWeek)), and \(greens.count) of the last \(inStage.count) scheduled days were green with no red day in the last \(exit.noRedDays): moving from \(old.id) to \(next.id). Carried-over exercises keep their dose; new ones start at their starting dose.",
            reports: greens.reversed().flatMap { index.reports(on: $0.day) }))
    }

    /// `floor(days since surgery / 7)`, also before the surgery date.
    static func weeks(from surgery: LocalDate, to day: LocalDate) -> Int {
        let days = day.days(since: surgery)
        return days >= 0 ? days / 7 : -((-days + 6) / 7)
    }
}
