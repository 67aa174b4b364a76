/// The traffic-light zone of a pain score (SPEC.md, "Zones").
public enum Zone: Int, Sendable, Hashable, Comparable, CaseIterable {
    case green, amber, red

    public static func < (a: Zone, b: Zone) -> Bool { a.rawValue < b.rawValue }
}

extension PainRules {
    /// The zone of a `during` or `after` score: green up to `greenMax`, amber up to
    /// `amberMax`, red above.
    public func zone(ofScore score: Int) -> Zone {
        if score <= greenMax { return .green }
        if score <= amberMax { return .amber }
        return .red
    }

    /// The zone of a `next-morning` score against the patient's resting baseline: less
    /// than `morningAmberAbove` above baseline is green (by default: no higher than
    /// baseline), from `morningAmberAbove` above amber, from `morningRedAbove` above red.
    public func zone(ofMorning score: Int, baseline: Int) -> Zone {
        let above = score - baseline
        if above >= morningRedAbove { return .red }
        if above >= morningAmberAbove { return .amber }
        return .green
    }

    /// The zone of one report, or nil for a report without a score.
    public func zone(of report: PainReport, baseline: Int) -> Zone? {
        guard let pain = report.pain else { return nil }
        return report.when == .nextMorning ? zone(ofMorning: pain, baseline: baseline) : zone(ofScore: pain)
    }
}
