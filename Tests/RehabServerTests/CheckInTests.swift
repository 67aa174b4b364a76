import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RehabFormat
import RehabKit
import Testing

@Suite("rehab serve: the check-in page")
struct CheckInTests {
    @Test func formIsLabelledAndScriptFree() async throws {
        let f = try ServerFixture()
        try await f.server().application().test(.router) { client in
            let r = try await client.get(f.checkInPath)
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "text/html; charset=utf-8")
            let html = r.text
            #expect(!html.lowercased().contains("<script"))
            #expect(html.contains("name=\"viewport\""))
            #expect(!html.contains("p-0001"))
            // Every input, select and textarea has an id with a matching label.
            let ids = html.components(separatedBy: " id=\"").dropFirst().compactMap { $0.split(separator: "\"").first }
                .filter { !["today", "signs"].contains($0) }  // the sections the top links go to
            let expectedInputs = 26  // 11 pain, 3 when, exercise, spreading, note, 9 warning signs
            #expect(ids.count >= expectedInputs)
            for id in ids { #expect(html.contains("for=\"\(id)\""), "no label for \(id)") }
            for n in 0...10 { #expect(html.contains("name=\"pain\" value=\"\(n)\"")) }
            for when in ["during", "after", "next-morning"] { #expect(html.contains("value=\"\(when)\"")) }
            for flag in RedFlag.allCases { #expect(html.contains("value=\"\(flag.rawValue)\"")) }
            #expect(html.contains("value=\"walking\""))  // today's (2026-11-20) exercises only
            #expect(!html.contains("value=\"bird-dog-full\""))
            #expect(html.contains("min-height:48px"))
        }
    }

    @Test func aReportIsAppendedLikeRehabLog() async throws {
        let f = try ServerFixture()
        try await f.server().application().test(.router) { client in
            let r = try await client.post(f.checkInPath, form: "pain=3&when=after&exercise=walking&note=stiff+knee%21")
            #expect(r.status == .seeOther)
            let page = try await client.get(try #require(r.headers[.location]))
            #expect(page.text.contains("Your report is saved"))
        }
        // 08:30 UTC is 09:30 in Berlin in November; the same line `rehab log` writes.
        #expect(f.logText == """
            {"version":1,"patient":"p-0001"}
            {"at":"2026-11-20T09:30","when":"after","pain":3,"exercise":"walking","flags":[],"note":"stiff knee!"}

            """)
        let mode = try FileManager.default.attributesOfItem(atPath: f.logURL.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    static let badForms: [(String, String)] = [
        ("pain=11&when=after", "Pain"),
        ("pain=-1&when=after", "Pain"),
        ("pain=two&when=after", "Pain"),
        ("when=after", "Pain"),
        ("pain=3&when=later", "When"),
        ("pain=3&when=after&exercise=yoga", "Exercise"),
        ("pain=3&when=after&flag=itchy", "Warning signs"),
        ("pain=3&pain=4&when=after", "more than once"),
        ("pain=3&when=after&when=during", "more than once"),
        ("pain=3&when=after&admin=1", "does not know"),
        ("pain=3&when=after&at=2026-11-19", "does not know"),
        ("pain=%ZZ&when=after", "could not be read"),
        ("pain=3&when=after&note=" + String(repeating: "a", count: 2_001), "Note"),
        ("pain=3&when=after&note=" + String(repeating: "%41", count: 12_000), "too large"),
    ]

    @Test(arguments: badForms)
    func badInputGets400AndChangesNothing(form: String, fragment: String) async throws {
        let f = try ServerFixture()
        try await f.server().application().test(.router) { client in
            let ok = try await client.post(f.checkInPath, form: "pain=1&when=after")
            #expect(ok.status == .seeOther)
            let before = f.logText
            let r = try await client.post(f.checkInPath, form: form + "&note2=MY-PRIVATE-NOTE")
            #expect(r.status == .badRequest)
            let r2 = try await client.post(f.checkInPath, form: form)
            #expect(r2.status == .badRequest)
            // A page a phone shows readably, with the way back to the form.
            #expect(r2.headers[.contentType] == "text/html; charset=utf-8")
            #expect(r2.text.contains("<h1>Your report was not saved</h1>"))
            #expect(r2.text.contains("href=\"\(f.checkInPath)\""))
            #expect(r2.text.contains(fragment), "\(r2.text)")
            // Nothing sent is repeated (the page's own style sheet has a class named "later").
            let shown = r2.text.components(separatedBy: "</style>").last ?? r2.text
            #expect(!shown.contains("itchy") && !shown.contains("yoga") && !shown.contains("later"))
            #expect(f.logText == before)
        }
    }

    @Test func wrongContentTypeIs400() async throws {
        let f = try ServerFixture()
        try await f.server().application().test(.router) { client in
            let r = try await client.post(f.checkInPath, form: "{\"pain\":3}", contentType: "application/json")
            #expect(r.status == .badRequest)
        }
        #expect(f.logEntries.isEmpty)
    }

    @Test func aRedFlagIsSavedAndItsAdviceComesFirstAndLarge() async throws {
        let f = try ServerFixture()
        try await f.server().application().test(.router) { client in
            // A halting report is never refused because of another field.
            let r = try await client.post(f.checkInPath, form: "flag=saddle-numbness&pain=99&when=after")
            #expect(r.status == .seeOther)
            let html = try await client.get(try #require(r.headers[.location])).text
            let advice = try #require(html.range(of: "class=\"advice\""))
            let saved = try #require(html.range(of: "Your report is saved"))
            #expect(advice.lowerBound < saved.lowerBound)
            #expect(html.contains("emergency"))
            #expect(html.contains("Numbness between your legs or around your bottom"))
            #expect(!html.contains("saddle-numbness") && !html.contains("WARNING ("))
        }
        guard case .report(let report) = try #require(f.logEntries.first) else { Issue.record("no report"); return }
        #expect(report.flags == [.saddleNumbness] && report.pain == nil)
    }

    /// As with `rehab log`: a warning sign is kept after a damaged line of the log, the
    /// damaged bytes stay as they were; an ordinary report is refused (503, nothing written).
    @Test func aRedFlagIsKeptEvenWhenTheLogHasADamagedLine() async throws {
        let f = try ServerFixture()
        let damaged = PainLogLine.header(patient: "p-0001") + "\nnot json\n"
        try Data(damaged.utf8).write(to: f.logURL)
        try await f.server().application().test(.router) { client in
            let plain = try await client.post(f.checkInPath, form: "pain=2&when=after")
            #expect(plain.status == .serviceUnavailable)
            #expect(f.logText == damaged)
            let flag = try await client.post(f.checkInPath, form: "flag=fever&when=after")
            #expect(flag.status == .seeOther)
            #expect(try await client.get(try #require(flag.headers[.location])).text.contains("Your report is saved"))
        }
        #expect(f.logText.hasPrefix(damaged))
        #expect(f.logText.dropFirst(damaged.count).contains("\"flags\":[\"fever\"]"))
    }

    @Test func postsAreRateLimitedPerToken() async throws {
        let f = try ServerFixture(postLimit: 3)
        try await f.server().application().test(.router) { client in
            var statuses: [HTTPResponse.Status] = []
            var last = ""
            for _ in 0..<5 {
                let r = try await client.post(f.checkInPath, form: "pain=1&when=after")
                statuses.append(r.status)
                last = r.text
            }
            #expect(statuses == [.seeOther, .seeOther, .seeOther, .tooManyRequests, .tooManyRequests])
            // The refusal is a page a phone can read, saying a warning sign still goes through.
            #expect(last.contains("<meta name=\"viewport\""))
            #expect(last.contains("<h1>Too many reports in a short time</h1>"))
            #expect(last.contains("A warning sign is always saved"))
            // Reading the feed is not limited.
            #expect(try await client.get(f.feedPath).status == .ok)
        }
        #expect(f.logEntries.count == 3)
    }

    @Test func logsCarryNoPatientData() async throws {
        let f = try ServerFixture()
        let recorder = LogRecorder()
        try await f.server().application(logger: recorder.logger).test(.router) { client in
            _ = try await client.get(f.feedPath)
            _ = try await client.get(f.checkInPath)
            _ = try await client.post(f.checkInPath, form: "pain=3&when=after&note=SECRET-NOTE-TEXT")
            _ = try await client.post(f.checkInPath, form: "pain=33&when=after&note=SECRET-NOTE-TEXT")
            _ = try await client.get("/feeds/\(f.token)x/calendar.ics")
        }
        // The patient file turns unreadable: the error is logged without data.
        try Data("version: 1\nid: p-0001\n".utf8).write(to: f.patientFile)
        try await f.server().application(logger: recorder.logger).test(.router) { client in
            let status = try await client.get(f.feedPath).status
            #expect(status == .serviceUnavailable)
        }
        let logs = recorder.text
        #expect(logs.contains("check-in saved"))
        #expect(logs.contains("feed could not be built"))
        for secret in [f.token, "p-0001", "SECRET-NOTE-TEXT", f.dir.path, "p.yaml"] {
            #expect(!logs.contains(secret), "log mentions \(secret)")
        }
    }
}
