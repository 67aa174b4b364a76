import Foundation
import Testing

/// Hostile text that can reach a calendar through the real `rehab export`: a program's
/// stage titles, restrictions and red-flag advice, the patient file's path (shown in the
/// check-in's `rehab log` line) and notes in the log. None may add a property or a
/// component, and a note never reaches the calendar at all.
@Suite("hostile text in calendar exports (end to end)")
struct HostileCalendarTests {
    static let marker = "NOTE-MARKER-93be"
    static let payload = "x\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil\r\nSUMMARY:INJECTED\r\nX-INJECT:1\r\nEND:VEVENT\r\n"
        + "\u{202E}\u{05E9}\u{05DC}\u{05D5}\u{05DD} \u{1F9B5}\u{1F3FD}"

    /// A YAML double-quoted string holding `text` (CR, LF and NUL escaped).
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
            .replacingOccurrences(of: "\u{0}", with: "\\0") + "\""
    }

    /// Writes a program with the payload in its texts and a patient for it in `folder`.
    static func setUp(_ folder: URL, payload: String) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var program = try String(contentsOf: packageRoot.appendingPathComponent("programs/lumbar-decompression.yaml"),
                                 encoding: .utf8)
        let hostile = quoted(payload)
        program = program.replacingOccurrences(of: "title: Protect and move gently", with: "title: \(hostile)")
            .replacingOccurrences(of: "- text: No bending, lifting or twisting.", with: "- text: \(hostile)")
            .replacingOccurrences(of: "  fever: Stop the exercises.", with: "  fever: \(quoted(payload + " Stop the exercises."))\n  #")
        try Data(program.utf8).write(to: folder.appendingPathComponent("program.yaml"))
        let patient = """
            version: 1
            id: p-0001
            program: program.yaml
            procedure: discectomy
            surgery_date: 2026-11-02
            start_date: 2026-11-09
            timezone: Europe/Berlin
            start_stage: protect

            """
        try Data(patient.utf8).write(to: folder.appendingPathComponent("p.yaml"))
    }

    /// Property and component names rehab writes; anything else would be injected.
    static let allowedNames: Set<String> = [
        "BEGIN", "END", "VERSION", "PRODID", "CALSCALE", "NAME", "X-WR-CALNAME", "REFRESH-INTERVAL", "X-PUBLISHED-TTL",
        "COLOR", "X-REHAB-PATIENT", "TZID", "TZOFFSETFROM", "TZOFFSETTO", "TZNAME", "DTSTART", "RRULE", "RDATE",
        "UID", "DTSTAMP", "SEQUENCE", "SUMMARY", "DESCRIPTION", "DTEND", "DURATION", "CATEGORIES", "STATUS",
        "TRANSP", "CLASS", "ACTION", "TRIGGER", "EXDATE", "LAST-MODIFIED", "X-LIC-LOCATION", "TZURL", "PRIORITY",
    ]

    /// Checks the file's structure; returns the count of each component.
    static func components(_ ics: String) -> [String: Int] {
        #expect(ics.hasSuffix("\r\n"))
        let raw = ics.components(separatedBy: "\r\n").dropLast()
        for line in raw {
            #expect(!line.contains("\n") && !line.contains("\r") && !line.contains("\u{0}"), "a bare line break or NUL")
        }
        // Unfold, then every content line must be a known name.
        var lines: [String] = []
        for line in raw {
            if line.hasPrefix(" ") || line.hasPrefix("\t"), let last = lines.popLast() { lines.append(last + line.dropFirst()) }
            else { lines.append(line) }
        }
        var counts: [String: Int] = [:]
        for line in lines {
            let name = String(line.prefix { $0 != ":" && $0 != ";" })
            #expect(allowedNames.contains(name), "unexpected content line \(line.prefix(60))")
            if name == "BEGIN" { counts[String(line.dropFirst(6)), default: 0] += 1 }
            if name == "END" { counts["END:" + line.dropFirst(4), default: 0] += 1 }
            #expect(!line.hasPrefix("SUMMARY:INJECTED") && !line.hasPrefix("UID:evil"))
        }
        return counts
    }

    static let payloads = [payload, String(repeating: "\u{1F600}\r\n", count: 3_000), "nul \u{0} in text\r\nBEGIN:VALARM"]

    /// (By index: a NUL in a test argument cuts the test's name short.)
    @Test(arguments: payloads.indices)
    func programTextCannotInjectIntoTheCalendar(_ index: Int) throws {
        let payload = Self.payloads[index]
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rehab-hostile-ics-\(UUID().uuidString)")
        let clean = root.appendingPathComponent("clean")
        try Self.setUp(clean, payload: "plain text")
        // The hostile patient folder's own name holds the payload too (it reaches the check-in text).
        let folderName = "dir\r\nBEGIN:VEVENT\r\nX-INJECT:1 \u{202E}\u{1F600}"
        let hostile = root.appendingPathComponent(folderName)
        try Self.setUp(hostile, payload: payload)
        var environment = ProcessInfo.processInfo.environment
        environment["REHAB_NOW"] = "2026-11-20T08:30:00Z"
        // A control character other than a line break or tab (here NUL) in program text is
        // refused when the program is read, so it never reaches a calendar or a terminal.
        if payload.unicodeScalars.contains(where: { $0.value < 0x20 && !["\r", "\n", "\t"].contains($0) }) {
            let refused = try runRehab(["validate", "program.yaml"], in: hostile, environment: environment)
            #expect(refused.status == 65 && refused.stderr.contains("[control-character]"), "\(refused.stderr)")
            return
        }
        for dir in [clean, hostile] {
            let log = try runRehab(["log", "p.yaml", "--flag", "fever", "--at", "2026-11-18T09:00",
                                    "--note", "\(Self.marker)\r\nBEGIN:VEVENT\r\nX-INJECT:1"], in: dir, environment: environment)
            try #require(log.status == 0, "\(log.stderr)")
        }
        let cleanRun = try runRehab(["export", "p.yaml", "--out", "p.ics", "--as-of", "2026-11-16"], in: clean,
                                    environment: environment)
        try #require(cleanRun.status == 0, "\(cleanRun.stderr)")
        let run = try runRehab(["export", "../\(folderName)/p.yaml", "--out", "p.ics", "--as-of", "2026-11-16"], in: hostile,
                               environment: environment)
        try #require(run.status == 0, "\(run.stderr)")
        let ics = String(decoding: try Data(contentsOf: hostile.appendingPathComponent("p.ics")), as: UTF8.self)
        let cleanICS = String(decoding: try Data(contentsOf: clean.appendingPathComponent("p.ics")), as: UTF8.self)
        #expect(Self.components(ics) == Self.components(cleanICS))
        #expect(!ics.contains(Self.marker), "a patient's note reached the calendar")
        #expect(!(run.stdout + run.stderr).contains(Self.marker))
        // Re-export over the hostile file: it reads back as ours and stays the same shape.
        let again = try runRehab(["export", "p.yaml", "--out", "p.ics", "--as-of", "2026-11-17"], in: hostile,
                                 environment: environment)
        #expect(again.status == 0, "\(again.stderr)")
        let second = String(decoding: try Data(contentsOf: hostile.appendingPathComponent("p.ics")), as: UTF8.self)
        #expect(Self.components(second)["VEVENT"] ?? 0 >= Self.components(ics)["VEVENT"] ?? 0)
    }
}
