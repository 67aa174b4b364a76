import Foundation
import Testing

@Suite("rehab link (end to end)")
struct LinkCommandTests {
    func links(_ output: String) -> [String: String] {
        var found: [String: String] = [:]
        for line in output.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":"), line.contains("//") else { continue }
            found[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return found
    }

    @Test func createsAnOwnerOnlyTokenAndPrintsTheFourLinks() throws {
        let p = try PatientDir()
        let result = try p.run("link", ["--base-url", "https://rehab.example.org/clinic/"])
        #expect(result.status == 0)
        let tokenURL = p.dir.appendingPathComponent("p.token")
        let token = try String(contentsOf: tokenURL, encoding: .utf8).trimmingCharacters(in: .newlines)
        #expect(token.count == 43)  // 256 bits, base64url
        #expect(token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        let mode = try FileManager.default.attributesOfItem(atPath: tokenURL.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let l = links(result.stdout)
        #expect(l["Calendar feed"] == "https://rehab.example.org/clinic/feeds/\(token)/calendar.ics")
        #expect(l["Subscribe (Apple)"] == "webcal://rehab.example.org/clinic/feeds/\(token)/calendar.ics")
        #expect(l["Google Calendar"] == "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Frehab.example.org%2Fclinic%2Ffeeds%2F\(token)%2Fcalendar.ics")
        #expect(l["Pain check-in"] == "https://rehab.example.org/clinic/p/\(token)/check-in")
    }

    @Test func keepsTheTokenUnlessRotated() throws {
        let p = try PatientDir()
        let tokenURL = p.dir.appendingPathComponent("p.token")
        #expect(try p.run("link").status == 0)
        let first = try String(contentsOf: tokenURL, encoding: .utf8)
        #expect(try p.run("link").status == 0)
        #expect(try String(contentsOf: tokenURL, encoding: .utf8) == first)
        let rotated = try p.run("link", ["--rotate"])
        #expect(rotated.status == 0 && rotated.stdout.contains("no longer works"))
        let second = try String(contentsOf: tokenURL, encoding: .utf8)
        #expect(second != first && second.count == first.count)
    }

    @Test(arguments: ["ftp://x", "not a url", "https://x/?q=1"])
    func badBaseURLIsAUsageError(base: String) throws {
        let p = try PatientDir()
        let result = try p.run("link", ["--base-url", base])
        #expect(result.status == 64)
        #expect(!FileManager.default.fileExists(atPath: p.dir.appendingPathComponent("p.token").path))
    }

    @Test func exportWithBaseURLLinksEachSessionToTheCheckIn() throws {
        let p = try PatientDir()
        #expect(try p.run("link").status == 0)
        let token = try String(contentsOf: p.dir.appendingPathComponent("p.token"), encoding: .utf8)
            .trimmingCharacters(in: .newlines)
        let result = try p.run("export", ["--out", "p.ics", "--as-of", "2026-11-20", "--base-url", "https://rehab.example.org"])
        #expect(result.status == 0)
        let text = try String(contentsOf: p.dir.appendingPathComponent("p.ics"), encoding: .utf8)
            .replacingOccurrences(of: "\r\n ", with: "")
        let sessions = text.components(separatedBy: "BEGIN:VEVENT").filter { $0.contains("CATEGORIES:REHAB-SESSION") }
        #expect(!sessions.isEmpty)
        for event in sessions {
            #expect(event.contains("URL:https://rehab.example.org/p/\(token)/check-in\r\n"))
            #expect(event.contains("Send your scores and warning signs here: https://rehab.example.org/p/\(token)/check-in"))
        }
        // The morning check-in asks for a score too: it carries the link as well.
        let mornings = text.components(separatedBy: "BEGIN:VEVENT").filter { $0.contains("CATEGORIES:REHAB-CHECKIN") }
        #expect(!mornings.isEmpty)
        for event in mornings {
            #expect(event.contains("URL:https://rehab.example.org/p/\(token)/check-in\r\n"))
            #expect(event.contains("Send your scores and warning signs here: https://rehab.example.org/p/\(token)/check-in"))
        }
        // No other event carries a URL; without --base-url nothing changes.
        #expect(text.components(separatedBy: "\r\nURL:").count - 1 == sessions.count + mornings.count)
        #expect(try p.run("export", ["--out", "q.ics", "--as-of", "2026-11-20"]).status == 0)
        let plain = try String(contentsOf: p.dir.appendingPathComponent("q.ics"), encoding: .utf8)
        #expect(!plain.contains("URL:") && !plain.contains("warning signs here:"))
    }

    @Test func exportWithBaseURLNeedsALink() throws {
        let p = try PatientDir()
        let result = try p.run("export", ["--out", "p.ics", "--base-url", "https://rehab.example.org"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("rehab link"))
        #expect(!FileManager.default.fileExists(atPath: p.dir.appendingPathComponent("p.ics").path))
    }
}
