import Foundation
import RehabKit
import Testing
@testable import RehabFormat

private func dt(_ text: String) -> LocalDateTime {
    guard let value = LocalDateTime(iso: text) else { preconditionFailure("bad test time \(text)") }
    return value
}

/// A fresh folder for one test's files.
private func tempDir() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("painlog-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

private let sampleEntries: [LogEntry] = [
    .report(PainReport(at: dt("2026-11-20T08:30"), pain: 3, when: .after, exercise: "walking",
                       note: "stiff \"at first\"\nthen fine \u{1}")),
    .report(PainReport(at: dt("2026-11-21T07:45"), pain: 2, when: .nextMorning)),
    .report(PainReport(at: dt("2026-11-22T18:10"), pain: nil, when: .after, flags: [.fever, .spreading])),
    .resume(Resume(at: dt("2026-11-23T10:00"), clearedBy: "Dr Weber")),
    .report(PainReport(at: dt("2026-11-19T12:00"), pain: 0, when: .during, exercise: "nerve-glide-slider", note: "")),
]

@Suite("Pain log")
struct PainLogTests {
    @Test func linesAreStableAndReadable() {
        #expect(PainLogLine.header(patient: "p-0001") == #"{"version":1,"patient":"p-0001"}"#)
        #expect(PainLogLine.encode(sampleEntries[0]) ==
            #"{"at":"2026-11-20T08:30","when":"after","pain":3,"exercise":"walking","flags":[],"note":"stiff \"at first\"\nthen fine \u0001"}"#)
        #expect(PainLogLine.encode(sampleEntries[2]) ==
            #"{"at":"2026-11-22T18:10","when":"after","pain":null,"exercise":null,"flags":["fever","spreading"],"note":null}"#)
        #expect(PainLogLine.encode(sampleEntries[3]) == #"{"at":"2026-11-23T10:00","resume":{"cleared_by":"Dr Weber"}}"#)
    }

    @Test func roundTripThroughTheStore() throws {
        let url = try tempDir().appendingPathComponent("p.painlog")
        for entry in sampleEntries { try PainLogStore.append(entry, to: url, patient: "p-0001") }
        let log = try PainLogStore.read(from: url)
        #expect(log.patient == "p-0001")
        #expect(log.entries == sampleEntries)
        // Reading sorts by time for the readers, keeping the written order otherwise.
        #expect(log.chronological.first == sampleEntries[4])
    }

    @Test func aMissingLogIsEmpty() throws {
        let log = try PainLogStore.read(from: try tempDir().appendingPathComponent("none.painlog"))
        #expect(log.entries.isEmpty && log.patient == nil)
    }

    @Test func logIsNamedAfterThePatientFile() {
        #expect(PainLogStore.logURL(forPatientFile: URL(fileURLWithPath: "/c/p-0001.yaml")).path == "/c/p-0001.painlog")
        #expect(PainLogStore.logURL(forPatientFile: URL(fileURLWithPath: "/c/anna.yml")).path == "/c/anna.painlog")
    }

    @Test func newLogIsPrivate() throws {
        let url = try tempDir().appendingPathComponent("p.painlog")
        try PainLogStore.append(sampleEntries[1], to: url, patient: "p-0001")
        let mode = try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    static let damagedLines: [(String, String)] = [
        ("not json", "not a JSON object"),
        (#"{"at":"2026-11-20T08:30","when":"after","pain":11,"exercise":null,"flags":[],"note":"SECRET"}"#, "\"pain\""),
        (#"{"at":"2026-11-20T08:30","when":"after","pain":3.5,"exercise":null,"flags":[],"note":"SECRET"}"#, "\"pain\""),
        (#"{"at":"2026-11-20T08:30","when":"after","pain":"3","exercise":null,"flags":[],"note":"SECRET"}"#, "\"pain\""),
        (#"{"at":"2026-11-20T08:30","when":"after","pain":null,"exercise":null,"flags":[],"note":"SECRET"}"#, "halting flag"),
        (#"{"at":"2026-11-20T08:30","when":"later","pain":3,"exercise":null,"flags":[],"note":"SECRET"}"#, "\"when\""),
        (#"{"at":"2026-02-30T08:30","when":"after","pain":3,"exercise":null,"flags":[],"note":"SECRET"}"#, "\"at\""),
        (#"{"at":"2026-11-20T08:30","when":"after","pain":3,"exercise":null,"flags":["itchy"],"note":"SECRET"}"#, "unknown flag"),
        (#"{"at":"2026-11-20T08:30","when":"after","pain":3,"mood":"ok","flags":[],"note":"SECRET"}"#, "unknown key"),
        (#"{"at":"2026-11-20T08:30","resume":{"cleared_by":""},"note":"SECRET"}"#, "unknown key"),
        (#"{"at":"2026-11-20T08:30","resume":{"cleared_by":" "}}"#, "cleared_by"),
        (#"{"at":"2026-11-20T08:30","when":"after","pain":3,"exercise":null,"flags":[],"note":"SECRET""#, "not valid JSON"),
        ("", "not a JSON object"),
    ]

    @Test(arguments: damagedLines)
    func damagedLineIsNamedNeverSkipped(line: String, expected: String) throws {
        let good = PainLogLine.encode(sampleEntries[1])
        let text = PainLogLine.header(patient: "p-0001") + "\n" + good + "\n" + line + "\n" + good + "\n"
        let url = try tempDir().appendingPathComponent("p.painlog")
        try Data(text.utf8).write(to: url)
        do {
            _ = try PainLogStore.read(from: url)
            Issue.record("a damaged line was accepted")
        } catch {
            #expect(error.kind == .damaged)
            #expect(error.line == 3)
            #expect(error.description.hasPrefix("\(url.path):3:1: error: [pain-log] "))
            #expect(error.description.contains(expected))
            #expect(!error.description.contains("SECRET"))
        }
    }

    /// All problems of a file in one run. Each damaged line is named (none
    /// quoted), an incomplete last line too, and a long list ends in a count.
    @Test func everyDamagedLineIsNamedInOneRun() throws {
        let good = PainLogLine.encode(sampleEntries[1])
        let bad = Self.damagedLines.map(\.0).filter { !$0.isEmpty }
        var lines = [PainLogLine.header(patient: "p-0001")]
        for (i, line) in bad.enumerated() { lines += [good, line] ; if i == 2 { lines.append(good) } }
        let text = lines.joined(separator: "\n") + "\n" + #"{"at":"2026-11"#
        do {
            _ = try PainLog.parse(Array(text.utf8), file: "p.painlog")
            Issue.record("a damaged log was accepted")
        } catch {
            let expected = lines.indices.filter { bad.contains(lines[$0]) }.map { $0 + 1 } + [lines.count + 1]
            let named = error.description.split(separator: "\n").compactMap { row -> Int? in
                guard row.hasPrefix("p.painlog:") else { return nil }
                return Int(row.dropFirst("p.painlog:".count).prefix { $0 != ":" })
            }
            #expect(named == expected)
            #expect(error.line == expected.first)
            #expect(!error.description.contains("SECRET"))
            #expect(error.description.split(separator: "\n").last?.contains("incomplete") == true)
        }
        // 30 damaged lines: 20 listed, then how many more.
        let many = ([PainLogLine.header(patient: "p-0001")] + Array(repeating: "not json", count: 30)).joined(separator: "\n") + "\n"
        do {
            _ = try PainLog.parse(Array(many.utf8), file: "p.painlog")
            Issue.record("a damaged log was accepted")
        } catch {
            let rows = error.description.split(separator: "\n")
            #expect(rows.count == PainLogError.listLimit + 1)
            #expect(rows.last == "p.painlog: error: [pain-log] 10 more damaged lines not listed")
        }
    }

    @Test func incompleteLastLineIsDamage() throws {
        let text = PainLogLine.header(patient: "p-0001") + "\n" + PainLogLine.encode(sampleEntries[1]) + "\n{\"at\":\"2026-11"
        #expect(throws: PainLogError.self) { try PainLog.parse(Array(text.utf8), file: "p.painlog") }
        do { _ = try PainLog.parse(Array(text.utf8), file: "p.painlog") } catch { #expect(error.line == 3) }
    }

    @Test func headerIsRequiredAndVersioned() {
        let noHeader = PainLogLine.encode(sampleEntries[1]) + "\n"
        let future = #"{"version":2,"patient":"p-0001"}"# + "\n"
        for text in [noHeader, future] {
            do { _ = try PainLog.parse(Array(text.utf8), file: "p.painlog"); Issue.record("accepted") } catch {
                #expect(error.line == 1)
            }
        }
        do { _ = try PainLog.parse(Array(future.utf8), file: "p.painlog") } catch {
            #expect(error.description.contains("version 2"))
        }
    }

    @Test func appendRefusesAnotherPatientsLogAndChangesNothing() throws {
        let url = try tempDir().appendingPathComponent("p.painlog")
        try PainLogStore.append(sampleEntries[1], to: url, patient: "p-0001")
        let before = try Data(contentsOf: url)
        #expect(throws: PainLogError.self) { try PainLogStore.append(sampleEntries[0], to: url, patient: "p-0002") }
        #expect(try Data(contentsOf: url) == before)
    }

    @Test func appendToDamagedLogChangesNothing() throws {
        let url = try tempDir().appendingPathComponent("p.painlog")
        let text = PainLogLine.header(patient: "p-0001") + "\ngarbage\n"
        try Data(text.utf8).write(to: url)
        #expect(throws: PainLogError.self) { try PainLogStore.append(sampleEntries[0], to: url, patient: "p-0001") }
        #expect(try Data(contentsOf: url) == Data(text.utf8))
    }

    /// `keepingDamage` (a warning sign): the entry goes after the damaged lines, which stay
    /// byte for byte; another patient's log is still refused; `check` is not asked.
    @Test func aKeptEntryGoesAfterDamageAndOnlyIntoThePatientsOwnLog() throws {
        let url = try tempDir().appendingPathComponent("p.painlog")
        let torn = PainLogLine.header(patient: "p-0001") + "\ngarbage\n{\"at\":\"2026-11"
        try Data(torn.utf8).write(to: url)
        let damage = try PainLogStore.append(sampleEntries[0], to: url, patient: "p-0001", keepingDamage: true) {
            (_: PainLog) throws(PainLogError) in throw PainLogError(.refused, file: "x", message: "check must not run")
        }
        #expect(damage?.line == 2)
        #expect(damage?.more.map(\.line) == [3])
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text == torn + "\n" + PainLogLine.encode(sampleEntries[0]) + "\n")

        let other = try tempDir().appendingPathComponent("q.painlog")
        let foreign = PainLogLine.header(patient: "p-0002") + "\ngarbage\n"
        try Data(foreign.utf8).write(to: other)
        do {
            try PainLogStore.append(sampleEntries[0], to: other, patient: "p-0001", keepingDamage: true)
            Issue.record("another patient's log took the entry")
        } catch {
            #expect(error.kind == .mismatch)
        }
        #expect(try Data(contentsOf: other) == Data(foreign.utf8))
    }

    @Test func refusedCheckLeavesNoFileBehind() throws {
        let url = try tempDir().appendingPathComponent("p.painlog")
        #expect(throws: PainLogError.self) {
            try PainLogStore.append(sampleEntries[3], to: url, patient: "p-0001") { (log: PainLog) throws(PainLogError) in
                guard log.isHalted(at: dt("2026-11-23T10:00")) else {
                    throw PainLogError(.refused, file: url.path, message: "not halted")
                }
            }
        }
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }

    @Test func appendsAreWholeLinesEvenWhenConcurrent() throws {
        let url = try tempDir().appendingPathComponent("p.painlog")
        let count = 40
        DispatchQueue.concurrentPerform(iterations: count) { i in
            let entry = LogEntry.report(PainReport(at: dt("2026-11-20T08:00"), pain: i % 11, when: .after,
                                                   note: String(repeating: "x", count: 500 + i)))
            do { try PainLogStore.append(entry, to: url, patient: "p-0001") } catch {
                Issue.record("append failed: \(error)")
            }
        }
        let bytes = try Data(contentsOf: url)
        #expect(bytes.last == UInt8(ascii: "\n"))
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == count + 1)
        #expect(lines.filter { $0.hasPrefix("{\"version\"") }.count == 1)
        let log = try PainLogStore.read(from: url)
        #expect(Set(log.reports.compactMap(\.note).map(\.count)) == Set((0..<count).map { 500 + $0 }))
    }

    @Test func oversizedLogIsRefused() throws {
        let url = try tempDir().appendingPathComponent("p.painlog")
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: UInt64(PainLogStore.sizeLimit + 1))  // sparse: costs no disk
        try handle.close()
        do { _ = try PainLogStore.read(from: url); Issue.record("accepted") } catch {
            #expect(error.kind == .tooLarge)
            #expect(error.description.contains("64 MiB"))
        }
        #expect(throws: PainLogError.self) { try PainLogStore.append(sampleEntries[1], to: url, patient: "p-0001") }
    }

    @Test func haltedBetweenAHaltingReportAndAResume() {
        let log = PainLog(patient: "p", entries: [
            .report(PainReport(at: dt("2026-11-20T08:00"), pain: 2, when: .after, flags: [.spreading])),
            .report(PainReport(at: dt("2026-11-21T09:00"), pain: nil, when: .after, flags: [.calfSwelling])),
            .resume(Resume(at: dt("2026-11-22T10:00"), clearedBy: "Dr A")),
        ])
        #expect(!log.isHalted(at: dt("2026-11-20T12:00")))  // spreading does not halt
        #expect(!log.isHalted(at: dt("2026-11-21T08:59")))
        #expect(log.isHalted(at: dt("2026-11-21T09:00")))
        #expect(log.isHalted(at: dt("2026-11-22T09:59")))
        #expect(!log.isHalted(at: dt("2026-11-22T10:00")))
    }
}
