import RehabKit
import Yams

/// Reads a program's `pain_rules:` numbers, each overriding the default (docs/program-format.md).
enum PainRulesReader {
    static let keys = ["green_max", "amber_max", "morning_amber_above", "morning_red_above", "days_at_dose",
                       "progress_green_days", "quiet_days", "min_days_between_changes", "flare_red_days", "flare_window",
                       "flare_exit_green_days", "escalate_after_days"]

    static func read(_ node: Node?, _ c: inout Checker) -> PainRules? {
        guard let node, let f = c.fields(node, "'pain_rules'", required: [], optional: keys) else { return nil }
        var rules = PainRules()
        var ok = true
        func number(_ key: String, _ range: ClosedRange<Int>, _ c: inout Checker) -> Int? {
            guard let n = f[key] else { return nil }
            guard let value = c.int(n, "'\(key)'") else { ok = false; return nil }
            guard range.contains(value) else {
                ok = false
                c.error("range", "'\(key)' is \(value); it must be between \(range.lowerBound) and \(range.upperBound)", at: n)
                return nil
            }
            return value
        }
        if let v = number("green_max", 0...9, &c) { rules.greenMax = v }
        if let v = number("amber_max", 0...9, &c) { rules.amberMax = v }
        if let v = number("morning_amber_above", 0...10, &c) { rules.morningAmberAbove = v }
        if let v = number("morning_red_above", 1...10, &c) { rules.morningRedAbove = v }
        if f.has("days_at_dose"), f.has("progress_green_days") {
            ok = false
            c.error("duplicate-key", "'progress_green_days' is version 1's name for 'days_at_dose'; keep only 'days_at_dose'",
                    at: f.keyNode("progress_green_days"))
        }
        if let v = number("progress_green_days", 1...28, &c) { rules.daysAtDose = v }
        if let v = number("days_at_dose", 1...28, &c) { rules.daysAtDose = v }
        if let v = number("quiet_days", 1...28, &c) { rules.quietDays = v }
        if let v = number("min_days_between_changes", 0...28, &c) { rules.minDaysBetweenChanges = v }
        if let v = number("flare_red_days", 1...28, &c) { rules.flareRedDays = v }
        if let v = number("flare_window", 1...28, &c) { rules.flareWindow = v }
        if let v = number("flare_exit_green_days", 1...28, &c) { rules.flareExitGreenDays = v }
        if let v = number("escalate_after_days", 1...90, &c) { rules.escalateAfterDays = v }
        guard ok else { return nil }
        if rules.amberMax <= rules.greenMax {
            c.error("range", "'amber_max' (\(rules.amberMax)) must be above 'green_max' (\(rules.greenMax))",
                    at: f["amber_max"] ?? f["green_max"] ?? node)
            return nil
        }
        if rules.morningRedAbove <= rules.morningAmberAbove {
            c.error("range", "'morning_red_above' (\(rules.morningRedAbove)) must be above 'morning_amber_above' "
                    + "(\(rules.morningAmberAbove))", at: f["morning_red_above"] ?? f["morning_amber_above"] ?? node)
            return nil
        }
        if rules.flareRedDays > rules.flareWindow {
            c.error("range", "'flare_red_days' (\(rules.flareRedDays)) cannot exceed 'flare_window' (\(rules.flareWindow))",
                    at: f["flare_red_days"] ?? f["flare_window"] ?? node)
            return nil
        }
        return rules
    }
}
