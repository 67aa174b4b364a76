/// The traffic-light zone of a pain score (the pain rules, version 2 - README, "How doses move": zones relative
/// to the patient's usual pain).
public enum Zone: Int, Sendable, Hashable, Comparable, CaseIterable {
    case green, amber, red

    public static func < (a: Zone, b: Zone) -> Bool { a.rawValue < b.rawValue }
}

extension PainRules {
    /// The zone of a `during` or `after` score for a patient whose usual pain is `usual`,
    /// under `limits` (the program's or a prescription's tighter ones):
    /// red from 9 whatever the usual pain; green up to `max(greenMax, usual)`; amber up to
    /// `max(amberMax, usual + 1)`, except that zones without amber (`amberMax == greenMax`)
    /// have one only once `usual >= greenMax`, and then it is exactly `usual + 1`; red above.
    public static func zone(ofScore score: Int, usual: Int, limits: ZoneLimits) -> Zone {
        if score >= 9 { return .red }
        if score <= max(limits.greenMax, usual) { return .green }
        let noAmber = limits.amberMax <= limits.greenMax
        if noAmber && usual < limits.greenMax { return .red }
        return score <= max(limits.amberMax, usual + 1) ? .amber : .red
    }

    /// The zone of a `during` or `after` score under the program's zones.
    public func zone(ofScore score: Int, usual: Int = 0) -> Zone {
        Self.zone(ofScore: score, usual: usual, limits: limits)
    }

    /// The zone of a `next-morning` score against the usual pain: no higher than usual is
    /// green (by default), `morningAmberAbove` above amber, `morningRedAbove` above or a
    /// score of 9-10 red.
    public func zone(ofMorning score: Int, baseline usual: Int) -> Zone {
        if score >= 9 { return .red }
        let above = score - usual
        if above >= morningRedAbove { return .red }
        if above >= morningAmberAbove { return .amber }
        return .green
    }

    /// The zone of one report for a patient whose usual pain is `usual`; nil for a report
    /// without a score. `limits` judges during/after scores (the program's by default).
    public func zone(of report: PainReport, baseline usual: Int, limits: ZoneLimits? = nil) -> Zone? {
        guard let pain = report.pain else { return nil }
        if report.when == .nextMorning { return zone(ofMorning: pain, baseline: usual) }
        return Self.zone(ofScore: pain, usual: usual, limits: limits ?? self.limits)
    }

    /// The first score of the red zone for a during/after report.
    public static func redFrom(usual: Int, limits: ZoneLimits) -> Int {
        (0...9).first { zone(ofScore: $0, usual: usual, limits: limits) == .red } ?? 9
    }

    /// The highest green score for a during/after report.
    public static func greenUpTo(usual: Int, limits: ZoneLimits) -> Int { min(8, max(limits.greenMax, usual)) }
}

/// The patient's usual pain on a day: the lower of the `baseline_pain` in force
/// and, once 3 or more next-morning scores exist for the 7 days before it, their median
/// (the lower middle one for an even count).
public enum UsualPain {
    /// `morningScores` are the next-morning scores whose day lies in the 7 days before.
    public static func of(baseline: Int, morningScores: [Int]) -> Int {
        guard morningScores.count >= 3 else { return baseline }
        let sorted = morningScores.sorted()
        return min(baseline, sorted[(sorted.count - 1) / 2])
    }
}
