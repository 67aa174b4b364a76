import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The real server on 127.0.0.1 (an ephemeral port), read by real clients.
@Suite("rehab serve over loopback")
struct LoopbackTests {
    @Test func feedAndFormOverLoopback() async throws {
        let f = try ServerFixture()
        try await f.server().application().test(.live) { client in
            let feed = try await client.get(f.feedPath)
            #expect(feed.status == .ok)
            #expect(feed.headers[.contentType] == "text/calendar; charset=utf-8")
            let etag = try #require(feed.headers[.eTag])
            #expect(try await client.get(f.feedPath, [.ifNoneMatch: etag]).status == .notModified)
            #expect(try await client.post(f.checkInPath, form: "pain=2&when=during").status == .seeOther)
            #expect(try await client.get("/feeds/").status == .notFound)
        }
        #expect(f.logEntries.count == 1)
    }

    /// A subscription as a calendar client makes it: Python's urllib fetches the feed over
    /// HTTP and the `icalendar` package parses it.
    @Test func pythonIcalendarReadsTheSubscription() async throws {
        let f = try ServerFixture()
        let script = """
        import sys, json, urllib.request, icalendar
        with urllib.request.urlopen(sys.argv[1]) as r:
            ctype = r.headers['Content-Type']; body = r.read()
        cal = icalendar.Calendar.from_ical(body)
        events = [e for e in cal.walk('VEVENT')]
        sessions = [e for e in events if 'REHAB-SESSION' in str(e.get('CATEGORIES').to_ical(), 'utf-8')]
        print(json.dumps({"type": ctype, "events": len(events), "sessions": len(sessions),
                          "urls": sorted({str(e.get('URL')) for e in sessions}),
                          "described": all(sys.argv[2] in str(e.get('DESCRIPTION')) for e in sessions)}))
        """
        try await f.server().application().test(.live) { client in
            let port = try #require(client.port)
            let output = try runPython(script, ["http://127.0.0.1:\(port)\(f.feedPath)", "https://rehab.example.org\(f.checkInPath)"])
            let json = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
            #expect(json["type"] as? String == "text/calendar; charset=utf-8")
            #expect((json["sessions"] as? Int ?? 0) > 0)
            #expect(json["urls"] as? [String] == ["https://rehab.example.org\(f.checkInPath)"])
            #expect(json["described"] as? Bool == true)
        }
    }
}

func runPython(_ script: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script] + arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let errors = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw PythonFailed(message: String(decoding: errors, as: UTF8.self))
    }
    return String(decoding: data, as: UTF8.self)
}

struct PythonFailed: Error, CustomStringConvertible {
    var message: String
    var description: String { "python3 failed: \(message)" }
}
