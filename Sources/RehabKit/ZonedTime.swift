import Foundation

/// Turning the patient's wall-clock times into instants, given a `TimeZone` the caller
/// resolved. RehabKit never looks a zone up itself.
///
/// RFC 5545 (3.3.5) rules apply on daylight-saving days: a wall time in a spring-forward
/// gap moves forward by the gap's length (02:30 in Berlin on the last Sunday of March is
/// 03:30 CEST); a repeated wall time in autumn means its first occurrence.
public struct ZonedInstant: Hashable, Sendable {
    /// The instant.
    public let date: Date
    /// Seconds east of UTC in force at that instant.
    public let utcOffsetSeconds: Int
    /// The wall time actually shown at the instant (differs from the requested one in a gap).
    public let local: LocalDateTime

    /// ISO 8601 with offset: `2026-11-23T08:00:00+01:00`.
    public var iso8601: String {
        let sign = utcOffsetSeconds < 0 ? "-" : "+"
        let off = abs(utcOffsetSeconds)
        return "\(local.date)T\(local.time):00\(sign)\(pad(off / 3600, 2)):\(pad((off % 3600) / 60, 2))"
    }
}

extension LocalDateTime {
    /// The instant this wall time names in `zone`, by RFC 5545's reading.
    public func resolved(in zone: TimeZone) -> ZonedInstant {
        resolved(in: ZoneOffsets.shared(for: zone))
    }

    /// The same through a zone's offset table (what hot loops hold on to).
    public func resolved(in offsets: ZoneOffsets) -> ZonedInstant {
        let wallSeconds = Double(wallMinutes) * 60
        // The offsets in force a day either side bracket any transition on this day.
        let before = offsets.offset(atSeconds: wallSeconds - 86_400)
        let after = offsets.offset(atSeconds: wallSeconds + 86_400)
        func valid(_ offset: Int) -> Bool { offsets.offset(atSeconds: wallSeconds - Double(offset)) == offset }
        // In a gap no offset is valid: reading with the offset before it lands after the gap.
        // When both are valid (a repeated hour) the larger offset gives the earlier instant.
        let chosen: Int
        if before == after {
            chosen = before  // valid or not, the reading is the same
        } else {
            switch (valid(before), valid(after)) {
            case (true, true): chosen = max(before, after)
            case (true, false): chosen = before
            case (false, true): chosen = after
            case (false, false): chosen = before
            }
        }
        let instant = Date(timeIntervalSince1970: wallSeconds - Double(chosen))
        let actual = offsets.offset(atSeconds: instant.timeIntervalSince1970)
        // The usual case: the wall time exists once and is shown as asked.
        let local = actual == chosen ? self : LocalDateTime.at(instant, in: offsets)
        return ZonedInstant(date: instant, utcOffsetSeconds: actual, local: local)
    }

    /// The wall time shown in `zone` at `instant` (minute precision, rounded down).
    public static func at(_ instant: Date, in zone: TimeZone) -> LocalDateTime {
        at(instant, in: ZoneOffsets.shared(for: zone))
    }

    /// The same through a zone's offset table.
    public static func at(_ instant: Date, in offsets: ZoneOffsets) -> LocalDateTime {
        let offset = offsets.offset(at: instant)
        let minutes = Int(((instant.timeIntervalSince1970 + Double(offset)) / 60).rounded(.down))
        let day = Int((Double(minutes) / 1440).rounded(.down))
        let m = minutes - day * 1440
        return LocalDateTime(date: LocalDate(daysSinceEpoch: day), time: LocalTime(hour: m / 60, minute: m % 60)!)
    }
}

extension LocalDate {
    /// The instant of this date's local midnight (or the first wall time after a gap).
    public func startInstant(in zone: TimeZone) -> ZonedInstant {
        LocalDateTime(date: self, time: LocalTime(hour: 0, minute: 0)!).resolved(in: zone)
    }
}
