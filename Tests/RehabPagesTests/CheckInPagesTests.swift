import Foundation
import RehabKit
import Testing
@testable import RehabPages

@Suite("check-in pages")
struct CheckInPagesTests {
    static let day = LocalDate(iso: "2026-11-23")!

    static func morning(_ at: String, pain: Int? = 2) -> LogEntry {
        .report(PainReport(at: PagesFixture.at(at), pain: pain, when: .nextMorning))
    }

    /// Every minute of a day, with and without yesterday's next-morning report (logged
    /// today), against the rule: next morning only before the first session and while
    /// yesterday has none.
    @Test(arguments: [false, true])
    func whenIsPreselectedByTheRule(reported: Bool) throws {
        let f = try PagesFixture()
        let sessions = f.plan(Self.day, days: 1).sessions
        let first = try #require(sessions.map(\.slot).min())
        let log = reported ? [Self.morning("2026-11-23T07:10")] : []
        for minute in stride(from: 0, to: 24 * 60, by: 7) {
            let now = LocalDateTime(date: Self.day, time: LocalTime(hour: minute / 60, minute: minute % 60)!)
            let expected: ReportTiming = now < first && !reported ? .nextMorning : .after
            #expect(CheckInPages.preselectedWhen(now: now, sessions: sessions, log: log) == expected, "\(now)")
        }
    }

    @Test func aMorningReportOfAnotherDayDoesNotCount() throws {
        let f = try PagesFixture()
        let sessions = f.plan(Self.day, days: 1).sessions
        let early = PagesFixture.at("2026-11-23T06:30")
        // Logged the day before: it is about the day before yesterday.
        #expect(CheckInPages.preselectedWhen(now: early, sessions: sessions, log: [Self.morning("2026-11-22T07:00")]) == .nextMorning)
        #expect(CheckInPages.preselectedWhen(now: early, sessions: sessions, log: [Self.morning("2026-11-23T06:00")]) == .after)
        // A day without sessions: noon stands in for the first session.
        #expect(CheckInPages.preselectedWhen(now: early, sessions: [], log: []) == .nextMorning)
        #expect(CheckInPages.preselectedWhen(now: PagesFixture.at("2026-11-23T12:30"), sessions: [], log: []) == .after)
    }

    @Test func theFormListsTodaysExercisesByNameOnly() throws {
        let f = try PagesFixture()
        let plan = f.plan(Self.day, days: 1)
        let html = try CheckInPages.form(.init(program: f.program, library: f.library, today: plan, log: [],
                                               now: PagesFixture.at("2026-11-23T09:00"), contacts: Contacts(), action: "/x"))
        let todays = Set(plan.sessions.flatMap { $0.exercises.map(\.id) })
        #expect(!todays.isEmpty)
        for id in f.program.reportableExercises(in: f.library) {
            #expect(html.contains("<option value=\"\(id)\">") == todays.contains(id), "\(id)")
        }
        for id in todays { #expect(html.contains(">\(f.library[id]!.name)</option>")) }
        // Doses of today's sessions are on the page.
        for s in plan.sessions { for e in s.exercises where !e.dose.description.isEmpty {
            #expect(html.contains(e.dose.description))
        } }
        #expect(!html.contains("rehab ") && !html.contains(".yaml"))
        // No internal sign names as text, only as form values.
        for flag in RedFlag.allCases {
            let shown = html.replacingOccurrences(of: "\"flag-\(flag.rawValue)\"", with: "")
                .replacingOccurrences(of: "value=\"\(flag.rawValue)\"", with: "")
            #expect(!shown.contains(flag.rawValue), "\(flag.rawValue)")
        }
        #expect(html.contains("your local emergency number"))
    }

    @Test func aHaltedPlanSaysOnlyTheTeamRestarts() throws {
        let f = try PagesFixture()
        let log: [LogEntry] = [.report(PainReport(at: PagesFixture.at("2026-11-22T10:00"), pain: nil, when: .after, flags: [.fever]))]
        let plan = f.plan(Self.day, days: 1, log: log)
        #expect(plan.status == .halted)
        let html = try CheckInPages.form(.init(program: f.program, library: f.library, today: plan, log: log,
                                               now: PagesFixture.at("2026-11-23T09:00"), contacts: Contacts(), action: "/x"))
        #expect(html.contains("Only your clinical team can restart them"))
        #expect(!html.contains("<option value=\"walking\">"))
    }

    @Test(arguments: [(7, ReportTiming.after, true), (5, .after, false), (6, .during, true), (9, .nextMorning, true), (2, .nextMorning, false)])
    func aRedScoreSaysStop(pain: Int, when: ReportTiming, red: Bool) throws {
        let f = try PagesFixture()
        let report = PainReport(at: PagesFixture.at("2026-11-23T09:00"), pain: pain, when: when,
                                exercise: when == .nextMorning ? nil : "heel-slide")
        let html = try CheckInPages.saved(.init(report: report, dropped: [], program: f.program, library: f.library,
                                                baseline: 2, contacts: Contacts(), back: "/x"))
        #expect(html.contains("\(pain) out of 10"))
        #expect(html.contains(CheckInPages.words(when)))
        if when == .nextMorning { #expect(html.contains("All of today")) } else { #expect(html.contains("<dd>Heel slide</dd>")) }
        #expect(html.contains("class=\"stop\"") == red)
        if red && when != .nextMorning { #expect(html.contains("stop Heel slide for today")) }
    }

    @Test func contactsAreReadDefensively() {
        let text = "version: 1\nclinic:\n  name: Riverside\n  phone: \"+49 (30) 123-4567\"\nemergency_number: \"000\"\n"
        #expect(Contacts.read(patientText: text) == Contacts(clinicName: "Riverside", clinicPhone: "+49 (30) 123-4567", emergencyNumber: "000"))
        #expect(Contacts.dial("+49 (30) 123-4567") == "+49301234567")
        #expect(Contacts.read(patientText: "clinic: [1, 2]\nemergency_number: call me") == Contacts())
        #expect(Contacts.read(patientText: ": : :") == Contacts())
        #expect(Contacts.dial("javascript:alert(1)") == nil)
    }
}
