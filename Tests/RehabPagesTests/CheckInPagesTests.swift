import Foundation
import RehabKit
import Testing
@testable import RehabPages

/// The check-in pages rendered from their templates: what a patient reads on the form,
/// the confirmation and the advice, checked as text (the browser tests check them in Chromium).
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

    /// The zones beside the score are this patient's: a usual pain of 6 is not "stop".
    @Test func theFormsZonesAreRelativeToTheUsualPain() throws {
        var f = try PagesFixture()
        f.patient.baselinePain = 6
        f.patient.baselineChanges = []
        let html = try CheckInPages.form(.init(program: f.program, library: f.library, today: f.plan(Self.day, days: 1), log: [],
                                               now: PagesFixture.at("2026-11-23T09:00"), contacts: Contacts(), action: "/x"))
        #expect(html.contains("<span class=\"g\">0-6</span> fine"))
        #expect(html.contains("<span class=\"a\">7</span> keep to this dose"))
        #expect(html.contains("<span class=\"r\">8-10</span> stop that exercise today"))
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
        // Today's list (below the report and its button) gives each exercise's short caution.
        for s in plan.sessions { for e in s.exercises {
            let exercise = try #require(f.library[e.id])
            let caution = try #require(exercise.caution, "\(e.id) has no short caution")
            let dose = e.dose.description.isEmpty ? "" : ": \(escape(e.dose.description))"
            #expect(html.contains("<li>\(escape(exercise.name))\(dose)<br><span class=\"caution\">\(escape(caution))</span></li>"))
        } }
        // The report's own exercise choice stays names only.
        let report = try #require(html.components(separatedBy: "</form>").first)
        #expect(!report.contains("class=\"caution\""))
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
        // The named exercise with its short caution beside it; none for "all of today's".
        let caution = try #require(f.library["heel-slide"]?.caution)
        if when == .nextMorning {
            #expect(html.contains("<dd>All of today&#39;s exercises</dd>"))
        } else {
            #expect(html.contains("<dd>Heel slide<br><span class=\"caution\">\(escape(caution))</span></dd>"))
        }
        #expect(html.contains("class=\"stop\"") == red)
        if red && when != .nextMorning { #expect(html.contains("stop Heel slide for today")) }
    }

    /// A nerve glide is judged by its own zones (no amber above 2): 3 out of 10 named for
    /// it says stop, where the same 3 for a heel slide is fine.
    @Test func aScoreNamingAGlideIsJudgedByTheGlidesZones() throws {
        let f = try PagesFixture()
        func page(_ exercise: String) throws -> String {
            let report = PainReport(at: PagesFixture.at("2026-11-23T09:00"), pain: 3, when: .after, exercise: exercise)
            return try CheckInPages.saved(.init(report: report, dropped: [], program: f.program, library: f.library,
                                                baseline: 0, contacts: Contacts(), back: "/x"))
        }
        #expect(try page("nerve-glide-slider").contains("class=\"stop\""))
        #expect(try !page("heel-slide").contains("class=\"stop\""))
    }

    /// After a general during/after score, each of today's exercises that needs its own
    /// report is asked about on the confirmation, with its own zones, until it has one.
    @Test func theConfirmationAsksAboutEachOwnReportExercise() throws {
        let f = try PagesFixture(example: "late-leg-pain-patient.yaml")
        let plan = f.plan(Self.day, days: 1)
        let stage = try #require(f.program.stage(id: plan.stage))
        let own = Set(stage.prescriptions.filter(\.ownReport).map(\.exercise))
        let todays = plan.sessions.flatMap(\.exercises).filter { own.contains($0.prescription) }
        let ids = Array(Set(todays.map(\.id))).sorted()
        #expect(ids.count == 2, "the example's first stage has a nerve glide and a hamstring stretch: \(ids)")
        let glide = try #require(todays.first { $0.prescription == "nerve-glide" })
        let other = try #require(todays.first { $0.prescription != "nerve-glide" })
        func page(_ report: PainReport, log extra: [LogEntry] = []) throws -> String {
            try CheckInPages.saved(.init(report: report, dropped: [], program: f.program, library: f.library, baseline: 0,
                                         contacts: Contacts(), back: "/p/t/check-in", today: plan,
                                         log: [.report(report)] + extra))
        }
        let general = PainReport(at: PagesFixture.at("2026-11-23T09:00"), pain: 2, when: .after)
        let asked = try page(general)
        #expect(asked.contains("One more question"))
        #expect(asked.contains("<input type=\"hidden\" name=\"exercise\" value=\"\(glide.id)\">"))
        #expect(asked.contains("<input type=\"hidden\" name=\"when\" value=\"after\">"))
        #expect(asked.contains("action=\"/p/t/check-in\""))
        // The glide's own zones: 0-2 fine, no amber, 3-10 stop.
        #expect(asked.contains("<span class=\"g\">0-2</span> fine · <span class=\"r\">3-10</span> stop it today"))
        // Not asked again once the glide has its own score today, nor after a morning
        // score or a warning sign.
        let named = PainReport(at: PagesFixture.at("2026-11-23T09:05"), pain: 1, when: .after, exercise: glide.id)
        let after = try page(general, log: [.report(named)])
        #expect(!after.contains("name=\"exercise\" value=\"\(glide.id)\""))
        #expect(after.contains("name=\"exercise\" value=\"\(other.id)\""))
        #expect(try !page(PainReport(at: PagesFixture.at("2026-11-23T07:00"), pain: 2, when: .nextMorning)).contains("One more question"))
        #expect(try !page(PainReport(at: PagesFixture.at("2026-11-23T09:00"), pain: 2, when: .after, flags: [.spreading]))
            .contains("One more question"))
    }

    /// A notice is a page like the others: the viewport for a phone, the words escaped,
    /// the numbers to call, advice first.
    @Test func aNoticeIsAPhonePageWithTheNumbers() throws {
        let f = try PagesFixture()
        let html = try CheckInPages.notice(.init(
            heading: "Too many reports", lines: ["Wait a minute <and> send it again."],
            advice: ["Numbness between your legs: call 112 now."], contacts: Contacts(patient: f.patient), back: "/p/t/check-in"))
        #expect(html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"))
        #expect(html.contains("<h1>Too many reports</h1>"))
        #expect(html.contains("Wait a minute &lt;and&gt; send it again."))
        #expect(html.contains("href=\"tel:"))
        #expect(html.contains("href=\"/p/t/check-in\""))
        let advice = try #require(html.range(of: "call 112 now"))
        let heading = try #require(html.range(of: "<h1>"))
        #expect(advice.lowerBound < heading.lowerBound)
    }

    func form(_ f: PagesFixture) throws -> String {
        try CheckInPages.form(.init(program: f.program, library: f.library, today: f.plan(Self.day, days: 1), log: [],
                                    now: PagesFixture.at("2026-11-23T09:00"), contacts: Contacts(patient: f.patient),
                                    action: "/x"))
    }

    /// The numbers come from the patient model: the file's `clinic` and `emergency_number`,
    /// else the zone's default, else the words.
    @Test func theNumbersAreThePatientsOwn() throws {
        // decompression-patient: Europe/Berlin with emergency_number "112" and a clinic.
        let berlin = try PagesFixture()
        let html = try form(berlin)
        #expect(html.contains("href=\"tel:+49301234567\">Call the clinic</a>"))
        #expect(html.contains("href=\"tel:+49301234567\">Riverside Spine Physio: +49 30 1234567</a>"))
        #expect(html.contains("href=\"tel:112\""))
        #expect(!html.contains("your local emergency number"))
        // late-leg-pain-patient: Australia/Sydney, no emergency_number: Australia's 000.
        let sydney = try PagesFixture(example: "late-leg-pain-patient.yaml")
        #expect(sydney.patient.emergencyNumber == nil && sydney.patient.timezone == "Australia/Sydney")
        let sydneyHTML = try form(sydney)
        #expect(sydneyHTML.contains("href=\"tel:000\">Emergency: call 000</a>"))
        #expect(sydneyHTML.contains("href=\"tel:0298765432\""))
        #expect(!sydneyHTML.contains("your local emergency number"))
        // Berlin without emergency_number (tzdata shares the zone): the words, no tel: link.
        var plain = berlin
        plain.patient.emergencyNumber = nil
        plain.patient.clinic = nil
        let plainHTML = try form(plain)
        #expect(plainHTML.contains("call your local emergency number"))
        #expect(!plainHTML.contains("tel:"))
        #expect(Contacts(patient: plain.patient) == Contacts())
        #expect(Contacts.dial("+49 (30) 123-4567") == "+49301234567")
        #expect(Contacts.dial("javascript:alert(1)") == nil)
    }

    func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}
