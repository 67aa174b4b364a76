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
    }

    /// One of an exercise's scheduled days, with the reports that counted for it.
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
    var decisions: [Decision] = []
    /// Which prescriptions were scheduled on the day last recorded.
    var lastScheduled: [Bool] = []
    var eventCursor = 0

    init(request: PlanRequest) {
        self.request = request
        rules = request.program.painRules
        let stages = request.program.stages
        self.stages = stages
        start = request.patient.startDate
        let sorted = request.log.enumerated()
            .filter { $0.element.at.date <= request.asOf }
            .sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }
            .map(\.element)
        let timeline = HaltTimeline(sortedEntries: sorted, zone: request.zone)
        self.timeline = timeline
        // Evidence: every report not logged while halted, judged in log order (a report
        // written before the halting report in the same minute is still evidence).
        let reports = zip(sorted, timeline.loggedWhileHalted).compactMap { entry, halted -> PainReport? in
            if case .report(let r) = entry, !halted { return r }
            return nil
        }
        index = ReportIndex(reports: reports, library: request.library, rules: request.program.painRules,
                            baseline: request.patient.baselinePain)
        let first = request.patient.startStage.flatMap { id in stages.firstIndex { $0.id == id } } ?? 0
        stageIndex = first
        stageEntered = request.patient.startDate
        let stage = stages.indices.contains(first) ? stages[first] : Self.emptyStage
        schedule = Schedule(stage: stage, patientTimes: request.patient.sessionTimes)
        families = stage.prescriptions.map { request.library.familyID(of: $0.exercise) ?? $0.exercise }
        exercises = stage.prescriptions.map {
            ExerciseState(position: LadderPosition(startOf: $0.ladder), lastChange: request.patient.startDate)
        }
    }

    static let emptyStage = Stage(id: "", title: "", fromWeek: 0, sessionTimes: [], prescriptions: [])

    var stage: Stage { schedule.stage }

    // MARK: - The replay

    mutating func run() {
        let asOf = request.asOf
        processEvents(through: start - 1)
        guard start <= asOf else { return }
        processEvents(through: start)
        record(start)
        var day = start + 1
        while day <= asOf {
            evaluate(effective: day)
            processEvents(through: day)
            if day < asOf { record(day) }
            day = day + 1
        }
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

    /// Judges day `e - 1` and records the decisions that take effect on `e`.
    ///
    /// Every day is judged, also one whose next day begins halted: its evidence from before
    /// the halt is recorded (red days, scheduled days, each exercise's recent days), and the
    /// rules that lower or pause (regress, flare) take effect on `e` even though the plan is
    /// halted then; the clearance later applies the lower of current and start on top.
    /// Progress, holds, the end of a flare, escalation and stage advance wait for a day that
    /// begins unhalted.
    mutating func evaluate(effective e: LocalDate) {
        let d = e - 1
        guard lastScheduled.count == stage.prescriptions.count else { return }
        let halted = timeline.isHalted(atStartOf: e)
        let scheduled = lastScheduled
        let evidence = families.indices.map { i in
            index.evidence(on: d, family: families[i], scheduled: scheduled[i])
        }
        if !index.redReports(on: d).isEmpty { redDays.insert(d.daysSinceEpoch) }
        if scheduled.contains(true) {
            let green = zip(scheduled, evidence).allSatisfy { !$0 || $1.isGreen }
            planDays.append(ScheduledDay(day: d, green: green))
        }
        let flareStarts = flare == nil && flareDue(endingAt: d)
        let prescriptions = stage.prescriptions
        for i in exercises.indices {
            decideDose(i, prescriptions[i], day: d, effective: e, evidence: evidence[i], scheduled: scheduled[i],
                       mayProgress: flare == nil && !flareStarts, halted: halted)
        }
        if flareStarts {
            startFlare(effective: e, day: d)
        } else if flare != nil, !halted {
            endFlareIfOver(effective: e, day: d)
            escalateIfLong(effective: e)
        }
        if flare == nil, !halted { advanceStageIfReady(effective: e, day: d) }
    }

    /// The red days among the `flareWindow` days ending at `d`, every one of them counted
    /// (also those from before the last flare ended).
    func redDayCount(endingAt d: LocalDate) -> Int {
        let window = max(1, rules.flareWindow)
        return (0..<window).filter { redDays.contains((d - $0).daysSinceEpoch) }.count
    }

    /// True when a new flare starts on the evidence of day `d`: red on `flareRedDays` of the
    /// last `flareWindow` days, and, after a flare has ended, at least one of those red days
    /// judged after its end. The red days that made the last flare were already answered by
    /// the green streak that ended it; only a new red day can start the next one.
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

    // MARK: - Halts and clearances

    mutating func processEvents(through day: LocalDate) {
        let events = timeline.events
        while eventCursor < events.count, events[eventCursor].at.date <= day {
            switch events[eventCursor] {
            case .halt(let report, _):
                let flags = report.flags.filter(\.halts).sorted()
                decisions.append(Decision(
                    date: report.at.date, exercise: nil, action: .halt, rule: "red-flag",
                    because: "Red flag reported (\(flags.map(\.rawValue).joined(separator: ", "))). All sessions stop until a clinician gives clearance.",
                    reports: [report], time: report.at.time))
            case .resume(let resume):
                clear(resume)
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
            exercises[i].lastChange = r
            exercises[i].lastHold = nil
        }
    }
}
