import RehabKit

/// A patient's pain zones as spans they read ("0-3", "4-5", "6-10"): the program's limits
/// relative to the usual pain the plan judges by (`ZoneBands`). One place for the check-in
/// page and the handout.
struct ZoneWords: Equatable {
    var green: String
    /// nil when this patient has no amber zone.
    var amber: String?
    var red: String

    /// The zones of `limits` (the program's, or one prescription's tighter ones) for a
    /// patient whose usual pain is `usual`.
    init(_ limits: ZoneLimits, usual: Int) {
        func span(_ low: Int, _ high: Int) -> String { low == high ? "\(low)" : "\(low)-\(high)" }
        let bands = ZoneBands(usual: usual, limits: limits)
        green = span(0, bands.greenUpTo)
        amber = bands.amber.map { span($0.lowerBound, $0.upperBound) }
        red = span(bands.redFrom, 10)
    }
}
