import Foundation
import RehabFormat
import RehabKit
import Testing
@testable import RehabCalendar

/// After a resume, the live series after a clearance reuses the UID of the event
/// the halt cancelled at the same time of day, with a higher SEQUENCE, so a client that
/// keeps cancelled events (khal) shows one event per session.
@Suite struct ResumeUIDTests {
    /// The shipped decompression program (sessions 08:00, 13:00, 18:00); a fever reported
    /// at 15:00 on 2026-11-12 halts it, a clearance at 09:00 on 2026-11-14 restarts it.
    struct Scenario {
        let catalog: Catalog
        let program: Program
        let patient: Patient
        let zone: TimeZone
        let fever = LogEntry.report(PainReport(at: LocalDateTime(iso: "2026-11-12T15:00")!, pain: nil, when: .after,
                                               flags: [.fever]))
        let clearance = LogEntry.resume(Resume(at: LocalDateTime(iso: "2026-11-14T09:00")!, clearedBy: "Dr Test"))

        init() throws {
            catalog = try Catalog.shipped()
            program = try catalog.program(reference: "lumbar-decompression", relativeTo: nil)
            zone = try Fixture.zone("Europe/Berlin")
            patient = Patient(id: "p-0001", program: program.id, procedure: .discectomy,
                              surgeryDate: Fixture.date("2026-11-02"), startDate: Fixture.date("2026-11-09"),
                              timezone: zone.identifier)
        }

        func export(asOf: String, log: [LogEntry], over previous: String?) throws -> String {
            let plan = Planner.plan(PlanRequest(program: program, library: catalog.library, patient: patient, zone: zone,
                                                log: log, asOf: Fixture.date(asOf), days: 28))
            return try CalendarExporter.export(CalendarRequest(plan: plan, program: program, library: catalog.library,
                                                               patient: patient, zone: zone, previous: previous))
        }

        /// The morning's export, the halt's export over it, the clearance's export over that.
        func chain() throws -> (active: String, halted: String, resumed: String) {
            let active = try export(asOf: "2026-11-12", log: [], over: nil)
            let halted = try export(asOf: "2026-11-12", log: [fever], over: active)
            let resumed = try export(asOf: "2026-11-14", log: [fever, clearance], over: halted)
            return (active, halted, resumed)
        }
    }

    static func time(_ h: Int, _ m: Int) -> LocalTime { LocalTime(hour: h, minute: m)! }

    static func timed(_ ics: String, at time: String) -> [String: [String]] {
        ICS.events(ics).filter { _, lines in lines.contains { $0.hasPrefix("DTSTART;") && $0.hasSuffix("T\(time)00") } }
    }

    @Test func theLiveSeriesTakesOverTheCancelledEvent() throws {
        let s = try Scenario()
        let (active, halted, resumed) = try s.chain()
        // The halt cancelled the whole 18:00 series (it had not begun yet).
        let cancelled = try #require(Self.timed(halted, at: "1800").first)
        #expect(ICS.value("STATUS", in: cancelled.value) == "CANCELLED")
        #expect(Self.timed(active, at: "1800").keys.first == cancelled.key)
        // After the clearance there is one 18:00 event: the same UID, live, a higher SEQUENCE,
        // its own run's UID kept beside it.
        let evening = Self.timed(resumed, at: "1800")
        #expect(evening.count == 1, "\(evening.keys.sorted())")
        let live = try #require(evening[cancelled.key])
        #expect(ICS.value("STATUS", in: live) == nil)
        #expect(try #require(ICS.sequence(live)) > ICS.sequence(cancelled.value)!)
        #expect(ICS.value("X-REHAB-RUN", in: live) == "p-0001-1800-20261114@rehab")
        #expect(ICS.value("DTSTART;TZID=Europe/Berlin", in: live) == "20261114T180000")
        // Without an earlier file (a feed) the run has its own UID.
        let feed = try s.export(asOf: "2026-11-14", log: [s.fever, s.clearance], over: nil)
        #expect(Self.timed(feed, at: "1800").keys.sorted() == ["p-0001-1800-20261114@rehab"])
    }

    @Test func laterExportsKeepTheTakenOverUIDAndSequenceNeverFalls() throws {
        let s = try Scenario()
        var (_, _, previous) = try s.chain()
        let host = try #require(Self.timed(previous, at: "1800").keys.first)
        var sequences = [ICS.sequence(ICS.events(previous)[host])!]
        for day in 15...30 {
            let next = try s.export(asOf: "2026-11-\(day)", log: [s.fever, s.clearance], over: previous)
            let evening = Self.timed(next, at: "1800")
            // The host stays (a dose step may start a run of its own later); nothing at
            // 18:00 is left cancelled beside a live event.
            #expect(evening[host] != nil, "2026-11-\(day): \(evening.keys.sorted())")
            #expect(!evening.values.contains { ICS.value("STATUS", in: $0) == "CANCELLED" }, "2026-11-\(day)")
            // The days already lived stay in the series.
            #expect(ICS.value("DTSTART;TZID=Europe/Berlin", in: evening[host] ?? []) == "20261114T180000")
            sequences.append(ICS.sequence(evening[host]) ?? -1)
            previous = next
        }
        #expect(sequences == sequences.sorted(), "\(sequences)")
    }
}

/// The same as a property of the real planner over generated histories (fevers and
/// clearances included): exporting twice a day, each export over the one before, no
/// session time ever shows a cancelled event beside a live one on the same day from
/// `as_of` on, and no event's SEQUENCE ever falls.
extension ResumeUIDTests {
    @Test(arguments: ["lumbar-decompression", "lumbar-fusion", "late-leg-pain"])
    func dayByDayExportsNeverShowACancelledEventBesideALiveOne(program id: String) throws {
        let catalog = try Catalog.shipped()
        let program = try catalog.program(reference: id, relativeTo: nil)
        let zone = try Fixture.zone("Europe/Berlin")
        let start = Fixture.date("2026-11-09")
        var clearancesSeen = 0
        var takeovers = Set<String>()
        for seed in UInt64(1)...10 {
            let patient = Patient(id: "p-\(seed)", program: id, procedure: program.procedures[0],
                                  surgeryDate: start - 7 * Int(seed % 3) - 3, startDate: start, timezone: zone.identifier)
            // The patient's first export is on day k (its events hold no days before k), a
            // fever comes that afternoon and the clearance two days later: the khal case.
            // Before and after, generated reports (with a fever on about one day in 20).
            let k = Int(seed % 7) * 3
            let fever = LogEntry.report(PainReport(at: LocalDateTime(date: start + k, time: Self.time(15, 0)), pain: nil,
                                                   when: .after, flags: [.fever]))
            let clearance = LogEntry.resume(Resume(at: LocalDateTime(date: start + k + 2, time: Self.time(9, 0)),
                                                   clearedBy: "Dr Test"))
            let log = RunIdentityTests.history(seed: seed, start: start, days: k) + [fever, clearance]
                + RunIdentityTests.history(seed: seed &* 7919, start: start + k + 3, days: 40, feverOneIn: 20)
            clearancesSeen += log.filter { if case .resume = $0 { return true } else { return false } }.count
            var previous: String?
            var sequences: [String: Int] = [:]
            // Twice a day: in the morning, before the day's reports, and at night, after them.
            for step in 0..<50 {
                let asOf = start + k + step / 2
                let known = log.filter { step % 2 == 0 ? $0.at.date < asOf : $0.at.date <= asOf }
                let plan = Planner.plan(PlanRequest(program: program, library: catalog.library, patient: patient, zone: zone,
                                                    log: known, asOf: asOf, days: 14))
                let text = try CalendarExporter.export(CalendarRequest(plan: plan, program: program, library: catalog.library,
                                                                       patient: patient, zone: zone, previous: previous))
                let events = try LibicalSession.run { try PreviousExport(text: text, patient: patient.id).events }
                for event in events {
                    #expect(event.sequence >= sequences[event.uid] ?? 0,
                            "seed \(seed), as_of \(asOf): \(event.uid) SEQUENCE fell to \(event.sequence)")
                    sequences[event.uid] = event.sequence
                }
                let timed = events.filter { $0.time != nil && $0.category == EventSpec.Kind.session.rawValue }
                for live in timed where !live.cancelled {
                    if let run = live.run { takeovers.insert("\(seed) \(live.uid) \(run)") }
                    let days = Set(live.dates.filter { $0 >= asOf })
                    for cancelled in timed where cancelled.cancelled && cancelled.time == live.time {
                        let both = days.intersection(cancelled.dates).sorted()
                        #expect(both.isEmpty, "seed \(seed), as_of \(asOf): \(cancelled.uid) cancelled beside \(live.uid) on \(both)")
                    }
                }
                previous = text
            }
        }
        // The property had halts and clearances to hold on, and live series took over
        // cancelled events.
        #expect(clearancesSeen >= 5 && takeovers.count >= 3, "clearances \(clearancesSeen), takeovers \(takeovers.count)")
    }
}
