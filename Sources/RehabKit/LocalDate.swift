/// A calendar date with no time zone, as the patient reads it on a wall calendar.
///
/// Stored as days since 1970-01-01 (proleptic Gregorian), so arithmetic is exact:
/// `LocalDate(year: 2026, month: 11, day: 2)! + 7` is 2026-11-09.
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let daysSinceEpoch: Int

    public init(daysSinceEpoch: Int) { self.daysSinceEpoch = daysSinceEpoch }

    /// A date from its parts; nil when the day does not exist (2026-02-30).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= LocalDate.daysIn(month: month, year: year) else { return nil }
        // Days from civil (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        daysSinceEpoch = era * 146097 + doe - 719468
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init?(iso text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let y = Self.digits(bytes[0..<4]), let m = Self.digits(bytes[5..<7]),
              let d = Self.digits(bytes[8..<10]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public var components: (year: Int, month: Int, day: Int) {
        let z = daysSinceEpoch + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    public var weekday: Weekday {
        // 1970-01-01 was a Thursday.
        let index = ((daysSinceEpoch % 7) + 7 + 3) % 7  // 0 = Monday
        return Weekday.allCases[index]
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        let c = components
        guard (0...9999).contains(c.year) else { return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))" }
        // Laid out by hand (dates go into every decision's text): a small string, no arrays.
        return String(unsafeUninitializedCapacity: 10) { out in
            func digit(_ value: Int) -> UInt8 { UInt8(48 + value) }
            (out[0], out[1], out[2], out[3]) = (digit(c.year / 1000), digit(c.year / 100 % 10), digit(c.year / 10 % 10), digit(c.year % 10))
            (out[4], out[5], out[6]) = (UInt8(ascii: "-"), digit(c.month / 10), digit(c.month % 10))
            (out[7], out[8], out[9]) = (UInt8(ascii: "-"), digit(c.day / 10), digit(c.day % 10))
            return 10
        }
    }

    public static func + (date: LocalDate, days: Int) -> LocalDate {
        LocalDate(daysSinceEpoch: date.daysSinceEpoch + days)
    }

    public static func - (date: LocalDate, days: Int) -> LocalDate {
        LocalDate(daysSinceEpoch: date.daysSinceEpoch - days)
    }

    /// Whole days from `other` to `self`.
    public func days(since other: LocalDate) -> Int { daysSinceEpoch - other.daysSinceEpoch }

    public static func < (a: LocalDate, b: LocalDate) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for b in bytes {
            guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(b - UInt8(ascii: "0"))
        }
        return value
    }
}

/// A time of day, minute precision, no zone. Parses `HH:MM` (00:00-23:59).
public struct LocalTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Minutes since midnight, 0..<1440.
    public let minutes: Int

    public init?(hour: Int, minute: Int) {
        guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        minutes = hour * 60 + minute
    }

    /// Parses exactly `HH:MM`.
    public init?(hhmm text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == 5, bytes[2] == UInt8(ascii: ":"),
              let h = LocalDate.digits(bytes[0..<2]), let m = LocalDate.digits(bytes[3..<5]) else { return nil }
        self.init(hour: h, minute: m)
    }

    public var hour: Int { minutes / 60 }
    public var minute: Int { minutes % 60 }
    public var description: String {
        String(unsafeUninitializedCapacity: 5) { out in
            (out[0], out[1], out[2]) = (UInt8(48 + hour / 10), UInt8(48 + hour % 10), UInt8(ascii: ":"))
            (out[3], out[4]) = (UInt8(48 + minute / 10), UInt8(48 + minute % 10))
            return 5
        }
    }
    public static func < (a: LocalTime, b: LocalTime) -> Bool { a.minutes < b.minutes }
}

/// A wall-clock moment in the patient's zone: date plus time of day.
public struct LocalDateTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var date: LocalDate
    public var time: LocalTime

    public init(date: LocalDate, time: LocalTime) {
        self.date = date
        self.time = time
    }

    /// Parses `YYYY-MM-DD` (midnight) or `YYYY-MM-DDTHH:MM`.
    public init?(iso text: some StringProtocol) {
        let s = String(text)
        if s.utf8.count == 10, let d = LocalDate(iso: s) {
            self.init(date: d, time: LocalTime(hour: 0, minute: 0)!)
            return
        }
        let parts = s.split(separator: "T", omittingEmptySubsequences: false)
        guard parts.count == 2, let d = LocalDate(iso: parts[0]), let t = LocalTime(hhmm: parts[1]) else { return nil }
        self.init(date: d, time: t)
    }

    /// True when `text` has the digits and separators of `YYYY-MM-DD` or
    /// `YYYY-MM-DDTHH:MM`, whether or not the date exists: lets a caller tell a malformed
    /// value (a usage error) from an impossible one (2026-02-30, invalid input).
    public static func looksLikeDate(_ text: String) -> Bool {
        let pattern = Array("dddd-dd-ddTdd:dd".utf8)
        let bytes = Array(text.utf8)
        guard bytes.count == 10 || bytes.count == 16 else { return false }
        return zip(bytes, pattern).allSatisfy { b, p in
            p == UInt8(ascii: "d") ? (b >= 48 && b <= 57) : b == p
        }
    }

    /// Minutes since 1970-01-01T00:00 on the wall clock (not an instant).
    public var wallMinutes: Int { date.daysSinceEpoch * 1440 + time.minutes }

    /// `YYYY-MM-DDTHH:MM`.
    public var description: String { "\(date)T\(time)" }

    public static func < (a: LocalDateTime, b: LocalDateTime) -> Bool { a.wallMinutes < b.wallMinutes }
}

public enum Weekday: String, CaseIterable, Sendable, Hashable, Comparable {
    case mon, tue, wed, thu, fri, sat, sun

    public static func < (a: Weekday, b: Weekday) -> Bool { a.index < b.index }

    /// 0 for Monday through 6 for Sunday (the position in `allCases`).
    public var index: Int {
        switch self {
        case .mon: 0
        case .tue: 1
        case .wed: 2
        case .thu: 3
        case .fri: 4
        case .sat: 5
        case .sun: 6
        }
    }

    /// The RFC 5545 `BYDAY` code: MO, TU, ...
    public var icalCode: String { String(rawValue.prefix(2)).uppercased() }
}

@inline(__always)
func pad(_ value: Int, _ width: Int) -> String {
    let s = String(value)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}
