import RehabKit

/// One VEVENT to write, as plain Swift values (no libical here).
///
/// Timed events recur on `dates` at the wall time `time` in the patient's zone (the
/// scheduled time, before any daylight-saving adjustment: RFC 5545 moves a time in a
/// spring-forward gap forward by the gap, exactly as the planner did). All-day events
/// span `dates.first ..< dates.first + spanDays`.
struct EventSpec: Equatable {
    enum Kind: String {
        case session = "REHAB-SESSION"
        case checkIn = "REHAB-CHECKIN"
        case advice = "REHAB-ADVICE"
    }

    var uid: String
    var kind: Kind
    var summary: String
    var description: String
    /// Sorted, distinct; never empty.
    var dates: [LocalDate]
    /// Wall time of each occurrence; nil for an all-day event.
    var time: LocalTime?
    var durationMinutes: Int
    /// All-day events only: days covered from the first date.
    var spanDays: Int = 1
    /// Minutes before the start; nil for no alarm.
    var alarmMinutes: Int?
    var alarmText: String
    /// SEQUENCE as derived from the plan history and as_of (see `SequencePolicy`).
    var historySequence: Int
    /// A link for the event's URL property (the check-in page, on every event that asks for
    /// a score: sessions and morning check-ins of a linked patient), or nil.
    var url: String? = nil

    var firstDate: LocalDate { dates[0] }
}

/// How a sorted list of dates becomes RRULE and RDATE values.
struct Recurrence: Equatable {
    /// e.g. `FREQ=DAILY;COUNT=5`; nil for a single date or when everything is in `rdates`.
    var rrule: String?
    /// Extra dates after those the rule produces.
    var rdates: [LocalDate]

    /// Daily when the dates are consecutive; weekly by weekday when they are every listed
    /// weekday between first and last; otherwise a daily rule for the consecutive start
    /// and RDATEs for the rest. DTSTART is always the first date, a real occurrence.
    static func encode(_ dates: [LocalDate]) -> Recurrence {
        guard dates.count > 1 else { return Recurrence(rrule: nil, rdates: []) }
        let first = dates[0], last = dates[dates.count - 1]
        if last.days(since: first) == dates.count - 1 {
            return Recurrence(rrule: "FREQ=DAILY;COUNT=\(dates.count)", rdates: [])
        }
        let weekdays = Set(dates.map(\.weekday))
        let expected = (0...last.days(since: first)).map { first + $0 }.filter { weekdays.contains($0.weekday) }
        if expected == dates {
            let byday = weekdays.sorted().map(\.icalCode).joined(separator: ",")
            return Recurrence(rrule: "FREQ=WEEKLY;COUNT=\(dates.count);BYDAY=\(byday)", rdates: [])
        }
        var prefix = 1
        while prefix < dates.count, dates[prefix].days(since: dates[prefix - 1]) == 1 { prefix += 1 }
        if prefix >= 2 {
            return Recurrence(rrule: "FREQ=DAILY;COUNT=\(prefix)", rdates: Array(dates[prefix...]))
        }
        return Recurrence(rrule: nil, rdates: Array(dates.dropFirst()))
    }
}
