import Foundation
import RehabKit
import Testing
@testable import RehabCalendar

/// Independent parsers expand the export to exactly the plan's session instants,
/// across daylight-saving changes, including a session time that does not exist.
@Suite struct InteropExpansionTests {
    struct Case: CustomStringConvertible, Sendable {
        var zone: String
        var asOf: String
        var times: [String]
        var description: String { "\(zone) from \(asOf) at \(times)" }
    }

    static let cases: [Case] = [
        // Spring forward: 02:30 does not exist on 2027-03-28 (Berlin) / 2027-03-14 (New York).
        Case(zone: "Europe/Berlin", asOf: "2027-03-15", times: ["02:30", "08:00", "18:30"]),
        Case(zone: "America/New_York", asOf: "2027-03-01", times: ["02:30", "08:00", "18:30"]),
        // Fall back: 02:30 happens twice on 2026-10-25 (Berlin) / 2026-11-01 (New York).
        Case(zone: "Europe/Berlin", asOf: "2026-10-12", times: ["02:30", "07:15", "21:00"]),
        Case(zone: "America/New_York", asOf: "2026-10-20", times: ["01:30", "08:00", "23:45"]),
    ]

    @Test(arguments: cases)
    func sessionsExpandToPlanInstants(_ c: Case) throws {
        let zone = try Fixture.zone(c.zone)
        let plan = Fixture.plan(asOf: c.asOf, times: c.times, zone: zone)
        let patient = Fixture.patient(zone: c.zone, surgery: "2026-01-05", start: "2026-01-12")
        let ics = try CalendarExporter.export(Fixture.request(plan, zone: zone, patient: patient))
        let occurrences = try Peer.expand(ics, from: "2026-01-01", to: "2028-01-01")
        let sessions = occurrences.filter { $0.categories.contains("REHAB-SESSION") }
        #expect(sessions.map(\.start) == Fixture.instants(plan))
        #expect(plan.sessions.count == 28 * 3)
        // One recurring event per time of day.
        #expect(Set(sessions.map(\.uid)).count == 3)
        // A check-in the morning after each session day ...
        let checkIns = occurrences.filter { $0.categories.contains("REHAB-CHECKIN") }
        // ... and on as_of itself, for the day before.
        #expect(checkIns.count == 29)
    }

    @Test func weekdayPatternsAndDoseGroups() throws {
        let zone = try Fixture.zone("Europe/Berlin")
        // Mon/Wed/Fri sessions; walking longer on Fridays: two runs at 08:00, RRULE WEEKLY.
        let plan = Fixture.plan(asOf: "2027-03-15", times: ["08:00", "02:30"], zone: zone) { day, _ in
            switch day.weekday {
            case .mon, .wed: return Fixture.exercises()
            case .fri: return Fixture.exercises(walk: 20)
            default: return nil
            }
        }
        let ics = try CalendarExporter.export(Fixture.request(plan, zone: zone))
        #expect(ics.contains("RRULE:FREQ=WEEKLY;COUNT=8;BYDAY=MO,WE"))
        #expect(ics.contains("RRULE:FREQ=WEEKLY;COUNT=4;BYDAY=FR"))
        let sessions = try Peer.expand(ics, from: "2027-01-01", to: "2028-01-01").filter { $0.categories == ["REHAB-SESSION"] }
        #expect(sessions.map(\.start) == Fixture.instants(plan))
        #expect(Set(sessions.map(\.uid)).count == 4)
    }

    @Test func irregularDatesUseRDATE() throws {
        let zone = try Fixture.zone("America/New_York")
        let skip: Set<Int> = [3, 4, 9, 17]
        let start = Fixture.date("2027-03-08")
        let plan = Fixture.plan(asOf: "2027-03-08", times: ["02:30"], zone: zone) { day, _ in
            skip.contains(day.days(since: start)) ? nil : Fixture.exercises()
        }
        let ics = try CalendarExporter.export(Fixture.request(plan, zone: zone))
        #expect(ics.contains("RDATE;TZID=America/New_York:"))
        let sessions = try Peer.expand(ics, from: "2027-01-01", to: "2028-01-01").filter { $0.categories == ["REHAB-SESSION"] }
        #expect(sessions.map(\.start) == Fixture.instants(plan))
    }
}
