/// Which sessions a stage has on a day, and which prescriptions go in each.
///
/// Session times are the stage's defaults with the patient's `session_times` replacing
/// them in order; sessions beyond the patient's list keep the defaults, and patient times
/// beyond the stage's sessions are not used. A prescription is in the sessions it lists
/// (1-based; default all) on its weekdays (default all the stage's days).
struct Schedule: Sendable {
    /// One session of a day before it is placed in time: the requested wall time, the
    /// 1-based session index and the prescriptions (indexes into the stage's list) in it.
    struct Slot: Sendable {
        var time: LocalTime
        var index: Int
        var prescriptions: [Int]
    }

    let stage: Stage
    let times: [LocalTime]
    /// The slots of each weekday (in `Weekday.allCases` order): as usual, and in a flare
    /// (prescriptions marked `skipInFlare` left out). Worked out once per stage, since the
    /// replay asks for a day's slots every day of the plan.
    private let usual: [[Slot]]
    private let flare: [[Slot]]

    init(stage: Stage, patientTimes: [LocalTime]?) {
        self.stage = stage
        let own = patientTimes ?? []
        let times = stage.sessionTimes.enumerated().map { i, t in i < own.count ? own[i] : t }
        self.times = times
        usual = Weekday.allCases.map { Self.slots(stage, times, $0, inFlare: false) }
        flare = Weekday.allCases.map { Self.slots(stage, times, $0, inFlare: true) }
    }

    /// The slots of `date` with at least one prescription, in session order; in a flare,
    /// prescriptions the program pauses then are left out.
    func slots(on date: LocalDate, inFlare: Bool) -> [Slot] {
        let day = date.weekday.index
        return inFlare ? flare[day] : usual[day]
    }

    private static func slots(_ stage: Stage, _ times: [LocalTime], _ weekday: Weekday, inFlare: Bool) -> [Slot] {
        guard stage.weekdays.contains(weekday) else { return [] }
        var result: [Slot] = []
        for (i, time) in times.enumerated() {
            let chosen = prescriptions(stage, session: i + 1, on: weekday, inFlare: inFlare)
            if !chosen.isEmpty { result.append(Slot(time: time, index: i + 1, prescriptions: chosen)) }
        }
        return result
    }

    /// The prescriptions (indexes into the stage's list) in session `index` on `weekday`,
    /// for a weekday the stage is scheduled on.
    static func prescriptions(_ stage: Stage, session index: Int, on weekday: Weekday, inFlare: Bool) -> [Int] {
        // Reads the three fields in place: a copy of each whole prescription (its ladder and
        // texts) per question was most of the cost of a schedule.
        stage.prescriptions.indices.filter { p in
            if inFlare && stage.prescriptions[p].skipInFlare { return false }
            if let days = stage.prescriptions[p].weekdays, !days.contains(weekday) { return false }
            if let sessions = stage.prescriptions[p].sessions, !sessions.contains(index) { return false }
            return true
        }
    }
}

extension Stage {
    /// The weekdays on which session `index` (1-based) holds exactly the prescriptions
    /// `prescriptions` (their exercise ids), as usual or during a flare: the weekly pattern
    /// of a run of identical sessions, whichever days a plan's window happens to show.
    public func weekdays(ofSession index: Int, holding prescriptions: Set<String>) -> Set<Weekday> {
        Set(weekdays.filter { day in
            [false, true].contains { inFlare in
                let chosen = Schedule.prescriptions(self, session: index, on: day, inFlare: inFlare)
                return !chosen.isEmpty && Set(chosen.map { self.prescriptions[$0].exercise }) == prescriptions
            }
        })
    }
}
