import Foundation
import Testing
@testable import RehabCLI
import RehabFormat

@Suite("rehab batch (end to end)")
struct BatchCommandTests {
    static let asOf = ["--as-of", "2026-11-23"]

    /// Good, halted and bad patient files together, with a program file and files to ignore.
    @Test func mixedClinicWritesTheGoodOnesAndListsEveryOutcome() throws {
        let c = try ClinicDir()
        try c.addPatient("a.yaml", id: "p-a")
        try c.addPatient("sub/b.yml", id: "p-b", zone: "America/New_York")
        try c.addPatient("sub/deep/h.yaml", id: "p-h")
        try c.addPatient("n.yaml", id: "p-n")
        try c.write("in/bad.yaml", "version: 1\nid: p-bad\nprogram: lumbar-decompression\n")
        try c.write("in/prog.yaml", String(decoding: try Data(contentsOf: packageRoot.appendingPathComponent("programs/lumbar-fusion.yaml")), as: UTF8.self))
        try c.write("in/.hidden.yaml", "not: [a patient")
        try c.write("in/readme.txt", "ignored")
        let halt = try c.run(["log", "in/sub/deep/h.yaml", "--flag", "fever", "--at", "2026-11-19T20:00", "--note", "SECRET-NOTE"])
        #expect(halt.status == 0)
        // A damaged pain log whose bad line holds a note: the reason must not quote it.
        try c.write("in/n.painlog", "{\"version\":1,\"patient\":\"p-n\"}\n{\"at\":\"2026-11-19T10:00\",\"note\":\"SECRET-NOTE\" oops\n")

        let result = try c.run(["batch", "in", "--out", "out", "--summary", "summary.json"] + Self.asOf)
        #expect(result.status == 65)
        #expect(c.files("out") == ["p-a.ics", "p-a.json", "p-b.ics", "p-b.json", "p-h.ics", "p-h.json"])
        #expect(result.stderr.contains("rehab batch: planned 2, halted 1, failed 2; skipped 1 program/library file"))
        #expect(result.stderr.contains("halted: p-h (sub/deep/h.yaml): fever"))
        #expect(result.stderr.contains("failed: bad.yaml"))
        #expect(result.stderr.contains("in/bad.yaml:1:1: error: [missing-key]"))
        #expect(result.stderr.contains("failed: n.yaml"))
        #expect(result.stderr.contains("[pain-log]"))
        #expect(!result.stderr.contains("SECRET-NOTE"))
        #expect(!result.stderr.contains("prog.yaml"))
        #expect(!(String(data: c.bytes("summary.json") ?? Data(), encoding: .utf8) ?? "SECRET-NOTE").contains("SECRET-NOTE"))

        let summary = try c.summary("summary.json")
        #expect(summary["schema"] as? Int == 1)
        #expect(summary["as_of"] as? String == "2026-11-23")
        let counts = summary["counts"] as? [String: Int]
        #expect(counts == ["patients": 5, "planned": 2, "halted": 1, "failed": 2, "skipped": 1])
        let patients = summary["patients"] as? [[String: Any]] ?? []
        #expect(patients.map { $0["file"] as? String } == ["a.yaml", "bad.yaml", "n.yaml", "sub/b.yml", "sub/deep/h.yaml"])
        #expect(patients.map { $0["status"] as? String } == ["planned", "failed", "failed", "planned", "halted"])
        #expect(patients.map { $0["id"] as? String } == ["p-a", nil, "p-n", "p-b", "p-h"])
        #expect(patients[4]["flags"] as? [String] == ["fever"])
        #expect(patients[0]["flags"] as? [String] == [])
        #expect(patients[0]["error"] is NSNull)
        #expect((patients[1]["error"] as? String)?.contains("missing the key 'surgery_date'") == true)
        #expect(patients[1]["as_of"] is NSNull)
        #expect(patients[4]["as_of"] as? String == "2026-11-23")
    }

    /// The finder: YAML files in any subfolder; hidden entries, other names and a folder
    /// named like a YAML file left out; links (to a file, dangling, to a folder) are
    /// entries it refuses, so the batch lists them as failed.
    @Test func finderListsCandidatesInByteOrder() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rehab-finder-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let fm = FileManager.default
        for folder in ["sub/deep", ".hidden", "dir.yaml", "other"] {
            try fm.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        for file in ["b.yaml", "a.yml", "Z.yaml", "sub/c.yaml", "sub/deep/d.yaml", ".e.yaml", ".hidden/f.yaml",
                     "dir.yaml/g.yaml", "notes.txt", "p.painlog", "other/h.yaml"] {
            #expect(fm.createFile(atPath: root.appendingPathComponent(file).path, contents: Data("x".utf8)))
        }
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("linked.yaml").path, withDestinationPath: "b.yaml")
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("loop").path, withDestinationPath: ".")
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("gone.yaml").path, withDestinationPath: "missing.yaml")
        #expect(try BatchFinder.candidates(in: root.path)
                == ["Z.yaml", "a.yml", "b.yaml", "dir.yaml/g.yaml", "other/h.yaml", "sub/c.yaml", "sub/deep/d.yaml"])
        let refused = try BatchFinder.entries(in: root.path).filter { $0.refusal != nil }.map(\.path)
        #expect(refused == ["gone.yaml", "linked.yaml", "loop/"])
    }

    @Test func allGoodExitsZeroAndAHaltedPatientIsNotAFailure() throws {
        let c = try ClinicDir()
        try c.addPatient("a.yaml", id: "p-a")
        try c.addPatient("h.yaml", id: "p-h")
        #expect(try c.run(["log", "in/h.yaml", "--flag", "chest-pain", "--at", "2026-11-19T20:00"]).status == 0)
        let result = try c.run(["batch", "in", "--out", "new/out", "--format", "ics"] + Self.asOf)
        #expect(result.status == 0)
        #expect(c.files("new/out") == ["p-a.ics", "p-h.ics"])
        #expect(result.stderr.contains("planned 1, halted 1, failed 0"))
        #expect(result.stderr.contains("halted: p-h (h.yaml): chest-pain"))
    }

    /// Each `<id>.json` is exactly `rehab plan --format json`, with a fixed date and with
    /// each patient's own today (two zones on different dates at this instant).
    @Test(arguments: [[String](), ["--as-of", "2026-11-23", "--days", "10"]])
    func batchJSONIsPlanJSONAndBatchICSIsExport(extra: [String]) throws {
        let c = try ClinicDir()
        try c.addPatient("a.yaml", id: "p-a", zone: "Pacific/Auckland")
        try c.addPatient("x/b.yaml", id: "p-b", zone: "America/Los_Angeles",
                         extra: "session_times: [\"07:00\", \"12:00\"]\nbaseline_pain: 2\n")
        #expect(try c.run(["log", "in/x/b.yaml", "--pain", "5", "--when", "after", "--at", "2026-11-19T12:30"]).status == 0)
        let now = "2026-11-20T20:00:00Z"  // the 21st in Auckland, the 20th in Los Angeles
        #expect(try c.run(["batch", "in", "--out", "out"] + extra, now: now).status == 0)
        for (file, id) in [("in/a.yaml", "p-a"), ("in/x/b.yaml", "p-b")] {
            let plan = try c.run(["plan", file, "--format", "json"] + extra, now: now)
            #expect(plan.status == 0)
            #expect(c.bytes("out/\(id).json") == Data(plan.stdout.utf8), "\(id).json differs from rehab plan")
            let days = extra.isEmpty ? ["--days", "7"] : []
            #expect(try c.run(["export", file, "--out", "\(id).ics"] + days + extra, now: now).status == 0)
            #expect(c.bytes("out/\(id).ics") == c.bytes("\(id).ics"), "\(id).ics differs from rehab export")
        }
        let auckland = try JSONSerialization.jsonObject(with: c.bytes("out/p-a.json") ?? Data()) as? [String: Any]
        let losAngeles = try JSONSerialization.jsonObject(with: c.bytes("out/p-b.json") ?? Data()) as? [String: Any]
        #expect(auckland?["as_of"] as? String == (extra.isEmpty ? "2026-11-21" : "2026-11-23"))
        #expect(losAngeles?["as_of"] as? String == (extra.isEmpty ? "2026-11-20" : "2026-11-23"))
    }

    /// A weekly re-run updates each calendar in place, as `rehab export` over the earlier file.
    @Test func weeklyReRunReconcilesWithTheEarlierCalendar() throws {
        let c = try ClinicDir()
        try c.addPatient("a.yaml", id: "p-a")
        #expect(try c.run(["batch", "in", "--out", "out"] + Self.asOf).status == 0)
        try FileManager.default.copyItem(at: c.root.appendingPathComponent("out/p-a.ics"), to: c.root.appendingPathComponent("mine.ics"))
        #expect(try c.run(["log", "in/a.yaml", "--pain", "7", "--when", "after", "--at", "2026-11-24T19:00"], now: "2026-11-25T08:00:00Z").status == 0)
        #expect(try c.run(["batch", "in", "--out", "out", "--as-of", "2026-11-30"]).status == 0)
        #expect(try c.run(["export", "in/a.yaml", "--out", "mine.ics", "--as-of", "2026-11-30", "--days", "7"]).status == 0)
        #expect(c.bytes("out/p-a.ics") == c.bytes("mine.ics"))
        let text = String(decoding: c.bytes("mine.ics") ?? Data(), as: UTF8.self)
        #expect(text.contains("DTSTART;TZID=Europe/Berlin:20261123"), "events before as_of are kept")
    }

    @Test func aForeignCalendarInTheOutputFolderFailsThatPatientOnly() throws {
        let c = try ClinicDir()
        try c.addPatient("a.yaml", id: "p-a")
        try c.addPatient("b.yaml", id: "p-b")
        try c.write("out/p-a.ics", "my own calendar")
        let result = try c.run(["batch", "in", "--out", "out"] + Self.asOf)
        #expect(result.status == 65)
        #expect(result.stderr.contains("failed: a.yaml"))
        #expect(result.stderr.contains("not a rehab calendar export"))
        #expect(c.bytes("out/p-a.ics") == Data("my own calendar".utf8))
        #expect(c.files("out") == ["p-a.ics", "p-b.ics", "p-b.json"])
    }

    @Test func twoFilesWithOneIdBothFail() throws {
        let c = try ClinicDir()
        try c.addPatient("a.yaml", id: "p-same")
        try c.addPatient("b/a.yaml", id: "p-same")
        try c.addPatient("c.yaml", id: "p-c")
        let result = try c.run(["batch", "in", "--out", "out", "--summary", "s.json"] + Self.asOf)
        #expect(result.status == 65)
        #expect(result.stderr.contains("patient id p-same is used by 2 files (a.yaml, b/a.yaml)"))
        let counts = try c.summary("s.json")["counts"] as? [String: Int]
        #expect(counts?["failed"] == 2)
        #expect(counts?["planned"] == 1)
        // Failed means nothing written (docs/json.md): neither file's plan lands under the id.
        #expect(c.files("out") == ["p-c.ics", "p-c.json"])
    }

    /// A broken file that only seems to share an id does not take it from a valid one:
    /// files that seem to share an id are read in full before any is failed.
    @Test func aBrokenFileDoesNotTakeAValidFilesId() throws {
        let c = try ClinicDir()
        try c.addPatient("a.yaml", id: "p-same")
        try c.write("in/b.yaml", "version: 1\nid: p-same\nprogram: lumbar-decompression\n")  // no dates, no zone
        let result = try c.run(["batch", "in", "--out", "out"] + Self.asOf)
        #expect(result.status == 65)
        #expect(result.stderr.contains("failed: b.yaml"))
        #expect(!result.stderr.contains("is used by"))
        #expect(c.files("out") == ["p-same.ics", "p-same.json"])
    }

    /// The id line read without YAML agrees with the YAML reader, or declines.
    @Test func quickIDAgreesWithTheReaderOrDeclines() throws {
        let head = "version: 1\n"
        let tail = "\nprogram: lumbar-decompression\nprocedure: discectomy\nsurgery_date: 2026-11-02\n"
            + "start_date: 2026-11-09\ntimezone: Europe/Berlin\n"
        let plain = ["id: p-0001", "id:   p-0001   ", "id: 'p-0001'", "id: \"p-0001\"  # the ward's number",
                     "id: p-0001 # comment", "id: P_1.2-x"]
        for line in plain {
            let text = head + line + tail
            let id = try #require(BatchRunner.quickID(text), "declined: \(line)")
            let (patient, _) = try PatientReader.readResolved(text: text, file: "p.yaml", catalog: Catalog.shipped())
            #expect(patient.id == id, "\(line)")
        }
        #expect(BatchRunner.quickID("\u{FEFF}" + head + "id: p-1\r\nprogram: x\r\n") == "p-1")
        let declined = ["id: p-1\nid: p-2", "id: |\n  p-1", "id: &a p-1", "id: !!str p-1", "id: 'p-''1'",
                        "id: \"p\\x2d1\"", "id: p..1", "id: p-1#x", "id:p-1", "id: [p-1]"]
        for line in declined {
            #expect(BatchRunner.quickID(head + line + tail) == nil, "\(line)")
        }
        #expect(BatchRunner.quickID("---\n" + head + "id: p-1" + tail) == nil)
        #expect(BatchRunner.quickID("{version: 1, id: p-1, program: x}") == nil)
        #expect(BatchRunner.quickID(head + "id: p-1\n") == nil)  // no program line: not a patient file
    }

    /// A clinic of 30 patient files in nested folders.
    func bigClinic() throws -> ClinicDir {
        let c = try ClinicDir()
        let zones = ["Europe/Berlin", "America/New_York", "Australia/Sydney"]
        for i in 0..<30 {
            try c.addPatient("ward-\(i % 4)/room-\(i % 3)/patient-\(i).yaml", id: String(format: "p-%04d", i), zone: zones[i % 3])
        }
        return c
    }

    @Test func shardsAreDisjointStableAndCoverEveryPatient() throws {
        let c = try bigClinic()
        #expect(try c.run(["batch", "in", "--out", "all", "--format", "json"] + Self.asOf).status == 0)
        let all = c.files("all")
        #expect(all.count == 30)
        var seen: [String: Int] = [:]
        for k in 1...3 {
            let result = try c.run(["batch", "in", "--out", "shard-\(k)", "--format", "json", "--shard", "\(k)/3"] + Self.asOf)
            #expect(result.status == 0)
            #expect(result.stderr.contains("(shard \(k)/3)"))
            let part = c.files("shard-\(k)")
            #expect(!part.isEmpty && part.count < 30, "a third of 30 should be neither empty nor everything")
            for name in part {
                seen[name, default: 0] += 1
                #expect(c.bytes("shard-\(k)/\(name)") == c.bytes("all/\(name)"))
            }
        }
        #expect(seen.keys.sorted() == all)
        #expect(seen.values.allSatisfy { $0 == 1 })
        // The same shard again takes the same files.
        #expect(try c.run(["batch", "in", "--out", "again", "--format", "json", "--shard", "2/3"] + Self.asOf).status == 0)
        #expect(c.files("again") == c.files("shard-2"))
        // One shard of one is everything.
        #expect(try c.run(["batch", "in", "--out", "one", "--format", "json", "--shard", "1/1"] + Self.asOf).status == 0)
        #expect(c.files("one") == all)
    }

    @Test func oneWorkerAndSeveralWriteTheSameBytes() throws {
        let c = try bigClinic()
        for jobs in ["1", "2", "5"] {
            let result = try c.run(["batch", "in", "--out", "jobs-\(jobs)", "--jobs", jobs, "--summary", "s-\(jobs).json"] + Self.asOf)
            #expect(result.status == 0)
        }
        let names = c.files("jobs-1")
        #expect(names.count == 60)
        for jobs in ["2", "5"] {
            #expect(c.files("jobs-\(jobs)") == names)
            for name in names { #expect(c.bytes("jobs-\(jobs)/\(name)") == c.bytes("jobs-1/\(name)"), "\(name) with --jobs \(jobs)") }
            #expect(c.bytes("s-\(jobs).json") == c.bytes("s-1.json"))
        }
    }

    static let badCommands: [([String], Int32, String)] = [
        (["batch", "nowhere", "--out", "out"], 74, "no such folder"),
        (["batch", "in/a.yaml", "--out", "out"], 65, "takes a folder"),
        (["batch", "in", "--out", "in/a.yaml"], 65, "--out takes a folder"),
        (["batch", "in"], 64, "--out"),
        (["batch", "in", "--out", "out", "--shard", "0/3"], 65, "--shard 0/3"),
        (["batch", "in", "--out", "out", "--shard", "4/3"], 65, "--shard 4/3"),
        (["batch", "in", "--out", "out", "--shard", "half"], 64, "--shard half"),
        (["batch", "in", "--out", "out", "--jobs", "0"], 65, "--jobs 0"),
        (["batch", "in", "--out", "out", "--days", "0"], 65, "--days 0"),
        (["batch", "in", "--out", "out", "--format", "pdf"], 64, "pdf"),
        (["batch", "in", "--out", "out", "--as-of", "2026-13-01"], 65, "no such date"),
    ]

    @Test(arguments: badCommands)
    func usageAndInputErrors(arguments: [String], code: Int32, fragment: String) throws {
        let c = try ClinicDir()
        try c.addPatient("a.yaml", id: "p-a")
        let result = try c.run(arguments)
        #expect(result.status == code)
        #expect(result.stderr.contains(fragment))
        #expect(c.files("out").isEmpty)
    }

    @Test func fnv1aIsTheStandardStableHash() {
        #expect(Shard.fnv1a64("") == 0xcbf2_9ce4_8422_2325)
        #expect(Shard.fnv1a64("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(Shard.fnv1a64("foobar") == 0x8594_4171_f739_67e8)
    }
}
