import Foundation
import RehabFormat
import RehabKit
import Testing
@testable import RehabCalendar

/// A run of identical sessions is one recurring event, and the same run keeps its
/// UID in every export. Checked as a property of the real planner over generated pain
/// histories (halts and clearances included): exporting on one day and on the next, every
/// session both exports show with the same exercises and doses has the same UID in both,
/// and so has every morning check-in both show.
@Suite struct RunIdentityTests {
    /// A small deterministic generator (xorshift64*), enough to vary the histories.
    struct Generator {
        var state: UInt64
        init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }
        mutating func next(_ bound: Int) -> Int {
            state ^= state >> 12; state ^= state << 25; state ^= state >> 27
            return Int((state &* 0x2545_F491_4F6C_DD1D) >> 33) % bound
        }
    }

    static func time(_ h: Int, _ m: Int) -> LocalTime { LocalTime(hour: h, minute: m)! }

    /// Reports from `start` for `days` days: an `after` score most evenings (mostly green,
    /// some amber, the odd red), a next-morning score most mornings, and now and then a
    /// fever report with a clearance two days later.
    static func history(seed: UInt64, start: LocalDate, days: Int, feverOneIn: Int = 60) -> [LogEntry] {
        var g = Generator(seed: seed)
        var log: [LogEntry] = []
        var day = 0
        while day < days {
            let date = start + day
            if g.next(feverOneIn) == 0 {
                log.append(.report(PainReport(at: LocalDateTime(date: date, time: time(15, 0)), pain: nil, when: .after,
                                              flags: [.fever])))
                log.append(.resume(Resume(at: LocalDateTime(date: date + 2, time: time(9, 0)), clearedBy: "Dr Test")))
                day += 2
                continue
            }
            if g.next(100) < 85 {
                let pain = [0, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6][g.next(11)]
                log.append(.report(PainReport(at: LocalDateTime(date: date, time: time(19, 0)), pain: pain, when: .after)))
            }
            if g.next(100) < 85 {
                log.append(.report(PainReport(at: LocalDateTime(date: date + 1, time: time(7, 30)), pain: g.next(4),
                                              when: .nextMorning)))
            }
            day += 1
        }
        return log
    }

    struct Occurrence: Hashable {
        var date: LocalDate
        var time: LocalTime
    }

    @Test(arguments: ["lumbar-decompression", "lumbar-fusion", "late-leg-pain"])
    func anUnchangedSessionKeepsItsUIDFromOneDaysExportToTheNext(program id: String) throws {
        let catalog = try Catalog.shipped()
        let program = try catalog.program(reference: id, relativeTo: nil)
        let zone = try Fixture.zone("Europe/Berlin")
        let start = Fixture.date("2026-11-09")
        var checked = 0
        for seed in UInt64(1)...8 {
            let patient = Patient(id: "p-\(seed)", program: id, procedure: program.procedures[0],
                                  surgeryDate: start - 7 * Int(seed % 3) - 3, startDate: start, timezone: zone.identifier)
            let log = Self.history(seed: seed, start: start, days: 70)
            var previous: (plan: Plan, uids: [Occurrence: String], checkIns: [LocalDate: String])?
            for offset in 0..<60 {
                let plan = Planner.plan(PlanRequest(program: program, library: catalog.library, patient: patient, zone: zone,
                                                    log: log, asOf: start + offset, days: 14))
                let request = CalendarRequest(plan: plan, program: program, library: catalog.library, patient: patient, zone: zone)
                var uids: [Occurrence: String] = [:]
                var checkIns: [LocalDate: String] = [:]
                for spec in EventPlanner(request: request).events() {
                    switch spec.kind {
                    case .session: for date in spec.dates { uids[Occurrence(date: date, time: spec.time!)] = spec.uid }
                    case .checkIn: for date in spec.dates { checkIns[date] = spec.uid }
                    default: break
                    }
                }
                if let previous {
                    let before = Dictionary(previous.plan.sessions.map { (Occurrence(date: $0.slot.date, time: $0.slot.time), $0) },
                                            uniquingKeysWith: { a, _ in a })
                    for session in plan.sessions {
                        let key = Occurrence(date: session.slot.date, time: session.slot.time)
                        guard let old = before[key], old.exercises == session.exercises, old.stage == session.stage else { continue }
                        checked += 1
                        #expect(uids[key] == previous.uids[key],
                                "seed \(seed), as_of \(plan.asOf): the session of \(key.date) \(key.time) is unchanged but its UID moved")
                    }
                    // The morning check-in is the same every day: a morning both exports show
                    // keeps its UID.
                    for (date, uid) in checkIns where date > plan.asOf {
                        guard let old = previous.checkIns[date] else { continue }
                        checked += 1
                        #expect(uid == old, "seed \(seed), as_of \(plan.asOf): the check-in of \(date) moved (\(old) -> \(uid))")
                    }
                }
                previous = (plan, uids, checkIns)
            }
        }
        // The property must have had cases to hold on.
        #expect(checked > 1000)
    }
}
