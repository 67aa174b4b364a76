import Foundation

/// The planner's day-by-day replay (see `Planner` for the rules and the choices made).
/// One value per `Planner.plan` call; every step is a pure function of the request.
struct PlannerReplay {
    struct ExerciseState {
        var position: LadderPosition
        /// The day the last dose change (or restart of the waiting) took effect.
        var lastChange: LocalDate
        /// The exercise's most recent scheduled days, oldest first (a few only).
        var recent: [RecentDay] = []
        /// The rule of the last hold recorded since the last change or green day.
        var lastHold: String?
        /// Held by `one-at-a-time`: earned its step and keeps it until bad news or a restart.
        var due = false
        /// The days that earned the step it is due (shown with the step when it comes).
        var earned: [RecentDay] = []
        /// The gated rung an approval opened (lapses with a flare, a halt, a stage change).
        var approvedRung: Int?
        /// The gated rung an `awaiting-approval` hold was recorded for, and its day.
        var awaiting: (rung: Int, since: LocalDate)?

        init(position: LadderPosition, lastChange: LocalDate) {
            self.position = position
            self.lastChange = lastChange
        }

        /// Every change and restart of the waiting: evidence starts again from `day`.
        mutating func restart(_ day: LocalDate) {
            lastChange = day
            recent = []
            lastHold = nil
            due = false
        }
    }

    /// One of an exercise's scheduled days: whether it counts towards a step (green
    /// evidence; for a quota prescription, a day that was not amber or red).
    struct RecentDay {
        var day: LocalDate
        var green: Bool
        var reports: [PainReport]
    }

    /// One of the plan's scheduled days.
    struct ScheduledDay {
        var day: LocalDate
        var green: Bool
    }

    struct Flare {
        var start: LocalDate
        var escalated: Bool
    }

    let request: PlanRequest
    let rules: PainRules
    let stages: [Stage]
    let timeline: HaltTimeline
    let index: ReportIndex
    let start: LocalDate
    let tailoringDays: [LocalDate]
    let haltDays: Set<Int>

    var stageIndex: Int
    var stageEntered: LocalDate
    var schedule: Schedule {
        didSet { families = schedule.stage.prescriptions.map { request.library.familyID(of: $0.exercise) ?? $0.exercise } }
    }
    /// The exercise family of each prescription of the current stage.
    var families: [String]
    var exercises: [ExerciseState]
    /// The plan's scheduled days, oldest first.
    var planDays: [ScheduledDay] = []
    var redDays: Set<Int> = []
    var flare: Flare?
    var lastFlareEnd: LocalDate?
    var gateNoted: Int?
    /// Stages a clinician has approved (lapse with a flare or a halt).
    var approvedStages: Set<String> = []
    /// The next stage waits for its approval since this day.
    var stageAwaiting: (stage: Int, since: LocalDate)?
    /// The last step up or stage entry (stalled patients).
    var lastStepUp: LocalDate
    /// The first of the current run of scheduled days without any report, and its length.
    var quiet: (since: LocalDate, days: Int)?
    var decisions: [Decision] = []
    /// Which prescriptions were scheduled on the day last recorded.
    var lastScheduled: [Bool] = []
    var eventCursor = 0
    var tailoringCursor = 0
    /// `as_of`'s own doses and flare, before the decisions its reports earn for tomorrow.
    var today: (doses: [Dose], inFlare: Bool)?

    init(request: PlanRequest) {
        self.request = request
        rules = request.program.painRules
        let stages = request.program.stages
        self.stages = stages
        start = request.patient.startDate
        var sorted = request.log.filter { $0.at.date <= request.asOf }
        // A log is written in time order but for the odd `--at` in the past: sort (ties in
        // the order written) only when it is not in order already, by each entry's minute
        // read once (comparing entries themselves copies both every time).
        let minutes = sorted.map(\.at.wallMinutes)
        if minutes.indices.dropFirst().contains(where: { minutes[$0] < minutes[$0 - 1] }) {
            let order = minutes.indices.sorted { (minutes[$0], $0) < (minutes[$1], $1) }
            sorted = order.map { sorted[$0] }
        }
        let timeline = HaltTimeline(sortedEntries: sorted, zone: request.zone)
        self.timeline = timeline
        haltDays = timeline.haltOrClearanceDays
        // Evidence: every report not logged while halted, judged in log order (a report
        // written before the halting report in the same minute is still evidence).
        let reports = zip(sorted, timeline.loggedWhileHalted).compactMap { entry, halted -> PainReport? in
            if case .report(let r) = entry, !halted { return r }
            return nil
        }
        index = ReportIndex(reports: reports, library: request.library, rules: request.program.painRules,
                            patient: request.patient)
        tailoringDays = request.patient.tailoring.changeDays(after: request.patient.startDate)
        let first = request.patient.startStage.flatMap { id in stages.firstIndex { $0.id == id } } ?? 0
        stageIndex = first
        stageEntered = request.patient.startDate
        lastStepUp = request.patient.startDate
        let raw = stages.indices.contains(first) ? stages[first] : Self.emptyStage
        let stage = request.patient.tailoring.apply(to: raw, on: request.patient.startDate, start: request.patient.startDate)
        schedule = Schedule(stage: stage, patientTimes: request.patient.sessionTimes)
        families = stage.prescriptions.map { request.library.familyID(of: $0.exercise) ?? $0.exercise }
        exercises = stage.prescriptions.map {
            ExerciseState(position: LadderPosition(startOf: $0.ladder), lastChange: request.patient.startDate)
        }
    }

    static let emptyStage = Stage(id: "", title: "", fromWeek: 0, sessionTimes: [], prescriptions: [])

    var stage: Stage { schedule.stage }

    /// Stage `i` as this patient does it on `day` (tailoring applied).
    func tailored(_ i: Int, on day: LocalDate) -> Stage {
        request.patient.tailoring.apply(to: stages[i], on: day, start: start)
    }

    // MARK: - The replay

    mutating func run() {
        let asOf = request.asOf
        processEvents(through: start - 1)
        guard start <= asOf else { return }
        processEvents(through: start)
        record(start)
        var day = start + 1
        while day <= asOf {
            evaluate(effective: day, loweringOnly: false)
            retailor(on: day)
            processEvents(through: day)
            record(day)
            day = day + 1
        }
        // As-of's own reports: what they lower or pause shows from tomorrow; a step up
        // waits for the next-morning report.
        today = (exercises.map(\.position.dose), flare != nil)
        evaluate(effective: asOf + 1, loweringOnly: true)
    }

    /// Notes which prescriptions have a (not halted) session on `day` under today's state.
    mutating func record(_ day: LocalDate) {
        var scheduled = Array(repeating: false, count: stage.prescriptions.count)
        for slot in schedule.slots(on: day, inFlare: flare != nil)
        where !timeline.isHalted(at: LocalDateTime(date: day, time: slot.time)) {
            for p in slot.prescriptions { scheduled[p] = true }
        }
        lastScheduled = scheduled
    }

    /// Restarts every exercise's waiting from `day` (a regression, a flare's start or end,
    /// a stage entry, a clearance, a halt).
    mutating func restartAll(_ day: LocalDate) {
        for i in exercises.indices { exercises[i].restart(day) }
    }

    /// Approvals lapse with a flare, a halt and a stage change.
    mutating func lapseApprovals() {
        for i in exercises.indices { exercises[i].approvedRung = nil }
        approvedStages = []
    }

    /// The red days among the `flareWindow` days ending at `d`, every one of them counted
    /// (also those from before the last flare ended).
    func redDayCount(endingAt d: LocalDate) -> Int {
        let window = max(1, rules.flareWindow)
        return (0..<window).filter { redDays.contains((d - $0).daysSinceEpoch) }.count
    }

    /// True when a new flare starts on the evidence of day `d`: red on `flareRedDays` of the
    /// last `flareWindow` days, and, after a flare has ended, at least one of those red days
    /// judged after its end.
    func flareDue(endingAt d: LocalDate) -> Bool {
        guard redDayCount(endingAt: d) >= max(1, rules.flareRedDays) else { return false }
        guard let end = lastFlareEnd else { return true }
        let window = max(1, rules.flareWindow)
        return (0..<window).contains { x in d - x >= end && redDays.contains((d - x).daysSinceEpoch) }
    }

    func hasRedDay(from first: LocalDate, through last: LocalDate) -> Bool {
        guard first <= last else { return false }
        return (first.daysSinceEpoch...last.daysSinceEpoch).contains { redDays.contains($0) }
    }

    // MARK: - Tailoring

    /// A tailoring item that begins on `day` (exclusion, lower cap, approval gate) changes
    /// the stage from that day; a dose above a new cap comes down to it.
    mutating func retailor(on day: LocalDate) {
        while tailoringCursor < tailoringDays.count, tailoringDays[tailoringCursor] < day { tailoringCursor += 1 }
        guard tailoringCursor < tailoringDays.count, tailoringDays[tailoringCursor] == day else { return }
        let new = tailored(stageIndex, on: day)
        let old = stage
        let states = exercises
        schedule = Schedule(stage: new, patientTimes: request.patient.sessionTimes)
        exercises = new.prescriptions.map { rx in
            guard let j = old.prescriptions.firstIndex(where: { $0.exercise == rx.exercise }) else {
                return ExerciseState(position: LadderPosition(startOf: rx.ladder), lastChange: day)
            }
            var st = states[j]
            let placed = LadderPosition(dose: st.position.dose, on: rx.ladder, exercise: rx.exercise).nearestRungAtMost(on: rx.ladder)
            if placed.dose != st.position.dose {
                decisions.append(Decision(
                    date: day, exercise: rx.exercise, action: .regress, from: st.position.dose, to: placed.dose,
                    rule: "tailored-cap", because: "Your clinical team set a lower top dose from \(day): \(placed.dose)."))
                st.restart(day)
            }
            st.position = placed
            return st
        }
        lastScheduled = Array(repeating: false, count: new.prescriptions.count)
    }

    // MARK: - Halts, clearances, approvals

    mutating func processEvents(through day: LocalDate) {
        let events = timeline.events
        while eventCursor < events.count, events[eventCursor].at.date <= day {
            switch events[eventCursor] {
            case .halt(let report, let opens):
                let flags = report.flags.filter(\.halts).sorted()
                decisions.append(Decision(
                    date: report.at.date, exercise: nil, action: .halt, rule: "red-flag",
                    because: "Red flag reported (\(flags.map(\.rawValue).joined(separator: ", "))). All sessions stop until a clinician gives clearance.",
                    reports: [report], time: report.at.time))
                // Every warning sign, also one while already halted, restarts the waiting
                // and lapses approvals.
                _ = opens
                restartAll(report.at.date)
                lapseApprovals()
            case .resume(let resume):
                clear(resume)
            case .approval(let approval):
                approve(approval)
            }
            eventCursor += 1
        }
    }

    mutating func clear(_ resume: Resume) {
        let r = resume.at.date
        decisions.append(Decision(
            date: r, exercise: nil, action: .resume, rule: "cleared",
            because: "Cleared by \(resume.clearedBy). Sessions restart, each dose at the lower of its current and the stage's starting dose.",
            time: resume.at.time))
        for (i, rx) in stage.prescriptions.enumerated() {
            let lowered = exercises[i].position.atMostStart(of: rx.ladder)
            if lowered.dose != exercises[i].position.dose {
                decisions.append(Decision(
                    date: r, exercise: rx.exercise, action: .resume, from: exercises[i].position.dose, to: lowered.dose,
                    rule: "cleared", because: "Restarting after a halt: back to the stage's starting dose.",
                    time: resume.at.time))
            }
            exercises[i].position = lowered
            exercises[i].awaiting = nil
        }
        restartAll(r)
    }

    /// The index of the prescription `id` (or its family) names in the current stage.
    func prescriptionIndex(of id: String) -> Int? {
        let family = request.library.familyID(of: id) ?? id
        return families.firstIndex(of: family)
    }

    /// The first gated rung at or above the next rung from the exercise's dose.
    func nextGate(_ i: Int) -> Int? {
        let rx = stage.prescriptions[i]
        guard let next = exercises[i].position.up(on: rx.ladder)?.rung else { return nil }
        return rx.gatedRung(above: next - 1)
    }

    /// A clinician's approval: it opens the next gated rung above the exercise's dose (or
    /// the stage's gate) and restarts that exercise's waiting; a repeat changes nothing.
    mutating func approve(_ approval: Approval) {
        let a = approval.at.date
        switch approval.target {
        case .exercise(let id):
            guard let i = prescriptionIndex(of: id), let gate = nextGate(i), exercises[i].approvedRung != gate else { return }
            let rx = stage.prescriptions[i]
            exercises[i].approvedRung = gate
            exercises[i].awaiting = nil
            exercises[i].restart(a)
            decisions.append(Decision(
                date: a, exercise: rx.exercise, action: .approve, from: nil, to: nil, rule: "approved",
                because: "Approved by \(approval.by) on \(a): the dose may rise to \(rx.ladder.rungs[gate]) once the reports show it is ready.",
                time: approval.at.time))
        case .stage(let id):
            guard !approvedStages.contains(id), stages.contains(where: { $0.id == id }) else { return }
            approvedStages.insert(id)
            if stageAwaiting.map({ stages[$0.stage].id == id }) == true { stageAwaiting = nil }
            decisions.append(Decision(
                date: a, exercise: nil, action: .approve, rule: "approved",
                because: "Approved by \(approval.by) on \(a): stage \(id) may begin once its week and goal are reached.",
                time: approval.at.time))
        }
    }
}

extension LadderPosition {
    /// On a rung as it is; off the ladder, the nearest rung below it (a carried-over dose,
    /// a lower cap), or as it is when no rung lies below.
    func nearestRungAtMost(on ladder: DoseLadder) -> LadderPosition {
        if rung != nil { return self }
        guard let r = ladder.rungs.lastIndex(where: { $0.isAtMost(dose) }) else { return self }
        return LadderPosition(dose: ladder.rungs[r], rung: r)
    }
}
