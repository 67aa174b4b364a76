import RehabKit

/// Turns a plan into `EventSpec`s: runs of identical sessions, the morning check-ins and
/// the halt advice. Pure Swift; the libical side only writes what this decides.
///
/// **Runs and UIDs.** Sessions at one scheduled time of day with identical content (stage,
/// exercises, doses) form a run. Its UID is `<patient>-<HHMM>-<YYYYMMDD>@rehab`, where the
/// date is the run's first date: the first day of its weekly pattern on or after the last
/// decision that changed the run's content (decisions are dated the day they take effect),
/// or the patient's start date, so the same run keeps its UID as `as_of` moves on.
///
/// **SEQUENCE** (`SequencePolicy`): the number of decisions up to `as_of` that could change
/// the event, plus the days from the surgery date to `as_of`. It never decreases as `as_of`
/// advances, and grows each day because the export window, and with it the event's last
/// occurrence, moves each day. Reconciling with an earlier file adjusts it (see
/// `CalendarExporter`).
struct EventPlanner {
    let request: CalendarRequest

    var plan: Plan { request.plan }
    var asOf: LocalDate { plan.asOf }

    func events() -> [EventSpec] {
        var specs = sessionEvents()
        if let checkIn = checkInEvent() { specs.append(checkIn) }
        if let halt = haltEvent() { specs.append(halt) }
        return specs
    }

    // MARK: Sessions

    private struct Content: Hashable {
        var stage: String
        var exercises: [PlannedExercise]
    }

    private func sessionEvents() -> [EventSpec] {
        // Runs are few (a handful per time of day): a search from the latest run is
        // cheaper than hashing every session's exercises. The exporter sorts the events.
        var runs: [(time: LocalTime, content: Content, sessions: [PlannedSession])] = []
        for session in plan.sessions {
            let content = Content(stage: session.stage, exercises: session.exercises)
            if let i = runs.lastIndex(where: { $0.time == session.slot.time && $0.content == content }) {
                runs[i].sessions.append(session)
            } else {
                runs.append((session.slot.time, content, [session]))
            }
        }
        var specs: [EventSpec] = []
        for (time, content, sessions) in runs {
            let dates = Array(Set(sessions.map(\.slot.date))).sorted()
            guard let first = dates.first, let sample = sessions.first else { continue }
            let changes = plan.decisions.filter { $0.date <= asOf && startsRun($0, content, session: sample.index) }
            // A decision is dated the day it takes effect, and a clearance acts from its own
            // minute: the run's content begins with the first of its sessions from then on.
            let eraStart = changes.map { d in d.time.map { time < $0 } == true ? d.date + 1 : d.date }
                .reduce(request.patient.startDate, max)
            // The run's weekly pattern from the stage, not only the weekdays this window
            // shows: a one-day window must not make a daily run look weekly.
            let shown = Set(dates.map(\.weekday))
            let pattern = request.program.stage(id: content.stage)?
                .weekdays(ofSession: sample.index, holding: Set(content.exercises.map(\.prescription))) ?? []
            let uidDate = runStart(first: first, eraStart: eraStart, weekdays: pattern.union(shown), visibleFrom: asOf)
            specs.append(EventSpec(
                uid: "\(plan.patient)-\(compact(time))-\(compact(uidDate))@rehab",
                kind: .session,
                summary: EventText.sessionSummary(content.exercises, library: request.library),
                description: EventText.sessionDescription(
                    index: sample.index, exercises: content.exercises, request: request),
                dates: dates, time: time,
                durationMinutes: EventText.durationMinutes(content.exercises),
                alarmMinutes: request.patient.reminderMinutes ?? 15,
                alarmText: EventText.sessionAlarm(content.exercises, library: request.library),
                historySequence: sequence(changes: changes.count),
                url: request.checkInURL))
        }
        return specs
    }

    /// True when decision `d` may begin a new stretch of sessions with this content in
    /// session `index`: a dose change of one of its exercises, a stage advance, a clearance
    /// after a halt (sessions stopped in between), or the start or end of a flare when the
    /// session holds an exercise a flare pauses. Not a decision about another exercise (it
    /// changes only sessions holding that one), a hold or an escalation (no dose changes),
    /// or a halt (it only ends runs: nothing is scheduled again before the clearance).
    private func startsRun(_ d: Decision, _ content: Content, session index: Int) -> Bool {
        if let exercise = d.exercise {
            return d.action != .hold && d.from != d.to && content.exercises.contains { $0.prescription == exercise }
        }
        switch d.action {
        case .advanceStage, .resume, .progress, .regress: return true
        case .flare:
            return request.program.stage(id: content.stage)?.prescriptions.contains {
                $0.skipInFlare && ($0.sessions?.contains(index) ?? true)
            } ?? true
        case .hold, .escalate, .halt, .approve: return false
        }
    }

    // MARK: Morning check-in

    /// The morning after each session day: how does the leg feel, log the next-morning score.
    private func checkInEvent() -> EventSpec? {
        guard !plan.sessions.isEmpty else { return nil }
        // Only a clearance begins a new stretch of mornings (after a halt there are no
        // sessions, so no mornings, until one); a halt only ends one.
        let changes = plan.decisions.filter { $0.date <= asOf && $0.action == .resume && $0.exercise == nil }
        let eraStart = max(request.patient.startDate + 1, (changes.map(\.date).max() ?? .init(daysSinceEpoch: Int.min / 2)) + 1)
        // As_of's own morning belongs to the day before, which had sessions when it was in the era.
        var days = Set(plan.sessions.map { $0.slot.date + 1 })
        if eraStart <= asOf { days.insert(asOf) }
        let dates = days.sorted()
        guard let first = dates.first else { return nil }
        let earliest = plan.sessions.map(\.slot.time.minutes).min() ?? 480
        let minutes = max(0, min(7 * 60 + 30, earliest - 30))
        guard let time = LocalTime(hour: minutes / 60, minute: minutes % 60) else { return nil }
        // Every morning of the era belongs to the run, whichever mornings the window shows.
        let uidDate = runStart(first: first, eraStart: eraStart, weekdays: Set(Weekday.allCases), visibleFrom: asOf)
        return EventSpec(
            uid: "\(plan.patient)-checkin-\(compact(time))-\(compact(uidDate))@rehab",
            kind: .checkIn,
            summary: "Rehab check-in: log this morning's leg pain",
            description: EventText.checkInDescription(
                restrictions: request.program.restrictions(for: request.patient, from: first, through: dates.last ?? first),
                request: request),
            dates: dates, time: time, durationMinutes: 5,
            alarmMinutes: 0, alarmText: "Log this morning's leg pain (0-10)",
            historySequence: sequence(changes: changes.count),
            url: request.checkInURL)
    }

    // MARK: Halt

    /// One all-day advice event from the halt's date to the end of the export window.
    private func haltEvent() -> EventSpec? {
        guard plan.status == .halted, let halt = plan.halt else { return nil }
        let end = asOf + max(plan.days, 1)
        let halts = plan.decisions.filter { $0.date <= asOf && $0.action == .halt }
        return EventSpec(
            uid: "\(plan.patient)-halt-\(compact(halt.date))@rehab",
            kind: .advice,
            summary: EventText.haltSummary(halt),
            description: EventText.haltDescription(halt, request: request),
            dates: [halt.date], time: nil, durationMinutes: 0,
            spanDays: max(1, end.days(since: halt.date)),
            alarmMinutes: nil, alarmText: "",
            historySequence: sequence(changes: halts.count))
    }

    // MARK: Helpers

    private func sequence(changes: Int) -> Int {
        changes + max(0, asOf.days(since: request.patient.surgeryDate))
    }

    /// The run's first date. A run whose pattern day between `visibleFrom` and its first
    /// date has no occurrence begins at that first date; otherwise it has been running
    /// since its era began, and its first date is the first pattern day of the era.
    private func runStart(first: LocalDate, eraStart: LocalDate, weekdays: Set<Weekday>, visibleFrom: LocalDate) -> LocalDate {
        var d = visibleFrom
        while d < first {
            if weekdays.contains(d.weekday) { return first }
            d = d + 1
        }
        d = min(eraStart, first)
        while d < first, !weekdays.contains(d.weekday) { d = d + 1 }
        return d
    }
}

/// `0800`, `20261109`: the compact forms used in UIDs.
func compact(_ time: LocalTime) -> String { String(time.description.filter(\.isNumber)) }
func compact(_ date: LocalDate) -> String { String(date.description.filter(\.isNumber)) }
