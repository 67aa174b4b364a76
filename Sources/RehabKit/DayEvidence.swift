/// What the reports of one day say about one exercise (SPEC.md, "Pain rules, version 2").
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

    mutating func add(_ report: PainReport, zone reportZone: Zone?, limits: ZoneLimits, goodNews: Bool) {
        reports.append(report)
        if let reportZone, reportZone > (zone ?? .green) || worst == nil {
            worst = (report, limits)
        }
        if let reportZone { zone = max(zone ?? reportZone, reportZone) }
        if report.pain != nil {
            if report.when == .nextMorning { hasNextMorning = true } else if goodNews { hasDuringOrAfter = true }
        }
        if report.flags.contains(.spreading) { spreading = true }
    }
}

/// The reports that are evidence, indexed once by the day they count for, with each day's
/// usual pain (`UsualPain`).
///
/// Built from the evidence reports only: the caller leaves out reports logged while the
/// plan is halted (including the halting report itself, `HaltTimeline.loggedWhileHalted`).
struct ReportIndex: Sendable {
    struct Entry: Sendable {
        var report: PainReport
        /// The exercise family the report names; nil for a report about every exercise.
        var family: String?
        /// The zone under the program's zones (a red one makes a red day).
        var zone: Zone?
    }

    private var byDay: [Int: [Entry]] = [:]
    private var usualByDay: [Int: Int] = [:]
    private var morning: [Int: [Int]] = [:]
    let patient: Patient
    let rules: PainRules

    init(reports: [PainReport], library: ExerciseLibrary, rules: PainRules, patient: Patient) {
        self.patient = patient
        self.rules = rules
        for report in reports where report.when == .nextMorning {
            if let pain = report.pain { morning[report.day.daysSinceEpoch, default: []].append(pain) }
        }
        for report in reports {
            let day = report.day.daysSinceEpoch
            let usual = usualByDay[day] ?? Self.usual(day, morning, patient.baseline(on: report.day))
            usualByDay[day] = usual
            let family = report.exercise.map { library.familyID(of: $0) ?? $0 }
            let entry = Entry(report: report, family: family, zone: rules.zone(of: report, baseline: usual))
            byDay[day, default: []].append(entry)
        }
    }

    private static func usual(_ day: Int, _ morning: [Int: [Int]], _ baseline: Int) -> Int {
        UsualPain.of(baseline: baseline, morningScores: (1...7).flatMap { morning[day - $0] ?? [] })
    }

    /// The patient's usual pain on `day`.
    func usual(on day: LocalDate) -> Int {
        usualByDay[day.daysSinceEpoch] ?? Self.usual(day.daysSinceEpoch, morning, patient.baseline(on: day))
    }

    /// The evidence of `day` for the exercise family `family`, whose prescription has
    /// `limits` and `ownReport`. Reports without an exercise count only when the exercise
    /// was scheduled that day, are judged by the program's zones, and are good news only
    /// for a prescription that does not ask for its own report (next-morning ones count in
    /// full).
    func evidence(on day: LocalDate, family: String, scheduled: Bool, limits: ZoneLimits, ownReport: Bool) -> DayEvidence {
        var evidence = DayEvidence()
        guard let entries = byDay[day.daysSinceEpoch] else { return evidence }
        let usual = self.usual(on: day)
        for entry in entries {
            if let f = entry.family {
                guard f == family else { continue }
                evidence.add(entry.report, zone: rules.zone(of: entry.report, baseline: usual, limits: limits),
                             limits: limits, goodNews: true)
            } else if scheduled {
                evidence.add(entry.report, zone: entry.zone, limits: rules.limits, goodNews: !ownReport)
            }
        }
        return evidence
    }

    /// The red reports of `day` under the program's zones, whichever exercise they name.
    func redReports(on day: LocalDate) -> [PainReport] {
        (byDay[day.daysSinceEpoch] ?? []).filter { $0.zone == .red }.map(\.report)
    }

    /// The worst zone of `day`'s reports under the program's zones.
    func worstZone(on day: LocalDate) -> Zone? {
        (byDay[day.daysSinceEpoch] ?? []).compactMap(\.zone).max()
    }

    /// Every evidence report of `day`.
    func reports(on day: LocalDate) -> [PainReport] {
        (byDay[day.daysSinceEpoch] ?? []).map(\.report)
    }

    func hasReports(on day: LocalDate) -> Bool { byDay[day.daysSinceEpoch] != nil }
}
