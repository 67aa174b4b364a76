/// What the reports of one day say about one exercise (SPEC.md, "Zones").
///
/// A day is green evidence only with a `during` or `after` report, a `next-morning`
/// report, and every counting report green. A missing report is no evidence.
struct DayEvidence: Sendable {
    /// The worst zone of the counting reports; nil without any scored report.
    var zone: Zone?
    var hasDuringOrAfter = false
    var hasNextMorning = false
    /// A counting report carried the `spreading` flag.
    var spreading = false
    /// The reports that counted, in time order.
    var reports: [PainReport] = []

    var isGreen: Bool { zone == .green && hasDuringOrAfter && hasNextMorning }

    mutating func add(_ report: PainReport, zone reportZone: Zone?) {
        reports.append(report)
        if let reportZone { zone = max(zone ?? reportZone, reportZone) }
        if report.pain != nil {
            if report.when == .nextMorning { hasNextMorning = true } else { hasDuringOrAfter = true }
        }
        if report.flags.contains(.spreading) { spreading = true }
    }
}

/// The reports that are evidence, indexed once by the day they count for.
///
/// Built from the evidence reports only: the caller leaves out reports logged while the
/// plan is halted (including the halting report itself, `HaltTimeline.loggedWhileHalted`).
struct ReportIndex: Sendable {
    struct Entry: Sendable {
        var report: PainReport
        /// The exercise family the report names; nil for a report about every exercise.
        var family: String?
        var zone: Zone?
    }

    private var byDay: [Int: [Entry]] = [:]

    init(reports: [PainReport], library: ExerciseLibrary, rules: PainRules, baseline: Int) {
        for report in reports {
            let family = report.exercise.map { library.familyID(of: $0) ?? $0 }
            let entry = Entry(report: report, family: family, zone: rules.zone(of: report, baseline: baseline))
            byDay[report.day.daysSinceEpoch, default: []].append(entry)
        }
    }

    /// The evidence of `day` for the exercise family `family`. Reports without an exercise
    /// count only when the exercise was scheduled that day.
    func evidence(on day: LocalDate, family: String, scheduled: Bool) -> DayEvidence {
        var evidence = DayEvidence()
        for entry in byDay[day.daysSinceEpoch] ?? [] {
            if let f = entry.family { if f != family { continue } } else if !scheduled { continue }
            evidence.add(entry.report, zone: entry.zone)
        }
        return evidence
    }

    /// The red reports of `day`, whichever exercise they name (a red day for a flare).
    func redReports(on day: LocalDate) -> [PainReport] {
        (byDay[day.daysSinceEpoch] ?? []).filter { $0.zone == .red }.map(\.report)
    }

    /// Every evidence report of `day`.
    func reports(on day: LocalDate) -> [PainReport] {
        (byDay[day.daysSinceEpoch] ?? []).map(\.report)
    }
}
