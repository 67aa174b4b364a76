import Foundation
import Testing

/// `rehab export` end to end. What the calendar says is the calendar tests' business;
/// these check the command: exit codes, refusals, determinism, reconciliation, halts.
@Suite("rehab export (end to end)")
struct ExportCommandTests {
    static let asOf = ["--as-of", "2026-11-23"]

    func bytes(_ url: URL) -> Data? { try? Data(contentsOf: url) }

    @Test func writesACalendarAndSaysSoOnStderr() throws {
        let p = try PatientDir()
        let result = try p.run("export", ["--out", "p.ics"] + Self.asOf)
        #expect(result.status == 0)
        // Only the plan's advice (this patient has logged nothing: the ask to log).
        #expect(result.stdout.split(separator: "\n").allSatisfy { $0.hasPrefix("Advice: ") })
        #expect(result.stderr.contains("p.ics: wrote"))
        let text = String(decoding: bytes(p.dir.appendingPathComponent("p.ics")) ?? Data(), as: UTF8.self)
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\n"))
        #expect(text.contains("CATEGORIES:REHAB-SESSION"))
    }

    @Test func reRunsAreByteIdenticalAndMatchAFreshExport() throws {
        let p = try PatientDir()
        try p.log(["--pain", "2", "--when", "after", "--at", "2026-11-19T19:00"])
        #expect(try p.run("export", ["--out", "a.ics"] + Self.asOf).status == 0)
        let first = bytes(p.dir.appendingPathComponent("a.ics"))
        // Over itself (reconciled with the earlier file), on another day's clock.
        let again = try p.run("export", ["--out", "a.ics"] + Self.asOf, now: "2026-11-25T12:00:00Z")
        #expect(again.status == 0)
        #expect(again.stderr.contains("0 new, 0 updated, 0 cancelled"))
        #expect(bytes(p.dir.appendingPathComponent("a.ics")) == first)
        // A fresh file elsewhere.
        #expect(try p.run("export", ["--out", "b.ics"] + Self.asOf).status == 0)
        #expect(bytes(p.dir.appendingPathComponent("b.ics")) == first)
        #expect(first?.isEmpty == false)
    }

    static let foreign: [(String, String)] = [
        ("not a calendar", "not iCalendar text"),
        ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Someone else//EN\r\nEND:VCALENDAR\r\n", "PRODID"),
    ]

    @Test(arguments: foreign)
    func aFileThatIsNotOursIsRefusedAndLeftUntouched(content: String, reason: String) throws {
        let p = try PatientDir()
        let out = p.dir.appendingPathComponent("mine.ics")
        try Data(content.utf8).write(to: out)
        let result = try p.run("export", ["--out", "mine.ics"] + Self.asOf)
        #expect(result.status == 65)
        #expect(result.stderr.contains("mine.ics: error: [output]"))
        #expect(result.stderr.contains("not a rehab calendar export"))
        #expect(result.stderr.contains(reason))
        #expect(result.stderr.contains("left untouched"))
        #expect(bytes(out) == Data(content.utf8))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: p.dir.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test func anotherPatientsExportIsRefused() throws {
        let p = try PatientDir()
        #expect(try p.run("export", ["--out", "p.ics"] + Self.asOf).status == 0)
        let other = try String(contentsOf: p.dir.appendingPathComponent("p.ics"), encoding: .utf8)
            .replacingOccurrences(of: "X-REHAB-PATIENT:p-0001", with: "X-REHAB-PATIENT:p-0009")
        try Data(other.utf8).write(to: p.dir.appendingPathComponent("p.ics"))
        let result = try p.run("export", ["--out", "p.ics"] + Self.asOf)
        #expect(result.status == 65)
        #expect(result.stderr.contains("another patient"))
        #expect(bytes(p.dir.appendingPathComponent("p.ics")) == Data(other.utf8))
    }

    @Test func anOversizedFileIsRefusedWithoutReadingItAll() throws {
        let p = try PatientDir()
        let out = p.dir.appendingPathComponent("big.ics")
        let big = Data(repeating: UInt8(ascii: "A"), count: (8 << 20) + 1)
        try big.write(to: out)
        let result = try p.run("export", ["--out", "big.ics"] + Self.asOf)
        #expect(result.status == 65)
        #expect(result.stderr.contains("larger than 8 MiB"))
        #expect(bytes(out)?.count == big.count)
    }

    static let badCommands: [([String], Int32, String)] = [
        (["--as-of", "2026-11-23"], 64, "--out"),
        (["--out", "p.ics", "--as-of", "23.11.2026"], 64, "--as-of 23.11.2026"),
        (["--out", "p.ics", "--as-of", "2026-02-30"], 65, "no such date"),
        (["--out", "p.ics", "--days", "0"], 65, "--days 0"),
        (["--out", "p.ics", "--days", "367"], 65, "--days 367"),
        (["--out", "."], 65, "folder"),
        (["--out", "no/such/folder/p.ics"], 74, "no/such/folder"),
    ]

    @Test(arguments: badCommands)
    func exitCodes(arguments: [String], code: Int32, fragment: String) throws {
        let p = try PatientDir()
        let result = try p.run("export", arguments)
        #expect(result.status == code)
        #expect(result.stderr.contains(fragment))
        #expect(!FileManager.default.fileExists(atPath: p.dir.appendingPathComponent("p.ics").path))
    }

    @Test func missingAndBrokenPatientFiles() throws {
        let p = try PatientDir()
        var environment = ProcessInfo.processInfo.environment
        environment["REHAB_NOW"] = "2026-11-20T08:30:00Z"
        let missing = try runRehab(["export", "nobody.yaml", "--out", "x.ics"], in: p.dir, environment: environment)
        #expect(missing.status == 74)
        try Data("version: 1\nid: p-0002\nprogram: lumbar-decompression\n".utf8).write(to: p.dir.appendingPathComponent("bad.yaml"))
        let broken = try runRehab(["export", "bad.yaml", "--out", "x.ics"], in: p.dir, environment: environment)
        #expect(broken.status == 65)
        #expect(broken.stderr.contains("bad.yaml:1:1: error: [missing-key]"))
        #expect(!FileManager.default.fileExists(atPath: p.dir.appendingPathComponent("x.ics").path))
    }

    /// After new pain reports, an event that changed has a higher SEQUENCE, one that did
    /// not keeps its SEQUENCE (and its bytes, apart from DTSTAMP).
    @Test func reExportAfterNewReportsRaisesSequenceOfChangedEventsOnly() throws {
        let p = try PatientDir()
        let now = "2026-11-22T20:00:00Z"
        // One report before the first export. Under pain rules version 2 a patient with no
        // recent scores gets the plan's ask to log, and the calendar writes plan advice into
        // every event; with an empty log here the ask would be in all of them and, once the
        // reports below arrive, gone from all of them, so every event would rightly change
        // and none could show that an unchanged one keeps its SEQUENCE.
        try p.log(["--pain", "1", "--when", "after", "--at", "2026-11-22T19:00"], now: now)
        #expect(try p.run("export", ["--out", "p.ics"] + Self.asOf, now: now).status == 0)
        let before = try ICSEvents(p.dir.appendingPathComponent("p.ics"))
        // Three green days in a row: doses progress.
        for day in 19...21 {
            try p.log(["--pain", "1", "--when", "after", "--at", "2026-11-\(day)T19:00"], now: now)
            try p.log(["--pain", "0", "--when", "next-morning", "--at", "2026-11-\(day + 1)T07:00"], now: now)
        }
        let result = try p.run("export", ["--out", "p.ics"] + Self.asOf, now: now)
        #expect(result.status == 0)
        let after = try ICSEvents(p.dir.appendingPathComponent("p.ics"))
        var changed = 0, unchanged = 0
        for (uid, old) in before.byUID {
            guard let new = after.byUID[uid] else {
                Issue.record("event \(uid) vanished instead of being kept or cancelled")
                continue
            }
            if new.content == old.content {
                unchanged += 1
                #expect(new.sequence == old.sequence, "unchanged \(uid) must keep SEQUENCE")
            } else {
                changed += 1
                #expect(new.sequence > old.sequence, "changed \(uid) must raise SEQUENCE")
            }
        }
        #expect(changed > 0)
        #expect(unchanged > 0)
        // The green days raised a dose (stage 2 starts walking at 10 min, so walking shows
        // nothing under version 2; the heel slide steps up by one rep).
        #expect(!before.byUID.values.contains { $0.content.contains("Heel slide: 6 reps") })
        #expect(after.byUID.values.contains { $0.content.contains("Heel slide: 6 reps") })
    }

    @Test func haltedPatientExportsTheAdviceAndNoSessions() throws {
        let p = try PatientDir()
        // Exported first, then a halting report the evening before as_of: every session
        // event of the earlier file lies wholly after it, so each comes back cancelled.
        #expect(try p.run("export", ["--out", "p.ics", "--as-of", "2026-11-20"]).status == 0)
        try p.log(["--flag", "wound-infection", "--at", "2026-11-19T20:00"])
        let result = try p.run("export", ["--out", "p.ics", "--as-of", "2026-11-20"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("STOPPED"))
        #expect(result.stdout.contains("surgical team today"))
        let events = try ICSEvents(p.dir.appendingPathComponent("p.ics"))
        let sessions = events.byUID.values.filter { $0.content.contains("CATEGORIES:REHAB-SESSION") }
        #expect(!sessions.isEmpty)
        #expect(sessions.allSatisfy { $0.content.contains("STATUS:CANCELLED") })
        let fresh = try p.run("export", ["--out", "fresh.ics", "--as-of", "2026-11-20"])
        #expect(fresh.status == 0)
        let text = try String(contentsOf: p.dir.appendingPathComponent("fresh.ics"), encoding: .utf8)
        #expect(!text.contains("CATEGORIES:REHAB-SESSION"))
        #expect(text.lowercased().contains("surgical team"))
    }
}

/// The top-level VEVENTs of an .ics file by UID: SEQUENCE, and the unfolded text without
/// DTSTAMP and SEQUENCE (what a client compares).
struct ICSEvents {
    struct Event { var sequence: Int; var content: String }
    var byUID: [String: Event] = [:]

    init(_ url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines: [String] = []
        for raw in text.components(separatedBy: "\r\n") where !raw.isEmpty {
            if raw.hasPrefix(" "), !lines.isEmpty { lines[lines.count - 1] += raw.dropFirst() } else { lines.append(raw) }
        }
        var current: [String]?
        var depth = 0
        for line in lines {
            if line == "BEGIN:VEVENT" { current = []; depth = 0; continue }
            if line == "END:VEVENT", let body = current {
                let uid = body.first { $0.hasPrefix("UID:") }.map { String($0.dropFirst(4)) } ?? ""
                let sequence = body.first { $0.hasPrefix("SEQUENCE:") }.flatMap { Int($0.dropFirst(9)) } ?? 0
                let content = body.filter { !$0.hasPrefix("DTSTAMP:") && !$0.hasPrefix("SEQUENCE:") }
                byUID[uid] = Event(sequence: sequence, content: content.joined(separator: "\n"))
                current = nil
                continue
            }
            if line.hasPrefix("BEGIN:") { depth += 1 } else if line.hasPrefix("END:") { depth -= 1 }
            current?.append(line)
        }
    }
}
