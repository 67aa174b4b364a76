import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RehabServer
import Testing

@Suite("rehab serve: the calendar feed")
struct FeedTests {
    @Test func feedIsTheCalendarWithCachingHeaders() async throws {
        let f = try ServerFixture()
        try await f.server().application().test(.router) { client in
            let r = try await client.get(f.feedPath)
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "text/calendar; charset=utf-8")
            #expect(r.headers[.cacheControl]?.hasPrefix("private") == true)
            #expect(r.headers[.contentEncoding] == nil)
            let etag = try #require(r.headers[.eTag])
            #expect(etag.hasPrefix("\"") && etag.hasSuffix("\"") && !etag.hasPrefix("W/"))
            #expect(r.headers[.lastModified]?.hasSuffix(" GMT") == true)
            let text = r.text
            #expect(text.hasPrefix("BEGIN:VCALENDAR\r\n") && text.hasSuffix("END:VCALENDAR\r\n"))
            #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
            #expect(text.utf8.count < 1_000_000)
            // Each event that asks for a score (sessions, morning check-ins) links to the check-in page.
            let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
            let events = unfolded.components(separatedBy: "BEGIN:VEVENT")
            let sessions = events.filter { $0.contains("CATEGORIES:REHAB-SESSION") }
            let mornings = events.filter { $0.contains("CATEGORIES:REHAB-CHECKIN") }
            #expect(!sessions.isEmpty && !mornings.isEmpty)
            for event in sessions + mornings {
                #expect(event.contains("URL:https://rehab.example.org/p/\(f.token)/check-in\r\n"))
                #expect(event.contains("Send your scores and warning signs here: https://rehab.example.org/p/\(f.token)/check-in"))
            }
            // An unchanged plan gives the identical body and validators.
            let again = try await client.get(f.feedPath)
            #expect(again.text == text && again.headers[.eTag] == etag)
        }
    }

    @Test func conditionalRequestsGet304() async throws {
        let f = try ServerFixture()
        try await f.server().application().test(.router) { client in
            let first = try await client.get(f.feedPath)
            let etag = try #require(first.headers[.eTag])
            let modified = try #require(first.headers[.lastModified])
            let byTag = try await client.get(f.feedPath, [.ifNoneMatch: etag])
            #expect(byTag.status == .notModified && byTag.body.readableBytes == 0)
            #expect(byTag.headers[.eTag] == etag)
            let byDate = try await client.get(f.feedPath, [.ifModifiedSince: modified])
            #expect(byDate.status == .notModified)
            let stale = try await client.get(f.feedPath, [.ifNoneMatch: "\"0000\""])
            #expect(stale.status == .ok && stale.text == first.text)
            let old = try await client.get(f.feedPath, [.ifModifiedSince: "Mon, 02 Nov 2026 00:00:00 GMT"])
            #expect(old.status == .ok)
        }
    }

    @Test func headAnswersWithHeadersOnly() async throws {
        let f = try ServerFixture()
        try await f.server().application().test(.router) { client in
            let get = try await client.get(f.feedPath)
            let head = try await client.execute(uri: f.feedPath, method: .head)
            #expect(head.status == .ok)
            #expect(head.body.readableBytes == 0)
            #expect(head.headers[.eTag] == get.headers[.eTag])
            #expect(head.headers[.contentLength] == String(get.body.readableBytes))
        }
    }

    @Test func aNewReportChangesTheFeedAndLastModifiedNeverGoesBack() async throws {
        let f = try ServerFixture()
        try await f.server().application().test(.router) { client in
            let first = try await client.get(f.feedPath)
            let r = try await client.post(f.checkInPath, form: "pain=2&when=during")
            #expect(r.status == .seeOther)
            // Make the log look older than anything before: Last-Modified must not go back.
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000_000_000)],
                                                  ofItemAtPath: f.logURL.path)
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000_000_000)],
                                                  ofItemAtPath: f.patientFile.path)
            let second = try await client.get(f.feedPath)
            #expect(second.status == .ok)
            let a = try #require(first.headers[.lastModified].flatMap(Self.date))
            let b = try #require(second.headers[.lastModified].flatMap(Self.date))
            #expect(b >= a)
        }
    }

    static func date(_ text: String) -> Date? {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return f.date(from: text)
    }

    @Test(arguments: ["unknown", "rotated", "malformed", "prefix"])
    func unknownOrRotatedTokensGet404(kind: String) async throws {
        let f = try ServerFixture()
        var chosen = f.token
        switch kind {
        case "unknown": chosen = PatientLink.newToken()
        case "rotated": _ = try PatientLink.create(forPatientFile: f.patientFile, rotate: true)
        case "malformed": chosen = "..%2Fp.yaml"
        default: chosen = String(f.token.dropLast())
        }
        let token = chosen
        try await f.server().application().test(.router) { client in
            for path in ["/feeds/\(token)/calendar.ics", "/p/\(token)/check-in"] {
                let r = try await client.get(path)
                #expect(r.status == .notFound)
                #expect(!r.text.contains("p-0001") && !r.text.contains("BEGIN:VCALENDAR"))
            }
            let post = try await client.post("/p/\(token)/check-in", form: "pain=1&when=after")
            #expect(post.status == .notFound)
        }
        if kind == "rotated" { #expect(f.logEntries.isEmpty) }
    }

    @Test(arguments: ["/", "/feeds", "/feeds/", "/p/", "/p", "/p.yaml", "/p.token", "/feeds/TOKEN/", "/p/TOKEN/",
                      "/feeds/TOKEN/p.yaml", "/feeds/TOKEN/../p.token", "/TOKEN"])
    func noDirectoryListingOrFiles(path: String) async throws {
        let f = try ServerFixture()
        try await f.server().application().test(.router) { client in
            let r = try await client.get(path.replacingOccurrences(of: "TOKEN", with: f.token))
            #expect(r.status == .notFound)
            #expect(!r.text.contains("p.yaml") && !r.text.contains("p.token") && !r.text.contains("p-0001"))
        }
    }
}
