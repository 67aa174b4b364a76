import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RehabFormat
import RehabKit
import Testing

/// The check-in's POST -> 303 -> confirmation flow, the confirmation's words, and the form's
/// contacts and preselected "when".
@Suite("rehab serve: the confirmation page")
struct ConfirmationTests {
    @Test func aReloadOfTheConfirmationAddsNoReport() async throws {
        let f = try ServerFixture()
        try await f.server().application().test(.router) { client in
            let r = try await client.post(f.checkInPath, form: "pain=7&when=after&exercise=walking")
            #expect(r.status == .seeOther)
            let location = try #require(r.headers[.location])
            #expect(location.hasPrefix(f.checkInPath + "/saved/"))
            #expect(r.body.readableBytes == 0)
            let first = try await client.get(location)
            let again = try await client.get(location)
            #expect(first.status == .ok && again.status == .ok)
            #expect(first.text == again.text)
            // What was saved, said back: score, when, exercise; red says stop that exercise today.
            #expect(first.text.contains("7 out of 10"))
            #expect(first.text.contains("After exercise"))
            let caution = try #require(try Catalog.shipped().library["walking"]?.caution)
            #expect(first.text.contains("<dd>Walking<br><span class=\"caution\">\(caution)</span></dd>"))
            #expect(first.text.contains("stop Walking for today"))
        }
        #expect(f.logEntries.count == 1)
    }

    /// A general score after exercise is followed by a question for each of today's
    /// exercises that moves on only with its own score; answering one saves a report
    /// naming it, and it is not asked again.
    @Test func exercisesNeedingTheirOwnScoreAreAskedAboutAfterAGeneralOne() async throws {
        let f = try ServerFixture()
        try Data("""
            version: 1
            id: p-0001
            program: late-leg-pain
            procedure: laminectomy
            surgery_date: 2024-05-14
            start_date: 2026-11-09
            timezone: Europe/Berlin

            """.utf8).write(to: f.patientFile)
        try await f.server().application().test(.router) { client in
            let r = try await client.post(f.checkInPath, form: "pain=2&when=after")
            let page = try await client.get(try #require(r.headers[.location])).text
            #expect(page.contains("One more question"))
            #expect(page.contains("<input type=\"hidden\" name=\"exercise\" value=\"nerve-glide-slider\">"))
            #expect(page.contains("action=\"\(f.checkInPath)\""))
            let answer = try await client.post(f.checkInPath, form: "pain=1&when=after&exercise=nerve-glide-slider")
            #expect(answer.status == .seeOther)
            let next = try await client.get(try #require(answer.headers[.location])).text
            #expect(next.contains("1 out of 10"))
            #expect(!next.contains("value=\"nerve-glide-slider\">"))
        }
        let reports = f.logEntries.compactMap { entry -> PainReport? in
            if case .report(let r) = entry { return r }
            return nil
        }
        #expect(reports.map(\.exercise) == [nil, "nerve-glide-slider"])
    }

    @Test func aGreenScoreIsNotToldToStop() async throws {
        let f = try ServerFixture()
        try await f.server().application().test(.router) { client in
            let r = try await client.post(f.checkInPath, form: "pain=2&when=during")
            let page = try await client.get(try #require(r.headers[.location])).text
            #expect(page.contains("2 out of 10"))
            #expect(page.contains("All of today&#39;s exercises"))
            #expect(!page.contains("red zone"))
        }
    }

    @Test func anotherTokenOrAnUnknownReceiptShowsNoDetails() async throws {
        let f = try ServerFixture()
        try await f.server().application().test(.router) { client in
            let r = try await client.post(f.checkInPath, form: "pain=6&when=after")
            let location = try #require(r.headers[.location])
            let receipt = String(location.split(separator: "/").last ?? "")
            let unknown = try await client.get(f.checkInPath + "/saved/0123456789abcdef0123456789abcdef")
            #expect(unknown.status == .ok)
            #expect(unknown.text.contains("no longer shows its details") && !unknown.text.contains("6 out of 10"))
            let wrongToken = try await client.get("/p/\(String(repeating: "A", count: 43))/check-in/saved/\(receipt)")
            #expect(wrongToken.status == .notFound)
        }
    }

    @Test func clinicAndEmergencyNumbersAreTelLinks() async throws {
        let f = try ServerFixture()
        let yaml = try String(contentsOf: f.patientFile, encoding: .utf8)
        try Data((yaml + "clinic:\n  name: Riverside Spine Physio\n  phone: \"+49 30 1234567\"\nemergency_number: \"112\"\n").utf8)
            .write(to: f.patientFile)
        try await f.server().application().test(.router) { client in
            let html = try await client.get(f.checkInPath).text
            #expect(html.contains("href=\"tel:+49301234567\""))
            #expect(html.contains("href=\"tel:112\""))
            #expect(html.contains("Riverside Spine Physio"))
            // Warning signs one tap from the top: the first link of the page goes to them.
            let firstLink = try #require(html.range(of: "<a "))
            #expect(html[firstLink.lowerBound...].hasPrefix("<a class=\"signs\" href=\"#signs\""))
            #expect(html.contains("id=\"signs\""))
            let r = try await client.post(f.checkInPath, form: "flag=chest-pain")
            let advice = try await client.get(try #require(r.headers[.location])).text
            #expect(advice.contains("href=\"tel:112\""))
            #expect(advice.contains("<h2>Chest pain</h2>"))
        }
    }

    /// Without `emergency_number`, the zone's default: Australia/Sydney gives 000 on the
    /// form and the confirmation; Europe/Berlin (shared in tzdata) gives the words.
    @Test(arguments: [("Australia/Sydney", "000"), ("Europe/Berlin", nil)] as [(String, String?)])
    func theEmergencyNumberFollowsTheZone(zone: String, number: String?) async throws {
        let f = try ServerFixture()
        let yaml = try String(contentsOf: f.patientFile, encoding: .utf8)
        try Data(yaml.replacingOccurrences(of: "timezone: Europe/Berlin", with: "timezone: \(zone)").utf8).write(to: f.patientFile)
        try await f.server().application().test(.router) { client in
            let form = try await client.get(f.checkInPath).text
            let r = try await client.post(f.checkInPath, form: "flag=chest-pain")
            let advice = try await client.get(try #require(r.headers[.location])).text
            for html in [form, advice] {
                if let number {
                    #expect(html.contains("href=\"tel:\(number)\">Emergency: call \(number)</a>"))
                    #expect(!html.contains("your local emergency number"))
                } else {
                    #expect(html.contains("your local emergency number"))
                    #expect(!html.contains("tel:"))
                }
            }
        }
    }

    /// A damaged log, or another patient's (a copied log), still gives the form (a warning
    /// sign must always be sendable), without today's sessions, which could be wrong.
    @Test(arguments: [PainLogLine.header(patient: "p-0001") + "\nnot json\n",
                      PainLogLine.header(patient: "p-9999") + "\n"])
    func aDamagedOrForeignLogStillGivesTheForm(log: String) async throws {
        let f = try ServerFixture()
        try Data(log.utf8).write(to: f.logURL)
        try await f.server().application().test(.router) { client in
            let r = try await client.get(f.checkInPath)
            #expect(r.status == .ok)
            #expect(r.text.contains("Today's exercises cannot be shown right now"))
            #expect(r.text.contains("value=\"chest-pain\""))
        }
    }

    /// A refused report's plain answer names a sign in words, never by its flag name.
    @Test func aRefusedAnswerSaysTheSignInWords() async throws {
        let f = try ServerFixture()
        try await f.server().application().test(.router) { client in
            let r = try await client.post(f.checkInPath, form: "pain=11&when=after&flag=spreading")
            #expect(r.status == .badRequest)
            #expect(r.text.contains("Pain moving further down your leg: "))
            #expect(!r.text.contains("spreading") && !r.text.contains("Note ("))
        }
        #expect(f.logEntries.isEmpty)
    }

    /// 08:30 UTC is 09:30 in Berlin, after the program's first session (08:00): "after".
    @Test func afterTheFirstSessionAfterIsPreselected() async throws {
        let f = try ServerFixture()
        try await f.server().application().test(.router) { client in
            let html = try await client.get(f.checkInPath).text
            #expect(html.contains("value=\"after\" checked"))
            #expect(!html.contains("value=\"next-morning\" checked"))
        }
    }
}
