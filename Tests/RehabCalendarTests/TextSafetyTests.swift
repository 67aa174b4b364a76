import Foundation
import RehabKit
import Testing
@testable import RehabCalendar

/// Folding, escaping and injection: any text comes back from a parser exactly as written.
@Suite struct TextSafetyTests {
    static let nasty = [
        "Walk, then; rest \\ done",
        "Line one\nBEGIN:VEVENT\nUID:evil@x\nEND:VEVENT\r\nEND:VCALENDAR",
        "Glide 🦵🏽 gently 😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀 ééééééééééééééééééééééééééééééééééééééééééé",
        String(repeating: "ü", count: 200),
    ]

    func export(name: String, summary: String) throws -> (String, Plan) {
        let zone = try Fixture.zone("Europe/Berlin")
        var exercises = Fixture.library.exercises
        exercises[1].name = name
        exercises[1].summary = summary
        let plan = Fixture.plan(asOf: "2026-11-09", days: 3, times: ["08:00"], zone: zone)
        let ics = try CalendarExporter.export(Fixture.request(plan, zone: zone, library: ExerciseLibrary(exercises: exercises)))
        return (ics, plan)
    }

    @Test(arguments: nasty)
    func foldedEscapedAndNotInjectable(_ text: String) throws {
        let (ics, plan) = try export(name: text, summary: text)
        let bytes = Array(ics.utf8)
        // Every physical line at most 75 octets and valid UTF-8 on its own.
        var lines: [[UInt8]] = [[]]
        var i = 0
        while i < bytes.count {
            if bytes[i] == 13, i + 1 < bytes.count, bytes[i + 1] == 10 { lines.append([]); i += 2; continue }
            #expect(bytes[i] != 10 && bytes[i] != 13, "a bare line break at byte \(i)")
            lines[lines.count - 1].append(bytes[i])
            i += 1
        }
        for line in lines {
            #expect(line.count <= 75, "line of \(line.count) octets")
            #expect(String(validating: line, as: UTF8.self) != nil, "a line splits a UTF-8 character")
        }
        // Exactly our components: the text did not open any.
        let unfolded = ICS.unfolded(ics)
        #expect(unfolded.filter { $0 == "BEGIN:VEVENT" }.count == 2)
        #expect(!unfolded.contains("UID:evil@x"))
        // A parser reads the text back exactly (CR LF in text reads as a line break).
        let occ = try Peer.expand(ics, from: "2026-11-01", to: "2026-12-31")
        let sessions = occ.filter { $0.categories == ["REHAB-SESSION"] }
        #expect(sessions.count == plan.sessions.count)
        let expected = text.replacingOccurrences(of: "\r\n", with: "\n")
        #expect(sessions.allSatisfy { $0.summary.contains(expected) || $0.summary == "Rehab: 2 exercises" })
        #expect(sessions.allSatisfy { $0.description.contains("- \(expected): 10 min. \(expected)") })
    }

    @Test func controlCharactersAreDropped() throws {
        let (ics, _) = try export(name: "Walk\u{07}\u{1B}[31m ok", summary: "fine")
        #expect(!ics.contains("\u{1B}") && !ics.contains("\u{07}"))
        #expect(ics.contains("Walk[31m ok"))
    }

    @Test func recurrenceEncoding() {
        let d = Fixture.date("2026-11-09")  // a Monday
        #expect(Recurrence.encode([d]) == Recurrence(rrule: nil, rdates: []))
        #expect(Recurrence.encode([d, d + 1, d + 2]).rrule == "FREQ=DAILY;COUNT=3")
        #expect(Recurrence.encode([d, d + 2, d + 7, d + 9]).rrule == "FREQ=WEEKLY;COUNT=4;BYDAY=MO,WE")
        #expect(Recurrence.encode([d, d + 1, d + 5, d + 11]) == Recurrence(rrule: "FREQ=DAILY;COUNT=2", rdates: [d + 5, d + 11]))
        #expect(Recurrence.encode([d, d + 3, d + 12]) == Recurrence(rrule: nil, rdates: [d + 3, d + 12]))
    }
}

@Suite struct AtomicFileTests {
    @Test func replacesWholeFilesAndLeavesNoTemporaries() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rehab-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("p.ics").path
        try AtomicFile.write(Data("first".utf8), to: path)
        try AtomicFile.write(Data("second, longer".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second, longer")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["p.ics"])
        #expect {
            try AtomicFile.write(Data("x".utf8), to: dir.appendingPathComponent("missing/p.ics").path)
        } throws: { ($0 as? CalendarError)?.description.contains("missing/p.ics") == true }
    }

    /// A write killed before its rename leaves `.p.ics.tmp-XXXXXX`; the next write sweeps
    /// such leftovers once they are over a minute old, and nothing else.
    @Test func sweepsTemporariesLeftByAKilledWrite() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rehab-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let old = Date(timeIntervalSinceNow: -600)
        for name in [".p.ics.tmp-abc123", ".q.ics.tmp-abc123", ".p.ics.tmp-toolongname", "keep.txt"] {
            let path = dir.appendingPathComponent(name).path
            #expect(FileManager.default.createFile(atPath: path, contents: Data("x".utf8)))
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: path)
        }
        #expect(FileManager.default.createFile(atPath: dir.appendingPathComponent(".p.ics.tmp-fresh1").path,
                                               contents: Data("in progress".utf8)))
        try AtomicFile.write(Data("new".utf8), to: dir.appendingPathComponent("p.ics").path)
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(left == [".p.ics.tmp-fresh1", ".p.ics.tmp-toolongname", ".q.ics.tmp-abc123", "keep.txt", "p.ics"])

        // A batch sweeps its whole folder once: old leftovers of any target go, the rest stays.
        for name in [".tmp-abc123", "..tmp-abc123", ".r.json.tmp-x1y2z3"] {
            let path = dir.appendingPathComponent(name).path
            #expect(FileManager.default.createFile(atPath: path, contents: Data("x".utf8)))
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: path)
        }
        AtomicFile.removeStaleTemporaries(in: dir.path)
        let kept = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(kept == ["..tmp-abc123", ".p.ics.tmp-fresh1", ".p.ics.tmp-toolongname", ".tmp-abc123", "keep.txt", "p.ics"])
    }

    /// What counts as a temporary of ours: `.NAME.tmp-` and six characters.
    @Test func temporaryNames() {
        #expect(AtomicFile.isTemporary(".p.ics.tmp-abc123", of: "p.ics"))
        #expect(AtomicFile.isTemporary(".p.ics.tmp-abc123", of: nil))
        #expect(!AtomicFile.isTemporary(".p.ics.tmp-abc123", of: "q.ics"))
        #expect(!AtomicFile.isTemporary("p.ics.tmp-abc123", of: nil))
        #expect(!AtomicFile.isTemporary(".p.ics.tmp-abc1234", of: nil))
        #expect(!AtomicFile.isTemporary(".tmp-abc123", of: nil))
        #expect(AtomicFile.isTemporary(".a.tmp-b.tmp-abc123", of: "a.tmp-b"))
    }
}
