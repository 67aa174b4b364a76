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
            let index = i + 1
            var chosen: [Int] = []
            for (p, rx) in stage.prescriptions.enumerated() where !(inFlare && rx.skipInFlare) {
                if let days = rx.weekdays, !days.contains(weekday) { continue }
                if let sessions = rx.sessions, !sessions.contains(index) { continue }
                chosen.append(p)
            }
            if !chosen.isEmpty { result.append(Slot(time: time, index: index, prescriptions: chosen)) }
        }
        return result
    }
}
