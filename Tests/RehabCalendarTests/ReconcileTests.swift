import Foundation
import RehabKit
import Testing
@testable import RehabCalendar

/// Stable UIDs, SEQUENCE growth, byte-identical re-runs and re-export over an earlier file.
@Suite struct ReconcileTests {
    let zone: TimeZone
    init() throws { zone = try Fixture.zone("Europe/Berlin") }

    func export(_ plan: Plan, previous: String? = nil) throws -> String {
        try CalendarExporter.export(Fixture.request(plan, zone: zone, previous: previous))
    }

    @Test func identicalInputsGiveIdenticalBytes() throws {
        let plan = Fixture.plan(asOf: "2026-11-09", zone: zone)
        let first = try export(plan)
        #expect(try export(plan) == first)
        // Re-exporting over the file it wrote changes nothing either.
        #expect(try export(plan, previous: first) == first)
        #expect(first.hasSuffix("END:VCALENDAR\r\n"))
        #expect(!first.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    @Test func headerAndTimezone() throws {
        let ics = try export(Fixture.plan(asOf: "2026-11-09", zone: zone))
        let lines = ICS.unfolded(ics)
        for needed in ["VERSION:2.0", "NAME:Rehab exercises p-0001", "X-WR-CALNAME:Rehab exercises p-0001",
                       "REFRESH-INTERVAL;VALUE=DURATION:P1D", "X-PUBLISHED-TTL:P1D", "COLOR:teal", "TZID:Europe/Berlin"] {
            #expect(lines.contains(needed), "missing \(needed)")
        }
        #expect(lines.contains { $0.hasPrefix("PRODID:") })
        #expect(!lines.contains { $0.hasPrefix("METHOD") || $0.contains("freeassociation") || $0.hasPrefix("TZUNTIL") })
        #expect(lines.filter { $0 == "BEGIN:VTIMEZONE" }.count == 1)
        // DTSTAMP: the UTC instant of as_of's local midnight.
        #expect(lines.filter { $0.hasPrefix("DTSTAMP") }.allSatisfy { $0 == "DTSTAMP:20261108T230000Z" })
        // Every VALARM displays text at the patient's reminder time.
        let event = ICS.events(ics)["p-0001-0800-20261109@rehab"] ?? []
        #expect(event.contains("TRIGGER:-PT15M") && event.contains("ACTION:DISPLAY"))
        #expect(event.contains("CATEGORIES:REHAB-SESSION"))
        let withReminder = try CalendarExporter.export(Fixture.request(
            Fixture.plan(asOf: "2026-11-09", zone: zone), zone: zone,
            patient: Fixture.patient(reminder: 40)))
        #expect(withReminder.contains("TRIGGER:-PT40M"))
    }

    @Test func uidsStayWhileTheRunContinues() throws {
        let a = try export(Fixture.plan(asOf: "2026-11-09", zone: zone))
        let b = try export(Fixture.plan(asOf: "2026-11-12", zone: zone))
        let expected: Set = ["p-0001-0800-20261109@rehab", "p-0001-1300-20261109@rehab",
                             "p-0001-1830-20261109@rehab", "p-0001-checkin-0730-20261110@rehab"]
        #expect(Set(ICS.events(a).keys) == expected)
        #expect(Set(ICS.events(b).keys) == expected)
        // SEQUENCE grows as as_of advances (the window, and so the event, moved).
        let uid = "p-0001-0800-20261109@rehab"
        let sa = try #require(ICS.sequence(ICS.events(a)[uid]))
        let sb = try #require(ICS.sequence(ICS.events(b)[uid]))
        #expect(sb > sa)
    }

    @Test func aDoseChangeStartsANewRunAndKeepsThePast() throws {
        let t = "2026-11-09"
        let first = try export(Fixture.plan(asOf: t, zone: zone))
        // Dated the day it takes effect (Planner), the first day of the new doses.
        let progress = Decision(date: Fixture.date("2026-11-12"), exercise: "walking", action: .progress,
                                from: Dose(minutes: 10), to: Dose(minutes: 15), rule: "two-green-days", because: "two green days")
        let later = Fixture.plan(asOf: "2026-11-12", zone: zone, decisions: [progress]) { _, _ in Fixture.exercises(walk: 15) }
        let second = try export(later, previous: first)
        let events = ICS.events(second)
        // The old run keeps its three sessions before as_of, with a higher SEQUENCE.
        let old = try #require(events["p-0001-0800-20261109@rehab"])
        #expect(old.contains("RRULE:FREQ=DAILY;COUNT=3"))
        #expect(try #require(ICS.sequence(old)) == (ICS.sequence(ICS.events(first)["p-0001-0800-20261109@rehab"]) ?? 0) + 1)
        // The new doses are a new run from the day the decision takes effect.
        let new = try #require(events["p-0001-0800-20261112@rehab"])
        #expect(new.contains("RRULE:FREQ=DAILY;COUNT=28"))
        #expect(new.contains { $0.contains("Walking: 15 min") })
        // Expanded: every session from as_of on exactly once, with the plan's instants.
        let sessions = try Peer.expand(second, from: "2026-11-12", to: "2027-01-01").filter { $0.categories == ["REHAB-SESSION"] }
        #expect(sessions.map(\.start) == Fixture.instants(later))
        #expect(sessions.allSatisfy { $0.description.contains("Walking: 15 min") })
        // And re-running the same export is byte-identical.
        #expect(try export(later, previous: second) == second)
    }

    /// Pain rules version 2: a morning's export may begin a run today (a dose step) that the
    /// day's later reports withdraw. The evening's plan continues the older run, whose event
    /// the morning's file had ended yesterday; that run takes over the morning's event rather
    /// than leaving it cancelled beside its own (khal would show both at every session).
    @Test func anOlderRunComingBackTakesOverTheEventBegunThatMorning() throws {
        let before = try export(Fixture.plan(asOf: "2026-11-11", zone: zone))
        let progress = Decision(date: Fixture.date("2026-11-12"), exercise: "walking", action: .progress,
                                from: Dose(minutes: 10), to: Dose(minutes: 15), rule: "quota", because: "quota met")
        let morning = try export(Fixture.plan(asOf: "2026-11-12", zone: zone, decisions: [progress]) { _, _ in
            Fixture.exercises(walk: 15)
        }, previous: before)
        let begun = "p-0001-0800-20261112@rehab", older = "p-0001-0800-20261109@rehab"
        // The morning's file: the older run ends yesterday, the new one begins today.
        #expect(ICS.events(morning)[older]?.contains { $0.hasPrefix("RRULE") } == false)
        #expect(ICS.value("RRULE", in: ICS.events(morning)[begun] ?? []) == "FREQ=DAILY;COUNT=28")
        let evening = try export(Fixture.plan(asOf: "2026-11-12", zone: zone), previous: morning)
        let events = ICS.events(evening)
        #expect(!events.values.contains { ICS.value("STATUS", in: $0) == "CANCELLED" }, "\(events.keys.sorted())")
        let live = try #require(events[begun])
        #expect(ICS.value("X-REHAB-RUN", in: live) == older)
        #expect(live.contains { $0.contains("Walking: 10 min") })
        #expect(try #require(ICS.sequence(live)) > ICS.sequence(ICS.events(morning)[begun])!)
        // The older run's event keeps its days before as_of, as the morning's file had it.
        #expect(events[older] == ICS.events(morning)[older])
        // Expanded: every session from as_of on exactly once.
        let plan = Fixture.plan(asOf: "2026-11-12", zone: zone)
        let sessions = try Peer.expand(evening, from: "2026-11-12", to: "2027-01-01").filter { $0.categories == ["REHAB-SESSION"] }
        #expect(sessions.map(\.start) == Fixture.instants(plan))
        // The next day's export finds the run where it is, and the same export is byte-identical.
        let next = try export(Fixture.plan(asOf: "2026-11-13", zone: zone), previous: evening)
        #expect(ICS.value("X-REHAB-RUN", in: ICS.events(next)[begun] ?? []) == older)
        #expect(!ICS.events(next).values.contains { ICS.value("STATUS", in: $0) == "CANCELLED" })
        #expect(try export(plan, previous: evening) == evening)
    }

    @Test func sameDayChangeUpdatesInPlaceWithHigherSequence() throws {
        let t = "2026-11-09"
        let first = try export(Fixture.plan(asOf: t, zone: zone))
        let regress = Decision(date: Fixture.date(t), exercise: "nerve-glide-slider", action: .regress,
                               from: Dose(reps: 10), to: Dose(reps: 8), rule: "red-day", because: "red day")
        let changed = Fixture.plan(asOf: t, zone: zone, decisions: [regress]) { _, _ in Fixture.exercises(glide: 8) }
        let uid = "p-0001-0800-20261109@rehab"
        let withPrevious = try export(changed, previous: first)
        let fresh = try export(changed)
        let s0 = try #require(ICS.sequence(ICS.events(first)[uid]))
        #expect(try #require(ICS.sequence(ICS.events(withPrevious)[uid])) == s0 + 1)
        // Without the earlier file the history alone gives the same number.
        #expect(withPrevious == fresh)
        #expect(ICS.events(withPrevious)[uid]?.contains { $0.contains("8 reps") } == true)
    }

    @Test func vanishedFutureEventsAreCancelled() throws {
        // 18:30 sessions only from Nov 12; the later plan drops them and the 13:00 run.
        let first = try export(Fixture.plan(asOf: "2026-11-09", zone: zone) { day, index in
            index == 3 && day < Fixture.date("2026-11-12") ? nil : Fixture.exercises()
        })
        let stage = Decision(date: Fixture.date("2026-11-09"), exercise: nil, action: .advanceStage,
                             rule: "stage-gate", because: "stage")
        let second = try export(Fixture.plan(asOf: "2026-11-10", times: ["08:00"], zone: zone, decisions: [stage]), previous: first)
        let events = ICS.events(second)
        let evening = try #require(events["p-0001-1830-20261112@rehab"])
        #expect(evening.contains("STATUS:CANCELLED"))
        #expect(ICS.sequence(evening) == (ICS.sequence(ICS.events(first)["p-0001-1830-20261112@rehab"]) ?? -9) + 1)
        // The 13:00 run had one session before as_of: kept, shortened to it.
        let noon = try #require(events["p-0001-1300-20261109@rehab"])
        #expect(!noon.contains { $0.hasPrefix("RRULE") || $0.hasPrefix("STATUS") })
        // Peers: nothing at 18:30 any more, the new run at 08:00 every day.
        let occ = try Peer.expand(second, from: "2026-11-10", to: "2027-01-01")
        #expect(occ.filter { $0.categories == ["REHAB-SESSION"] && $0.status != "CANCELLED" }.allSatisfy { $0.start.hasSuffix("T07:00:00Z") })
        // Events wholly before as_of stay as they were on the next export.
        let third = try export(Fixture.plan(asOf: "2026-11-11", times: ["08:00"], zone: zone, decisions: [stage]), previous: second)
        #expect(ICS.events(third)["p-0001-1300-20261109@rehab"] == noon)
        #expect(ICS.events(third)["p-0001-1830-20261112@rehab"] == evening)
    }

    @Test func haltedPlanStopsSessionsAndAdvises() throws {
        let first = try export(Fixture.plan(asOf: "2026-11-09", zone: zone))
        let at = try #require(LocalDateTime(iso: "2026-11-10T10:00"))
        let halt = Halt(date: at.date, at: at, flags: [.calfSwelling], advice: [RedFlag.calfSwelling.defaultAdvice])
        let decision = Decision(date: at.date, exercise: nil, action: .halt, rule: "red-flag", because: "calf swelling")
        let halted = Fixture.plan(asOf: "2026-11-10", zone: zone, decisions: [decision], halt: halt)
        #expect(halted.sessions.count == 1)  // 08:00 on the halt's day
        let ics = try export(halted, previous: first)
        let occ = try Peer.expand(ics, from: "2026-11-10", to: "2027-01-01")
        let live = occ.filter { $0.status != "CANCELLED" }
        let haltInstant = at.resolved(in: zone).date
        #expect(live.filter { $0.categories == ["REHAB-SESSION"] }.map(\.start) == Fixture.instants(halted))
        #expect(live.filter { $0.categories == ["REHAB-SESSION"] }.allSatisfy { $0.start < Fixture.utcString(haltInstant) })
        let advice = occ.filter { $0.categories == ["REHAB-ADVICE"] }
        #expect(advice.count == 1)
        #expect(advice.first?.summary.contains("STOP") == true)
        #expect(advice.first?.description.contains("calf") == true)
        // The 13:00 and 18:30 runs started before as_of: shortened to their past sessions.
        let events = ICS.events(ics)
        #expect(events["p-0001-1830-20261109@rehab"]?.contains { $0.hasPrefix("RRULE") } == false)
    }

    @Test(arguments: [
        "not a calendar at all",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Someone//Else//EN\r\nEND:VCALENDAR\r\n",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//rehab//rehab calendar export 1//EN\r\nX-REHAB-PATIENT:p-0002\r\nEND:VCALENDAR\r\n",
        "",
    ])
    func aFileNotOursIsRefused(_ text: String) throws {
        let plan = Fixture.plan(asOf: "2026-11-09", zone: zone)
        #expect {
            try export(plan, previous: text)
        } throws: { error in
            guard let e = error as? CalendarError, case .notOurs = e.kind else { return false }
            return e.description.contains("left untouched")
        }
    }
}
