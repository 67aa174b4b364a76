import Foundation
import Testing

/// Hostile text through the real binary: notes and names with CR/LF, iCalendar lines,
/// NUL, right-to-left text, emoji and very long strings; patient ids that try to leave
/// their folder; and error messages that must never repeat a patient's note.
@Suite("hostile text (end to end)")
struct HostileTextTests {
    static let marker = "PRIVATE-NOTE-MARKER-41c9"

    static let hostileNotes = [
        "line one\r\nline two\rthree\nfour",
        "x\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:injected\r\nDTSTART:20261120T090000Z\r\nEND:VEVENT",
        "\u{202E}txet tfel-ot-thgir \u{05E9}\u{05DC}\u{05D5}\u{05DD} \u{0645}\u{0631}\u{062D}\u{0628}\u{0627}",
        "emoji \u{1F9B5}\u{1F3FD} \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}",
        String(repeating: "\u{1F600}", count: 2_000),  // the longest note allowed, 8,000 bytes
        "-starts with a dash; \"quotes\", \\backslash\\, {\"json\":1}\n{\"at\":\"2026-11-20T09:00\"}",
    ]

    @Test(arguments: hostileNotes)
    func aHostileNoteIsKeptExactlyOnOneLine(_ note: String) throws {
        let p = try PatientDir()
        try p.log(["--pain", "3", "--when", "after", "--at", "2026-11-19T09:00", "--note", note])
        try p.log(["--pain", "2", "--when", "during", "--at", "2026-11-19T10:00"])
        #expect(p.logLines.count == 2)
        let history = try p.run("history", ["--format", "json"])
        #expect(history.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [String: Any]
        let reports = json?["reports"] as? [[String: Any]] ?? []
        #expect(reports.count == 2)
        #expect(reports.first?["note"] as? String == note)
        // The text view shows it on one line too.
        let text = try p.run("history")
        #expect(text.status == 0)
        #expect(!text.stdout.contains("\r"))
        #expect(!text.stdout.contains("\nBEGIN:VEVENT"))
        // Plans still work with it in the log.
        #expect(try p.run("plan", ["--as-of", "2026-11-20"]).status == 0)
    }

    @Test func aNoteOneCharacterTooLongIsRefusedWithoutEchoingIt() throws {
        let p = try PatientDir()
        let note = Self.marker + String(repeating: "a", count: 2_001 - Self.marker.count)
        let result = try p.run("log", ["--pain", "3", "--when", "after", "--note", note])
        #expect(result.status == 65)
        #expect(!(result.stdout + result.stderr).contains(Self.marker))
        #expect(p.logBytes == nil)
    }

    static let invalidFields: [[String]] = [
        ["--pain", "11", "--when", "after"],
        ["--pain", "x", "--when", "after"],
        ["--when", "after"],
        ["--pain", "3", "--when", "later"],
        ["--pain", "3", "--when", "after", "--exercise", "no-such-exercise"],
        ["--pain", "3", "--when", "after", "--at", "2026-13-45"],
        ["--pain", "3", "--when", "after", "--at", "tomorrow"],
        ["--pain", "3", "--when", "after", "--at", "2027-01-01T08:00"],
        ["--pain", "3", "--when", "after", "--flag", "not-a-flag"],
        ["--pain", "3", "--when", "after", "--bogus"],
    ]

    @Test(arguments: invalidFields)
    func aRefusedReportNeverEchoesItsNote(_ arguments: [String]) throws {
        let p = try PatientDir()
        let result = try p.run("log", arguments + ["--note", "my knee \(Self.marker) hurts"])
        #expect(result.status == 64 || result.status == 65)
        #expect(!(result.stdout + result.stderr).contains(Self.marker), "\(arguments): the note was echoed")
        #expect(p.logBytes == nil, "a refused report changed the log")
    }

    @Test func aHaltingReportWithABadFieldKeepsTheNoteButDoesNotPrintIt() throws {
        let p = try PatientDir()
        let result = try p.run("log", ["--pain", "12", "--when", "later", "--flag", "fever",
                                       "--note", "\(Self.marker)\r\nBEGIN:VEVENT"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("warning"))
        #expect(!(result.stdout + result.stderr).contains(Self.marker))
        #expect(p.logLines.count == 1)
        #expect(p.logLines.first?.contains(Self.marker) == true)
    }

    @Test func aDamagedLogIsReportedWithoutQuotingTheNote() throws {
        let p = try PatientDir()
        try p.log(["--pain", "3", "--when", "after", "--at", "2026-11-19T09:00", "--note", Self.marker])
        var text = String(decoding: p.logBytes ?? Data(), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"pain\":3", with: "\"pain\":\"\(Self.marker)\"")
        text += #"{"at":"2026-11-19T10:00","\#(Self.marker)":1}"# + "\n"
        try Data(text.utf8).write(to: p.logURL)
        for command in ["history", "plan", "explain"] {
            let result = try p.run(command)
            #expect(result.status == 65, "\(command) accepted a damaged log")
            #expect(result.stderr.contains("p.painlog:2:1"))
            #expect(!(result.stdout + result.stderr).contains(Self.marker), "\(command) quoted the damaged line")
        }
        let append = try p.run("log", ["--pain", "1", "--when", "after", "--note", Self.marker])
        #expect(append.status == 65)
        #expect(!(append.stdout + append.stderr).contains(Self.marker))
    }

    @Test(arguments: ["Dr Weber\r\nBEGIN:VEVENT", "Dr \u{0}Weber", String(repeating: "W", count: 10_000)])
    func aHostileClinicianNameIsRefusedOrKeptOnOneLine(_ name: String) throws {
        let p = try PatientDir()
        try p.log(["--flag", "fever", "--at", "2026-11-19T09:00"])
        let result = try p.run("resume", ["--cleared-by", name, "--at", "2026-11-19T12:00"])
        #expect(result.status == 0 || result.status == 65)
        #expect(p.logLines.count == (result.status == 0 ? 2 : 1))
        #expect(try p.run("history").status == 0)
    }

    static let escapingIDs = ["../p-0001", "a/b", "/tmp/p-0001", "..", "p..0001", "p-0001/..", ".hidden",
                              "p\\u0000x", "p\\r\\nx", "p-0001 ", String(repeating: "p", count: 65)]

    @Test(arguments: escapingIDs)
    func aPatientIdThatCouldLeaveItsFolderIsRefused(_ id: String) throws {
        let p = try PatientDir()
        let yaml = try String(contentsOf: p.dir.appendingPathComponent("p.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "id: p-0001", with: "id: \"\(id)\"")
        try Data(yaml.utf8).write(to: p.dir.appendingPathComponent("p.yaml"))
        let before = try FileManager.default.contentsOfDirectory(atPath: p.dir.deletingLastPathComponent().path)
        for (command, arguments) in [("log", ["--pain", "3", "--when", "after"]), ("plan", []), ("validate", [])] {
            let result = try p.run(command, arguments)
            #expect(result.status == 65, "\(command) accepted id \(id)")
            // A NUL is refused as a control character before it is judged as an id.
            #expect(result.stderr.contains("[patient-id]") || (id.contains("\\u0000") && result.stderr.contains("[control-character]")))
        }
        #expect(p.logBytes == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: p.dir.path) == ["p.yaml"])
        let after = try FileManager.default.contentsOfDirectory(atPath: p.dir.deletingLastPathComponent().path)
        // Other tests make folders in the same temporary folder meanwhile: look for ours only.
        let ours = Set(after).subtracting(before).filter { $0.hasSuffix(".painlog") || $0.hasSuffix(".ics") || $0.hasPrefix("p-0001") }
        #expect(ours.isEmpty, "a file appeared beside the patient folder: \(ours)")
    }

    @Test func hostileValuesInThePatientFileAreRefusedCleanly() throws {
        for (key, value) in [("timezone", "\"Europe/Berlin\\r\\nX-INJECT:1\""), ("program", "\"lumbar\\u0000decompression\""),
                             ("start_stage", "\"protect\\nBEGIN:VEVENT\""), ("program", "/dev/zero")] {
            let p = try PatientDir(extraYAML: key == "start_stage" ? "\(key): \(value)\n" : "")
            if key != "start_stage" {
                let path = p.dir.appendingPathComponent("p.yaml")
                let lines = try String(contentsOf: path, encoding: .utf8).split(separator: "\n")
                    .map { $0.hasPrefix("\(key):") ? "\(key): \(value)" : String($0) }
                try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: path)
            }
            let result = try p.run("plan")
            #expect(result.status == 65, "\(key): \(value) was accepted")
            #expect(result.stderr.contains("p.yaml:"), "\(key): no position in \(result.stderr)")
        }
    }
}
