import Foundation
import Hummingbird
import HummingbirdTesting
import RehabServer
import Testing

/// No event of a feed shows a `rehab ...` command or a file name, and every event
/// that asks for a score carries the check-in link. The shipped example patients, copied
/// under their own file names (pain log included) and linked, served by one server.
@Suite("rehab serve: the words of the example feeds")
struct FeedWordsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func exampleFeedsNeverShowACommandOrAFileName() async throws {
        let examples = Self.root.appendingPathComponent("programs/examples")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rehab-feed-words-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var tokens: [(stem: String, token: String)] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: examples.path).sorted() {
            guard name.hasSuffix(".yaml") || name.hasSuffix(".painlog") else { continue }
            try FileManager.default.copyItem(at: examples.appendingPathComponent(name), to: dir.appendingPathComponent(name))
            if name.hasSuffix(".yaml") {
                let token = try PatientLink.create(forPatientFile: dir.appendingPathComponent(name), rotate: false).token
                tokens.append((String(name.dropLast(5)), token))
            }
        }
        #expect(tokens.count >= 3)
        let linked = tokens
        var config = RehabServer.Configuration(patients: dir)
        config.port = 0
        config.baseURL = "https://rehab.example.org"
        config.now = { ServerFixture.now }
        try await RehabServer(config).application().test(.router) { client in
            for (stem, token) in linked {
                let r = try await client.get("/feeds/\(token)/calendar.ics")
                #expect(r.status == .ok, "\(stem)")
                let events = r.text.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "BEGIN:VEVENT").dropFirst()
                #expect(!events.isEmpty)
                let link = "https://rehab.example.org/p/\(token)/check-in"
                for event in events {
                    for leak in ["rehab ", ".yaml", ".painlog", ".ics", ".token", stem] {
                        #expect(!event.contains(leak), "\(stem): '\(leak)' in\n\(event)")
                    }
                    if event.contains("CATEGORIES:REHAB-SESSION") || event.contains("CATEGORIES:REHAB-CHECKIN") {
                        #expect(event.contains("URL:\(link)\r\n") && event.contains("Send your scores and warning signs here: \(link)"), "\(stem)")
                    }
                }
                #expect(events.contains { $0.contains("CATEGORIES:REHAB-CHECKIN") }, "\(stem): no morning check-in")
            }
        }
    }
}
