/// What the reports of one day say about one exercise (the pain rules, version 2: README, "How doses move").
///
/// A day is green evidence only with a `during` or `after` report that counts as good news
/// for the exercise, a `next-morning` report, and every counting report green. A missing
/// report is no evidence.
struct DayEvidence: Sendable {
    /// The worst zone of the counting reports; nil without any scored report.
    var zone: Zone?
    /// A during/after report that counts as good news (for an `own_report` prescription,
    /// only one naming it).
    var hasDuringOrAfter = false
    var hasNextMorning = false
    /// A counting report carried the `spreading` flag.
    var spreading = false
    /// The reports that counted, in time order.
    var reports: [PainReport] = []
    /// The report that set `zone`, with the zones it was judged by (for the `because` text).
    var worst: (report: PainReport, limits: ZoneLimits)?

    var isGreen: Bool { zone == .green && hasDuringOrAfter && hasNextMorning }
}

/// The reports that are evidence, indexed once by the day they count for, with each day's
/// usual pain (`UsualPain`).
///
/// Built from the evidence reports only: the caller leaves out reports logged while the
/// plan is halted (including the halting report itself, `HaltTimeline.loggedWhileHalted`).
///
/// The replay asks about every day for every exercise, so what a day says as a whole (its
/// usual pain, worst zone, red reports, spreading) is worked out here once, and the days
/// are kept in one sorted array (found by binary search) rather than in dictionaries.
struct ReportIndex: Sendable {
    struct Entry: Sendable {
        var report: PainReport
        /// The exercise family the report names; nil for a report about every exercise.
        var family: String?
        /// The zone under the program's zones (a red one makes a red day).
        var zone: Zone?
    }

    /// One day with evidence reports, and what they say together.
    struct Day: Sendable {
        var day: Int
        /// Its entries in `entries`, in log order.
        var range: Range<Int>
        var usual: Int
        /// The worst zone of its reports under the program's zones.
        var worst: Zone?
        var hasRed: Bool
        var spreading: Bool
        /// Every report of the day, in log order (shared by every exercise they all count for).
        var reports: [PainReport]
    }

    /// Every entry, by the day it counts for, in log order within a day.
    private var entries: [Entry] = []
    /// The days with entries, ascending.
    private var days: [Day] = []
    /// Next-morning scores by the day they count for, ascending (ties in log order).
    private var mornings: [(day: Int, pain: Int)] = []
    let patient: Patient
    let rules: PainRules

    init(reports: [PainReport], library: ExerciseLibrary, rules: PainRules, patient: Patient) {
        self.patient = patient
        self.rules = rules
        // Reports come in time order, so their days are almost in order (a next-morning
        // report counts for the day before): a stable sort by day keeps log order in a day.
        // Each report's day is read once: comparing reports by it would copy both each time.
        let dayOf = reports.map(\.day.daysSinceEpoch)
        var order = Array(reports.indices)
        if dayOf.indices.dropFirst().contains(where: { dayOf[$0] < dayOf[$0 - 1] }) {
            order.sort { (dayOf[$0], $0) < (dayOf[$1], $1) }
        }
        for i in order where reports[i].when == .nextMorning {
            if let pain = reports[i].pain { mornings.append((dayOf[i], pain)) }
        }
        entries.reserveCapacity(reports.count)
        var k = 0
        while k < order.count {
            let day = dayOf[order[k]]
            let date = LocalDate(daysSinceEpoch: day)
            let usual = Self.usual(day, mornings, patient.baseline(on: date))
            let first = entries.count
            var worst: Zone?
            var spreading = false
            var dayReports: [PainReport] = []
            while k < order.count, dayOf[order[k]] == day {
                let report = reports[order[k]]
                let family = report.exercise.map { library.familyID(of: $0) ?? $0 }
                let zone = rules.zone(of: report, baseline: usual)
                if let zone { worst = max(worst ?? zone, zone) }
                if report.flags.contains(.spreading) { spreading = true }
                entries.append(Entry(report: report, family: family, zone: zone))
                dayReports.append(report)
                k += 1
            }
            days.append(Day(day: day, range: first..<entries.count, usual: usual, worst: worst, hasRed: worst == .red,
                            spreading: spreading, reports: dayReports))
        }
    }

    /// The usual pain on `day`: the morning scores of the 7 days before it (`mornings` is
    /// sorted by day, so they are one run of it).
    private static func usual(_ day: Int, _ mornings: [(day: Int, pain: Int)], _ baseline: Int) -> Int {
        var low = 0
        var high = mornings.count
        while low < high {
            let middle = (low + high) / 2
            if mornings[middle].day < day - 7 { low = middle + 1 } else { high = middle }
        }
        var scores: [Int] = []
        while low < mornings.count, mornings[low].day < day {
            scores.append(mornings[low].pain)
            low += 1
        }
        return UsualPain.of(baseline: baseline, morningScores: scores)
    }

    /// The position of `day` in `days`, if it has reports.
    private func find(_ day: Int) -> Int? {
        var low = 0
        var high = days.count
        while low < high {
            let middle = (low + high) / 2
            if days[middle].day < day { low = middle + 1 } else { high = middle }
        }
        return low < days.count && days[low].day == day ? low : nil
    }

    /// What `day`'s reports say together; nil for a day without any.
    func day(_ day: LocalDate) -> Day? { find(day.daysSinceEpoch).map { days[$0] } }

    /// The patient's usual pain on `day`.
    func usual(on day: LocalDate) -> Int {
        if let i = find(day.daysSinceEpoch) { return days[i].usual }
        return Self.usual(day.daysSinceEpoch, mornings, patient.baseline(on: day))
    }

    /// The evidence of `day` (its summary from `day(_:)`) for the exercise family `family`,
    /// whose prescription has `limits` and `ownReport`. Reports without an exercise count
    /// only when the exercise was scheduled that day, are judged by the program's zones, and
    /// are good news only for a prescription that does not ask for its own report
    /// (next-morning ones count in full).
    func evidence(on day: Day?, family: String, scheduled: Bool, limits: ZoneLimits, ownReport: Bool) -> DayEvidence {
        var evidence = DayEvidence()
        guard let day else { return evidence }
        var worst: (entry: Int, limits: ZoneLimits)?
        var all = true
        // Fields are read in place (`entries[k].…`): a copy of each entry per exercise and
        // day would retain and release its strings every time.
        for k in day.range {
            let zone: Zone?
            let judged: ZoneLimits
            let goodNews: Bool
            if entries[k].family != nil {
                guard entries[k].family == family else { all = false; continue }
                judged = limits
                zone = limits == rules.limits ? entries[k].zone
                    : rules.zone(of: entries[k].report, baseline: day.usual, limits: limits)
                goodNews = true
            } else {
                guard scheduled else { all = false; continue }
                judged = rules.limits
                zone = entries[k].zone
                goodNews = !ownReport
            }
            if let zone {
                if zone > (evidence.zone ?? .green) || worst == nil { worst = (k, judged) }
                evidence.zone = max(evidence.zone ?? zone, zone)
            }
            if entries[k].report.pain != nil {
                if entries[k].report.when == .nextMorning { evidence.hasNextMorning = true } else if goodNews { evidence.hasDuringOrAfter = true }
            }
            if entries[k].report.flags.contains(.spreading) { evidence.spreading = true }
        }
        if all {
            evidence.reports = day.reports  // every report counted: share the day's list
        } else {
            for k in day.range where entries[k].family.map({ $0 == family }) ?? scheduled {
                evidence.reports.append(entries[k].report)
            }
        }
        if let worst { evidence.worst = (entries[worst.entry].report, worst.limits) }
        return evidence
    }

    /// The red reports of `day` under the program's zones, whichever exercise they name.
    func redReports(on day: LocalDate) -> [PainReport] {
        guard let i = find(day.daysSinceEpoch), days[i].hasRed else { return [] }
        return entries[days[i].range].filter { $0.zone == .red }.map(\.report)
    }

    /// The worst zone of `day`'s reports under the program's zones.
    func worstZone(on day: LocalDate) -> Zone? {
        find(day.daysSinceEpoch).flatMap { days[$0].worst }
    }

    /// Every evidence report of `day`.
    func reports(on day: LocalDate) -> [PainReport] {
        find(day.daysSinceEpoch).map { days[$0].reports } ?? []
    }

    func hasReports(on day: LocalDate) -> Bool { find(day.daysSinceEpoch) != nil }
}
