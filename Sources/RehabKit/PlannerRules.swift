/// The dose rules applied at the end of each replayed day (the pain rules, version 2: README, "How doses move").
extension PlannerReplay {
    /// What one exercise's evidence did on a day.
    enum Outcome {
        case none
        /// Stepped back one rung (restarts every exercise's waiting).
        case regressed
        /// Earned a step up; whether it takes it depends on the rest of the plan.
        case due
    }

    /// Judges day `e - 1` and records the decisions that take effect on `e`.
    ///
    /// While the plan is halted at the start of `e`, or when `loweringOnly` (as_of's own
    /// reports, judged before their next morning), only the rules that lower or pause act:
    /// `red-day` / `spreading` regress, `at-floor`, `flare`.
    mutating func evaluate(effective e: LocalDate, loweringOnly: Bool) {
        let d = e - 1
        guard lastScheduled.count == stage.prescriptions.count else { return }
        let halted = loweringOnly || timeline.isHalted(atStartOf: e)
        let scheduled = lastScheduled
        let rxs = stage.prescriptions
        // What day d's reports say as a whole, looked up once for every rule below.
        let summary = index.day(d)
        let usual = summary?.usual ?? index.usual(on: d)
        let evidence = rxs.indices.map { i in
            index.evidence(on: summary, family: families[i], scheduled: scheduled[i], limits: rxs[i].limits(rules),
                           ownReport: rxs[i].ownReport)
        }
        if summary?.hasRed == true { redDays.insert(d.daysSinceEpoch) }
        if scheduled.contains(true) {
            planDays.append(ScheduledDay(day: d, green: planGreen(summary?.worst, scheduled: scheduled, evidence: evidence)))
            if !loweringOnly { noteQuiet(hasReports: summary != nil, d) }
        }
        let flareStarts = flare == nil && flareDue(endingAt: d)
        // Amber, red or spreading anywhere that day ends every banked (`one-at-a-time`) step.
        if let worst = summary?.worst, worst != .green {
            for i in exercises.indices { exercises[i].due = false }
        }
        if summary?.spreading == true {
            for i in exercises.indices { exercises[i].due = false }
        }
        var due: [Int] = []
        var regressed = false
        for i in exercises.indices {
            switch decideDose(i, rxs[i], day: d, effective: e, evidence: evidence[i], usual: usual, scheduled: scheduled[i],
                              mayProgress: flare == nil && !flareStarts, halted: halted) {
            case .regressed: regressed = true
            case .due: due.append(i)
            case .none: break
            }
        }
        if regressed { restartAll(e) }
        var flareEnded = false
        if flareStarts {
            startFlare(effective: e, day: d)
        } else if flare != nil, !halted {
            flareEnded = endFlareIfOver(effective: e, day: d)
            escalateIfLong(effective: e)
        }
        var entered = false
        if flare == nil, !halted { entered = advanceStageIfReady(effective: e, day: d) }
        // One step up a day in the whole plan, and none on a day that restarts the waiting.
        guard !due.isEmpty, !regressed, !flareStarts, !flareEnded, !entered,
              !haltDays.contains(e.daysSinceEpoch) else { return }
        stepUp(due, effective: e)
    }

    /// A green plan day: every scheduled exercise without `own_report` is green evidence,
    /// at least one scheduled exercise is, and no report (`worst`, the day's worst zone) is
    /// amber or red.
    func planGreen(_ worst: Zone?, scheduled: [Bool], evidence: [DayEvidence]) -> Bool {
        if let worst, worst != .green { return false }
        var any = false
        for (i, ev) in evidence.enumerated() where scheduled[i] {
            if let z = ev.zone, z != .green { return false }
            if ev.isGreen { any = true } else if !stage.prescriptions[i].ownReport { return false }
        }
        return any
    }

    /// Counts scheduled days without any report (quiet patients).
    mutating func noteQuiet(hasReports: Bool, _ d: LocalDate) {
        if hasReports {
            quiet = nil
        } else if let q = quiet {
            quiet = (q.since, q.days + 1)
        } else {
            quiet = (d, 1)
        }
    }

    /// Regress or hold one exercise on the evidence of day `d`, or find it due a step up.
    /// While `halted`, only a step back (or `at-floor`) is recorded.
    /// `usual` is the usual pain on `d`.
    mutating func decideDose(_ i: Int, _ rx: Prescription, day d: LocalDate, effective e: LocalDate, evidence ev: DayEvidence,
                             usual: Int, scheduled: Bool, mayProgress: Bool, halted: Bool) -> Outcome {
        let rules = self.rules
        var st = exercises[i]
        // Leave no second reference to the recent days behind, so appending copies nothing.
        exercises[i].recent = []
        defer { exercises[i] = st }
        let quota: Int? = if case .quota(let n) = rx.progression { max(1, n) } else { nil }
        let need = quota ?? max(1, rx.daysAtDose ?? rules.daysAtDose)
        let bad = ev.zone == .amber || ev.zone == .red || ev.spreading
        if bad { st.due = false }
        if scheduled {
            let counts = quota != nil ? !bad : ev.isGreen
            st.recent.append(RecentDay(day: d, green: counts, reports: ev.reports))
            if st.recent.count > need { st.recent.removeFirst(st.recent.count - need) }
        }
        if ev.zone == .red || ev.spreading {
            let rule = ev.zone == .red ? "red-day" : "spreading"
            // Written only when a decision is recorded (an at-floor hold usually repeats).
            func what() -> String {
                ev.zone == .red ? Words.red(ev, day: d, usual: usual, rules: rules) : "Pain spread further down the leg on \(d)"
            }
            if let lower = st.position.down(on: rx.ladder) {
                decisions.append(Decision(date: e, exercise: rx.exercise, action: .regress, from: st.position.dose,
                                          to: lower.dose, rule: rule, because: "\(what()): one step back.",
                                          reports: ev.reports))
                st.position = lower
                st.awaiting = nil
                st.restart(e)
                return .regressed
            }
            hold(&st, rx, e, "at-floor", "\(what()), and this is already the lowest dose: staying here.", ev.reports)
            return .none
        }
        guard !halted else { return .none }
        if ev.zone == .amber {
            if quota != nil { st.recent = [] }  // an amber day restarts a quota's count
            hold(&st, rx, e, "amber-day", "\(Words.amber(ev, day: d, usual: usual, rules: rules)): staying at this dose.",
                 ev.reports)
            return .none
        }
        guard scheduled || st.due else { return .none }
        let earned = st.recent.count >= need && st.recent.allSatisfy { $0.green && $0.day >= st.lastChange }
        guard st.due || earned else {
            if quota == nil, scheduled, !ev.isGreen {
                hold(&st, rx, e, "missing-reports", Words.missing(d, ownReport: rx.ownReport, hasAny: !ev.reports.isEmpty),
                     ev.reports)
            } else {
                st.lastHold = nil  // a green day ends a streak of holds
            }
            return .none
        }
        guard mayProgress else { return .none }
        let recent = st.recent
        func reports() -> [PainReport] { recent.flatMap(\.reports) }
        let sinceChange = e.days(since: st.lastChange)
        if sinceChange < rules.minDaysBetweenChanges {
            hold(&st, rx, e, "wait-days",
                 "Ready on \(Words.days(recent)), but the last change was only \(sinceChange) days ago; at least \(rules.minDaysBetweenChanges) must pass.",
                 reports())
            return .none
        }
        guard let upper = st.position.up(on: rx.ladder), let next = upper.rung else {
            hold(&st, rx, e, "at-cap", "Ready on \(Words.days(recent)), and this is already the top dose of the stage.", reports())
            return .none
        }
        if rx.approvalRungs.contains(next), st.approvedRung != next {
            if st.awaiting?.rung != next {
                st.awaiting = (next, e)
                st.lastHold = "awaiting-approval"
                decisions.append(Decision(
                    date: e, exercise: rx.exercise, action: .hold, from: st.position.dose, to: st.position.dose,
                    rule: "awaiting-approval",
                    because: "Ready on \(Words.days(recent)), but the next dose (\(upper.dose)) needs your clinical team's approval first: staying at this dose.",
                    reports: reports()))
            }
            return .none
        }
        return .due
    }

    /// The one step up of the day: the due exercise whose last change is oldest (ties:
    /// program order); the others hold with `one-at-a-time` and stay due.
    mutating func stepUp(_ due: [Int], effective e: LocalDate) {
        guard let winner = due.min(by: { (exercises[$0].lastChange, $0) < (exercises[$1].lastChange, $1) }) else { return }
        let rxs = stage.prescriptions
        for i in due where i != winner {
            if !exercises[i].due { exercises[i].earned = exercises[i].recent }
            exercises[i].due = true
            var st = exercises[i]
            hold(&st, rxs[i], e, "one-at-a-time",
                 "Ready to step up, but \(rxs[winner].exercise) steps up today and only one dose rises a day: waiting for the next day.",
                 [])
            exercises[i].lastHold = st.lastHold
        }
        let rx = rxs[winner]
        var st = exercises[winner]
        guard let upper = st.position.up(on: rx.ladder) else { return }
        let basis = st.due ? st.earned : st.recent
        let rule: String
        let because: String
        if case .quota(let n) = rx.progression {
            rule = "quota"
            because = "\(Words.count(basis.count, "session day")) at this dose (\(Words.days(basis))) with no amber or red pain; it rises one step every \(n) session days. One step up."
        } else {
            let usual = index.usual(on: e - 1)
            let limits = rx.limits(rules)
            rule = "green-days"
            because = "Green on \(Words.days(basis)): pain \(PainRules.greenUpTo(usual: usual, limits: limits)) or less during and after\(rx.ownReport ? " this exercise" : ""), and no worse than your usual \(usual) the next morning. One step up."
        }
        decisions.append(Decision(date: e, exercise: rx.exercise, action: .progress, from: st.position.dose,
                                  to: upper.dose, rule: rule, because: because, reports: basis.flatMap(\.reports)))
        if upper.rung == st.approvedRung { st.approvedRung = nil }
        st.position = upper
        st.awaiting = nil
        st.restart(e)
        exercises[winner] = st
        lastStepUp = e
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
}
