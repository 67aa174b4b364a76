import RehabKit

/// The pain zones in the program's own numbers, as spans a patient reads ("0-3", "4-5",
/// "6-10"). One place for the check-in page and the handout.
struct ZoneWords: Equatable {
    var green: String
    /// nil when the program has no amber zone.
    var amber: String?
    var red: String

    init(_ rules: PainRules) {
        func span(_ low: Int, _ high: Int) -> String { low == high ? "\(low)" : "\(low)-\(high)" }
        green = span(0, rules.greenMax)
        amber = rules.amberMax > rules.greenMax ? span(rules.greenMax + 1, rules.amberMax) : nil
        red = span(rules.amberMax + 1, 10)
    }
}
