import Foundation
import RehabKit
import Testing
@testable import RehabPages

/// The printable handout rendered from its template: sections, doses, zones, education,
/// diary and drawings, checked as text (HandoutCommandTests prints it with Chromium).
@Suite("handout")
struct HandoutTests {
    static let day = LocalDate(iso: "2026-11-23")!

    func handout(_ f: PagesFixture, links: Handout.Links? = nil, contacts: Contacts = Contacts(), log: [LogEntry] = []) throws -> (String, Plan) {
        let plan = f.plan(Self.day, days: 7, log: log)
        return (try Handout.html(.init(program: f.program, library: f.library, patient: f.patient, plan: plan,
                                       contacts: contacts, links: links)), plan)
    }

    @Test(arguments: ["decompression-patient.yaml", "fusion-patient.yaml", "late-leg-pain-patient.yaml"])
    func everyExerciseOfTheWeekHasItsStepsCautionsAndDrawing(example: String) throws {
        let f = try PagesFixture(example: example)
        let (html, plan) = try handout(f)
        let ids = Set(plan.sessions.flatMap { $0.exercises.map(\.id) })
        #expect(!ids.isEmpty)
        for id in ids {
            let e = try #require(f.library[id])
            #expect(html.contains("<h3>\(escape(e.name))</h3>"), "\(id)")
            for step in e.instructions { #expect(html.contains(escape(step)), "\(id): \(step)") }
            for caution in e.cautions { #expect(html.contains(escape(caution)), "\(id): \(caution)") }
        }
        #expect(html.components(separatedBy: "class=\"drawing\"").count - 1 == ids.count)
        // The diary: two weeks, a row a day, during/after and next morning.
        #expect(html.contains("Next morning</th>"))
        for n in 0..<14 { #expect(html.contains("<tr><td>\(Handout.dayLabel(Self.day + n))</td>")) }
        #expect(!html.contains("rehab ") && !html.contains(".yaml"))
        #expect(!html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").contains("http"))
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("url("))
    }

    @Test func zonesAreThePatientsOwn() throws {
        let f = try PagesFixture()
        let (html, _) = try handout(f)
        let rules = f.program.painRules
        #expect(html.contains("0-\(rules.greenMax): fine."))
        #expect(html.contains("\(rules.amberMax + 1)-10: too much."))
        #expect(html.contains("your usual leg pain (\(f.patient.baselinePain) out of 10)"))
    }

    /// The zones printed are the ones the plan judges by: relative to the usual pain, which
    /// settled mornings lower below the file's value.
    @Test func zonesFollowTheUsualPainThePlanUses() throws {
        var f = try PagesFixture()
        f.patient.baselinePain = 6
        f.patient.baselineChanges = []
        let (high, plan) = try handout(f)
        #expect(plan.usualPain == 6)
        #expect(high.contains("0-6: fine.") && high.contains("7: careful.") && high.contains("8-10: too much."))
        #expect(high.contains("your usual leg pain (6 out of 10)"))
        // Three mornings at 1 in the week before: the usual pain is 1, and the sheet says so.
        let mornings: [LogEntry] = ["2026-11-20", "2026-11-21", "2026-11-22"].map {
            .report(PainReport(at: PagesFixture.at("\($0)T07:30"), pain: 1, when: .nextMorning))
        }
        let (settled, lower) = try handout(f, log: mornings)
        #expect(lower.usualPain == 1)
        #expect(settled.contains("0-3: fine.") && settled.contains("6-10: too much."))
        #expect(settled.contains("your usual leg pain (1 out of 10)"))
    }

    /// Exercises with stricter zones of their own (the nerve glides) are named under the
    /// pain guide with their limits; exercises judged by the general zones are not.
    @Test func stricterLimitsOfAnExerciseAreNamedUnderTheGuide() throws {
        let f = try PagesFixture(example: "late-leg-pain-patient.yaml")
        var patient = f
        patient.patient.baselinePain = 0
        patient.patient.baselineChanges = []
        let (html, plan) = try handout(patient)
        let ids = Set(plan.sessions.flatMap { $0.exercises.map(\.prescription) })
        #expect(ids.contains("nerve-glide"))
        #expect(html.contains("<b>Sciatic nerve glide</b> has stricter limits: 0-2 is fine; 3-10: stop it for today."))
        #expect(html.contains("<b>Hamstring stretch</b> has stricter limits: 0-3 is fine; 4-10: stop it for today."))
        #expect(!html.contains("<b>Walking</b> has stricter limits"))
    }

    @Test func linkedHandoutHasTwoQRCodesAndTheNumbers() throws {
        let f = try PagesFixture()
        let links = Handout.Links(feed: "https://rehab.example.org/feeds/T/calendar.ics", checkIn: "https://rehab.example.org/p/T/check-in")
        let (html, _) = try handout(f, links: links, contacts: Contacts(clinicName: "Riverside", clinicPhone: "+49 30 1234567", emergencyNumber: "112"))
        #expect(html.components(separatedBy: "class=\"qrcode\" width=").count - 1 == 2)
        #expect(html.contains(links.feed) && html.contains(links.checkIn))
        #expect(html.contains("href=\"tel:112\"") && html.contains("href=\"tel:+49301234567\""))
    }

    /// The program's education items for the patient's week after surgery, each whole;
    /// items of other weeks are left out; a program without any has no such section.
    @Test(arguments: ["decompression-patient.yaml", "fusion-patient.yaml", "late-leg-pain-patient.yaml"])
    func educationIsTheProgramsForTheWeekInFull(example: String) throws {
        var f = try PagesFixture(example: example)
        let (html, _) = try handout(f)
        let items = f.program.education(for: f.patient, on: Self.day)
        #expect(!items.isEmpty)
        for item in items {
            #expect(html.contains("<p><b>\(escape(item.title)).</b> \(escape(item.text))</p>"), "\(item.id)")
        }
        for item in f.program.education where !items.contains(item) {
            #expect(!html.contains(escape(item.title)), "\(item.id) is for other weeks")
        }
        if example == "decompression-patient.yaml" {
            #expect(items.map(\.id) == ["heat-and-ice", "what-to-expect", "stay-active", "sitting-and-getting-up"])
        }
        f.program.education = []
        let (without, _) = try handout(f)
        #expect(!without.contains("Good to know"))
    }

    /// The numbers on the sheet are the patient model's (`Contacts(patient:)`).
    @Test func theNumbersAreThePatientsOwn() throws {
        let berlin = try PagesFixture()
        let (html, _) = try handout(berlin, contacts: Contacts(patient: berlin.patient))
        #expect(html.contains("Riverside Spine Physio: <a href=\"tel:+49301234567\">+49 30 1234567</a>"))
        #expect(html.contains("<a href=\"tel:112\">112</a>"))
        let sydney = try PagesFixture(example: "late-leg-pain-patient.yaml")
        let (sydneyHTML, _) = try handout(sydney, contacts: Contacts(patient: sydney.patient))
        #expect(sydneyHTML.contains("Emergency: <a href=\"tel:000\">000</a>"))
        #expect(sydneyHTML.contains("call 000"))
        #expect(!sydneyHTML.contains("your local emergency number"))
        var plain = berlin
        plain.patient.emergencyNumber = nil
        let (plainHTML, _) = try handout(plain, contacts: Contacts(patient: plain.patient))
        #expect(plainHTML.contains("Emergency: your local emergency number"))
        #expect(plainHTML.contains("call your local emergency number"))
        #expect(!plainHTML.contains("tel:112"))
        #expect(plainHTML.contains("href=\"tel:+49301234567\""))
    }

    @Test func everyExerciseAndVariantOfTheLibraryHasItsOwnDrawing() throws {
        let f = try PagesFixture()
        for e in f.library.exercises {
            #expect(Drawings.templateName(for: e) == "drawing-\(e.id)", "\(e.id) has no drawing of its own")
            let svg = try Drawings.svg(for: e)
            #expect(svg.hasPrefix("<svg") && svg.contains("viewBox=\"0 0 200 120\""))
        }
    }

    /// No stroke of a drawing leaves its 200 x 120 canvas (it would be cut off).
    @Test func everyDrawingStaysOnItsCanvas() throws {
        for (name, svg) in EmbeddedTemplates.files where name.hasPrefix("drawing-") {
            var points: [(Double, Double)] = []
            for attribute in ["points=\"", " d=\""] {
                for chunk in svg.components(separatedBy: attribute).dropFirst() {
                    let value = chunk.prefix { $0 != "\"" }
                    var numbers: [Double] = []
                    var current = ""
                    for c in value + " " {
                        if c.isNumber || c == "." || (c == "-" && current.isEmpty) { current.append(c); continue }
                        if let n = Double(current) { numbers.append(n) }
                        current = c == "-" ? "-" : ""
                    }
                    for i in stride(from: 0, to: numbers.count - 1, by: 2) { points.append((numbers[i], numbers[i + 1])) }
                }
            }
            #expect(points.count > 4, "\(name)")
            for (x, y) in points { #expect((0...200).contains(x) && (0...120).contains(y), "\(name): (\(x), \(y))") }
        }
    }

    @Test func weekRowsJoinRunsOfEqualDays() throws {
        let f = try PagesFixture()
        let plan = f.plan(Self.day, days: 7)
        let rows = Handout.weekRows(plan.sessions, library: f.library)
        // Every session is in exactly one row: the rows' day spans add up to the sessions.
        var covered = 0
        for row in rows {
            let parts = row.days.components(separatedBy: " to ")
            let days = plan.sessions.filter { "\($0.slot.time)" == row.time }.map(\.slot.date)
            let first = try #require(days.first { Handout.dayLabel($0) == parts[0] })
            let last = parts.count == 2 ? try #require(days.first { Handout.dayLabel($0) == parts[1] }) : first
            covered += last.days(since: first) + 1
        }
        #expect(covered == plan.sessions.count)
        #expect(rows.count < plan.sessions.count)
    }

    @Test func qrCodeHasItsFinderPatterns() throws {
        let code = try QRCode(encoding: "https://rehab.example.org/p/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG/check-in")
        #expect((code.width - 21) % 4 == 0 && code.width >= 21)
        // The three 7x7 finder squares: dark ring, light ring, dark 3x3 core.
        for (r0, c0) in [(0, 0), (0, code.width - 7), (code.width - 7, 0)] {
            for r in 0..<7 { for c in 0..<7 {
                let ring = max(abs(r - 3), abs(c - 3))
                #expect(code.isDark(row: r0 + r, column: c0 + c) == (ring != 2), "(\(r0 + r), \(c0 + c))")
            } }
        }
        #expect(throws: QRCode.EncodingError.self) { try QRCode(encoding: "") }
    }

    func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}
