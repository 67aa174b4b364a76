/// The plain words of the planner's `because` texts: which score, which comparison, which
/// day ("next-morning pain 4/10 on 2026-12-01 is 2 above your usual 2").
enum Words {
    static func days(_ recent: [PlannerReplay.RecentDay]) -> String {
        recent.map { "\($0.day)" }.joined(separator: ", ")
    }

    static func count(_ n: Int, _ noun: String) -> String { n == 1 ? "1 \(noun)" : "\(n) \(noun)s" }

    static func when(_ report: PainReport) -> String {
        switch report.when {
        case .during: "during exercise"
        case .after: "after exercise"
        case .nextMorning: "the next morning"
        }
    }

    /// The score that made the day red, compared with the line it crossed.
    static func red(_ ev: DayEvidence, day d: LocalDate, usual: Int, rules: PainRules) -> String {
        guard let (report, limits) = ev.worst, let pain = report.pain else { return "Pain was in the red zone on \(d)" }
        if pain >= 9 { return "Pain \(pain)/10 \(when(report)) on \(d) is 9 or more, red whatever your usual pain" }
        if report.when == .nextMorning {
            return "Next-morning pain \(pain)/10 on \(d) is \(pain - usual) above your usual \(usual) (red from \(rules.morningRedAbove) above)"
        }
        let from = PainRules.redFrom(usual: usual, limits: limits)
        let whose = limits == rules.limits ? "" : " for this exercise"
        let why = usual > limits.greenMax ? "your usual pain is \(usual)" : "the red zone\(whose) starts at \(from)"
        return "Pain \(pain)/10 \(when(report)) on \(d) is red: \(from) or more is red\(whose) (\(why))"
    }

    /// The score that made the day amber.
    static func amber(_ ev: DayEvidence, day d: LocalDate, usual: Int, rules: PainRules) -> String {
        guard let (report, limits) = ev.worst, let pain = report.pain else { return "Pain was in the amber zone on \(d)" }
        if report.when == .nextMorning {
            return "Next-morning pain \(pain)/10 on \(d) is \(pain - usual) above your usual \(usual)"
        }
        let green = PainRules.greenUpTo(usual: usual, limits: limits)
        let whose = limits == rules.limits ? "" : " for this exercise"
        return "Pain \(pain)/10 \(when(report)) on \(d) is amber: above \(green), the green zone\(whose) when your usual pain is \(usual)"
    }

    static func missing(_ d: LocalDate, ownReport: Bool, hasAny: Bool) -> String {
        if ownReport {
            return "No complete report for this exercise on \(d) (a during or after score naming it, and a next-morning score, are needed): staying at this dose. A missing report is never taken as good news."
        }
        return "Reports for \(d) are incomplete (a during or after score and a next-morning score are needed): staying at this dose. A missing report is never taken as good news."
    }
}
