import Foundation
import Testing
@testable import RehabKit

/// LocalDate, LocalTime and `resolved(in:)`, and the planner's session instants around
/// daylight-saving changes.
@Suite struct TimeTests {
    typealias F = Fixture

    @Test(arguments: ["2024-02-29", "2026-11-09", "1970-01-01", "2000-02-29", "9999-12-31"])
    func validDatesRoundTrip(_ text: String) {
        #expect(LocalDate(iso: text)?.description == text)
    }

    @Test(arguments: ["2026-02-30", "2100-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "26-11-09", "2026/11/09", ""])
    func impossibleOrMalformedDatesAreRefused(_ text: String) {
        #expect(LocalDate(iso: text) == nil)
    }

    @Test func dayArithmeticAndWeekdays() {
        #expect(F.date("2026-12-31") + 1 == F.date("2027-01-01"))
        #expect(F.date("2028-03-01") - 1 == F.date("2028-02-29"))
        #expect(F.date("2026-11-16").days(since: F.date("2026-11-02")) == 14)
        #expect(F.date("2026-11-09").weekday == .mon)
        #expect(F.date("2026-03-29").weekday == .sun)
        #expect(LocalDate(daysSinceEpoch: 0).weekday == .thu)
        // Every day of four centuries round-trips through its text.
        var d = F.date("1900-01-01")
        while d < F.date("2300-01-01") {
            #expect(LocalDate(iso: d.description) == d)
            d = d + 1
        }
    }

    @Test func times() {
        #expect(LocalTime(hhmm: "00:00")?.minutes == 0)
        #expect(LocalTime(hhmm: "23:59")?.minutes == 1439)
        for bad in ["24:00", "12:60", "7:30", "07:3", "0730", "ab:cd"] { #expect(LocalTime(hhmm: bad) == nil) }
        #expect(LocalDateTime(iso: "2026-11-09T07:30")?.description == "2026-11-09T07:30")
        #expect(LocalDateTime(iso: "2026-11-09")?.time == LocalTime(hour: 0, minute: 0))
        #expect(LocalDateTime(iso: "2026-11-09T25:00") == nil)
        #expect(F.at("2026-11-09T23:59") < F.at("2026-11-10T00:00"))
    }

    @Test(arguments: [
        ("Europe/Berlin", "2026-11-23T08:00", "2026-11-23T08:00:00+01:00"),
        ("Europe/Berlin", "2026-07-01T08:00", "2026-07-01T08:00:00+02:00"),
        ("Europe/Berlin", "2026-03-29T02:30", "2026-03-29T03:30:00+02:00"),  // the gap: moves forward
        ("Europe/Berlin", "2026-03-29T02:00", "2026-03-29T03:00:00+02:00"),
        ("Europe/Berlin", "2026-03-29T03:00", "2026-03-29T03:00:00+02:00"),
        ("Europe/Berlin", "2026-10-25T02:30", "2026-10-25T02:30:00+02:00"),  // repeated: the first
        ("Europe/Berlin", "2026-10-25T03:00", "2026-10-25T03:00:00+01:00"),
        ("America/New_York", "2026-03-08T02:30", "2026-03-08T03:30:00-04:00"),
        ("America/New_York", "2026-11-01T01:30", "2026-11-01T01:30:00-04:00"),
        ("America/New_York", "2026-11-01T02:30", "2026-11-01T02:30:00-05:00"),
        ("Asia/Kolkata", "2026-11-01T08:00", "2026-11-01T08:00:00+05:30"),
    ])
    func wallTimesResolveByRFC5545(_ zone: String, _ wall: String, _ expected: String) throws {
        let tz = try #require(TimeZone(identifier: zone))
        #expect(F.at(wall).resolved(in: tz).iso8601 == expected)
    }

    @Test func theGapMovesTheInstantByTheGapsLength() {
        let gap = F.at("2026-03-29T02:30").resolved(in: F.berlin)
        #expect(gap.date.timeIntervalSince1970 == F.at("2026-03-29T01:30").wallMinutesSince1970UTC)
    }

    func sessions(zone: TimeZone, zoneName: String, times: [String], asOf: String, days: Int) -> [String] {
        let start = F.date(asOf) - 1
        let patient = Fixture.patient(start: start, times: times, zone: zoneName)
        return F.plan([], asOf: F.date(asOf), days: days, patient: patient, zone: zone).sessions.map(\.start.iso8601)
    }

    @Test func berlinSessionsAcrossTheMarchChange() {
        let starts = sessions(zone: F.berlin, zoneName: "Europe/Berlin", times: ["02:30", "13:00", "18:30"],
                              asOf: "2026-03-28", days: 3)
        #expect(starts == [
            "2026-03-28T02:30:00+01:00", "2026-03-28T13:00:00+01:00", "2026-03-28T18:30:00+01:00",
            "2026-03-29T03:30:00+02:00", "2026-03-29T13:00:00+02:00", "2026-03-29T18:30:00+02:00",
            "2026-03-30T02:30:00+02:00", "2026-03-30T13:00:00+02:00", "2026-03-30T18:30:00+02:00",
        ])
        let plan = F.plan([], asOf: F.date("2026-03-29"), days: 1,
                          patient: F.patient(start: F.date("2026-03-28"), times: ["02:30"]))
        #expect(plan.sessions.first?.slot == F.at("2026-03-29T02:30"))  // the slot keeps the requested time
        #expect(plan.sessions.first?.start.local == F.at("2026-03-29T03:30"))
    }

    @Test func berlinSessionsAcrossTheOctoberChange() {
        let starts = sessions(zone: F.berlin, zoneName: "Europe/Berlin", times: ["02:30", "13:00", "18:30"],
                              asOf: "2026-10-25", days: 2)
        #expect(starts == [
            "2026-10-25T02:30:00+02:00", "2026-10-25T13:00:00+01:00", "2026-10-25T18:30:00+01:00",
            "2026-10-26T02:30:00+01:00", "2026-10-26T13:00:00+01:00", "2026-10-26T18:30:00+01:00",
        ])
    }

    @Test func newYorkSessionsAcrossBothChanges() {
        let march = sessions(zone: F.newYork, zoneName: "America/New_York", times: ["02:30", "08:00", "18:30"],
                             asOf: "2026-03-08", days: 1)
        #expect(march == ["2026-03-08T03:30:00-04:00", "2026-03-08T08:00:00-04:00", "2026-03-08T18:30:00-04:00"])
        let november = sessions(zone: F.newYork, zoneName: "America/New_York", times: ["01:30", "08:00", "18:30"],
                                asOf: "2026-10-31", days: 2)
        #expect(november == [
            "2026-10-31T01:30:00-04:00", "2026-10-31T08:00:00-04:00", "2026-10-31T18:30:00-04:00",
            "2026-11-01T01:30:00-04:00", "2026-11-01T08:00:00-05:00", "2026-11-01T18:30:00-05:00",
        ])
    }

    @Test func sessionsAreInTimeOrderEvenWhenPatientTimesAreNot() {
        let starts = sessions(zone: F.berlin, zoneName: "Europe/Berlin", times: ["20:00", "07:00"],
                              asOf: "2026-11-10", days: 1)
        #expect(starts == ["2026-11-10T07:00:00+01:00", "2026-11-10T18:30:00+01:00", "2026-11-10T20:00:00+01:00"])
    }
}

extension LocalDateTime {
    /// This wall time read as UTC, in seconds since 1970.
    var wallMinutesSince1970UTC: Double { Double(wallMinutes) * 60 }
}
