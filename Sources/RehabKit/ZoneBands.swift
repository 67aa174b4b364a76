/// The scores of each pain zone for one patient, as the planner judges a during/after
/// score: what patient text says ("0-4 is fine, 5: keep to this dose, 6 or more: stop")
/// must be the planner's own zones, relative to the patient's usual pain.
///
/// Derived by asking `PainRules.zone(ofScore:usual:limits:)` about every score 0-10, so
/// the words can never drift from the rule.
public struct ZoneBands: Hashable, Sendable {
    /// The highest green score.
    public var greenUpTo: Int
    /// The amber scores; nil when this patient has no amber zone for these limits.
    public var amber: ClosedRange<Int>?
    /// The first red score (at most 9: 9 and 10 are always red).
    public var redFrom: Int

    public init(usual: Int, limits: ZoneLimits) {
        let zones = (0...10).map { PainRules.zone(ofScore: $0, usual: usual, limits: limits) }
        let green = zones.lastIndex(of: .green) ?? 0
        let red = zones.firstIndex(of: .red) ?? 9
        greenUpTo = green
        redFrom = red
        amber = red - green > 1 ? (green + 1)...(red - 1) : nil
    }
}
