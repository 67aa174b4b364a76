import Foundation
import Testing
@testable import RehabKit

/// The offset tables must give Foundation's answer for every instant, and resolving wall
/// times through them must give what resolving straight through Foundation gives, on
/// ordinary days, daylight-saving days and days a zone changed its standard offset.
@Suite("Zone offset tables")
struct ZoneOffsetsTests {
    /// Zones with half-hour and 45-minute offsets, a 30-minute daylight shift (Lord Howe),
    /// southern summers, a skipped calendar day (Apia, 2011-12-30), standard-offset changes
    /// (Moscow 2011 and 2014, Caracas 2007 and 2016) and no transitions at all.
    static let zones = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Pacific/Chatham",
                        "Asia/Kathmandu", "Pacific/Apia", "Europe/Moscow", "America/Caracas",
                        "Australia/Sydney", "America/Santiago", "Asia/Tokyo", "UTC"]
        .compactMap(TimeZone.init(identifier:))

    /// Years around the transitions named above, and the years the planner works in.
    static let years = [2007, 2011, 2014, 2016, 2026, 2027]

    /// Every 17 minutes through each year (so every UTC day, transition days included, is
    /// hit at many times of day), and a second either side of each transition Foundation
    /// names: the table's offset is Foundation's.
    @Test(arguments: zones)
    func offsetIsFoundationsEverywhere(zone: TimeZone) {
        let table = ZoneOffsets.shared(for: zone)
        #expect(table.isComplete, "\(zone.identifier): the table would pass every question to Foundation")
        var mismatches: [String] = []
        for year in Self.years {
            let start = Self.instant(year, 1, 1)
            var t = start.addingTimeInterval(-86_400)
            let end = Self.instant(year + 1, 1, 1)
            while t < end {
                if table.offset(at: t) != zone.secondsFromGMT(for: t) { mismatches.append("\(t)") }
                t = t.addingTimeInterval(17 * 60)
            }
            var u = start
            while let next = zone.nextDaylightSavingTimeTransition(after: u), next < end {
                for probe in [next.addingTimeInterval(-1), next, next.addingTimeInterval(1)]
                where table.offset(at: probe) != zone.secondsFromGMT(for: probe) {
                    mismatches.append("\(probe)")
                }
                u = next
            }
        }
        // Outside the table's years Foundation answers.
        for probe in [Self.instant(1850, 6, 1), Self.instant(2150, 6, 1)] {
            #expect(table.offset(at: probe) == zone.secondsFromGMT(for: probe))
        }
        #expect(mismatches.isEmpty, "\(zone.identifier): \(mismatches.prefix(5))")
    }

    /// Every wall time at a 10-minute step through each year resolves as the uncached
    /// RFC 5545 reading does (gap times move forward, repeated times take the first).
    @Test(arguments: zones)
    func resolvingMatchesFoundationDirectly(zone: TimeZone) {
        var mismatches: [String] = []
        for year in [2011, 2026] {
            guard let first = LocalDate(year: year, month: 1, day: 1) else { continue }
            for day in 0..<366 {
                for minute in stride(from: 0, to: 1440, by: 10) {
                    let wall = LocalDateTime(date: first + day, time: LocalTime(hour: minute / 60, minute: minute % 60)!)
                    let cached = wall.resolved(in: zone)
                    let direct = Self.resolvedDirectly(wall, in: zone)
                    if cached != direct { mismatches.append("\(wall): \(cached.iso8601) vs \(direct.iso8601)") }
                }
            }
        }
        #expect(mismatches.isEmpty, "\(zone.identifier): \(mismatches.prefix(5))")
    }

    /// One table per zone, shared; the table of a zone with changes lists them.
    @Test func tablesAreSharedAndKnowTheirTransitions() throws {
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        let table = ZoneOffsets.shared(for: berlin)
        #expect(ZoneOffsets.shared(for: berlin) === table)
        // 2026-03-29 01:00 UTC Berlin springs forward; 2026-10-25 01:00 UTC it falls back.
        let spring = Self.instant(2026, 3, 29).addingTimeInterval(3600)
        #expect(table.offset(at: spring.addingTimeInterval(-1)) == 3600)
        #expect(table.offset(at: spring) == 7200)
        let autumn = Self.instant(2026, 10, 25).addingTimeInterval(3600)
        #expect(table.offset(at: autumn.addingTimeInterval(-1)) == 7200)
        #expect(table.offset(at: autumn) == 3600)
    }

    // MARK: Helpers

    /// The RFC 5545 reading with a Foundation call for every offset: the reference.
    static func resolvedDirectly(_ wall: LocalDateTime, in zone: TimeZone) -> ZonedInstant {
        let w = Double(wall.wallMinutes) * 60
        let before = zone.secondsFromGMT(for: Date(timeIntervalSince1970: w - 86_400))
        let after = zone.secondsFromGMT(for: Date(timeIntervalSince1970: w + 86_400))
        let valid = [before, after].filter { zone.secondsFromGMT(for: Date(timeIntervalSince1970: w - Double($0))) == $0 }
        let instant = Date(timeIntervalSince1970: w - Double(valid.max() ?? before))
        let offset = zone.secondsFromGMT(for: instant)
        let minutes = Int(((instant.timeIntervalSince1970 + Double(offset)) / 60).rounded(.down))
        let day = Int((Double(minutes) / 1440).rounded(.down))
        let m = minutes - day * 1440
        let local = LocalDateTime(date: LocalDate(daysSinceEpoch: day), time: LocalTime(hour: m / 60, minute: m % 60)!)
        return ZonedInstant(date: instant, utcOffsetSeconds: offset, local: local)
    }

    static func instant(_ y: Int, _ m: Int, _ d: Int) -> Date {
        Date(timeIntervalSince1970: Double(day(y, m, d)) * 86_400)
    }

    static func day(_ y: Int, _ m: Int, _ d: Int) -> Int {
        LocalDate(year: y, month: m, day: d)?.daysSinceEpoch ?? 0
    }
}
