import Foundation
import Testing

/// `rehab validate` end to end through the real binary.
struct ValidateCommandTests {
    static let valid = ["valid/library.yaml", "valid/program.yaml"]

    static func brokenNames() -> [String] {
        let folder = formatFixtures.appendingPathComponent("broken")
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.sorted()
    }

    @Test func theShippedProgramsAndExamplesAreClean() throws {
        let programs = packageRoot.appendingPathComponent("programs")
        var files = ((try? FileManager.default.contentsOfDirectory(atPath: programs.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.sorted().map { "programs/\($0)" }
        let examples = ((try? FileManager.default.contentsOfDirectory(atPath: programs.appendingPathComponent("examples").path)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.sorted().map { "programs/examples/\($0)" }
        files += examples
        try #require(!files.isEmpty)
        let result = try runRehab(["validate"] + files)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        #expect(result.stdout == "\(files.count) files checked: no problems\n")
    }

    /// Session times are checked against the stages the patient can reach: from
    /// `start_stage` on (lumbar-decompression: protect 08:00, 13:00, 18:00; function 08:00, 18:00).
    @Test func sessionTimesAreCheckedOnlyForStagesFromTheStartStage() throws {
        let fromStart = try PatientDir(extraYAML: "session_times: [\"17:00\"]\n")
        let refused = try runRehab(["validate", "p.yaml"], in: fromStart.dir)
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("with stage 'protect' the day's sessions would be at 17:00, 13:00, 18:00"))
        let late = try PatientDir(extraYAML: "session_times: [\"17:00\"]\nstart_stage: function\n")
        let accepted = try runRehab(["validate", "p.yaml"], in: late.dir)
        #expect(accepted.status == 0, "\(accepted.stderr)")
    }

    /// A patient whose zone has no default emergency number (Europe/Berlin is shared by
    /// several countries in tzdata) gets a warning with its position, and exit 0; naming
    /// the number, or a zone with a default, silences it. Text and JSON.
    @Test func aMissingEmergencyNumberIsAWarningNotAProblem() throws {
        let p = try PatientDir()
        let warned = try runRehab(["validate", "p.yaml"], in: p.dir)
        #expect(warned.status == 0, "\(warned.stderr)")
        #expect(warned.stderr.hasPrefix("p.yaml:7:11: warning: [emergency-number] no emergency number is known for time zone 'Europe/Berlin'"))
        #expect(warned.stderr.contains("timezone: Europe/Berlin\n          ^"))
        #expect(warned.stdout == "1 file checked: no problems (1 warning)\n")
        let json = try runRehab(["validate", "p.yaml", "--format", "json"], in: p.dir)
        #expect(json.status == 0)
        #expect(json.stdout.contains(#""severity" : "warning""#) || json.stdout.contains(#""severity": "warning""#), "\(json.stdout)")
        let named = try PatientDir(extraYAML: "emergency_number: \"112\"\nclinic:\n  name: Riverside Spine Physio\n  phone: \"+49 30 1234567\"\n")
        let quiet = try runRehab(["validate", "p.yaml"], in: named.dir)
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet.stderr)")
        #expect(quiet.stdout == "1 file checked: no problems\n")
        // A warning beside an error: the error decides the exit code.
        let bad = try PatientDir(extraYAML: "clinic:\n  name: Riverside\n  phone: ask at the desk\n")
        let refused = try runRehab(["validate", "p.yaml"], in: bad.dir)
        #expect(refused.status == 65)
        #expect(refused.stderr.hasPrefix("p.yaml:10:10: error: [phone] the clinic's 'phone' must be a phone number"))
    }

    /// A pain log is checked as one (not as YAML), and its lines are never shown.
    @Test func aPainLogIsCheckedLineByLineWithoutQuotingIt() throws {
        let p = try PatientDir()
        try p.log(["--pain", "3", "--when", "after", "--at", "2026-11-19T18:00", "--note", "SECRET"])
        try p.log(["--pain", "2", "--when", "next-morning", "--at", "2026-11-20T07:30"])
        let clean = try runRehab(["validate", "p.painlog", "p.yaml"], in: p.dir)
        #expect(clean.status == 0, "\(clean.stderr)")
        // p.yaml is in Europe/Berlin without an emergency_number: a warning, not a problem.
        #expect(clean.stdout == "2 files checked: no problems (1 warning)\n")
        var lines = String(decoding: try #require(p.logBytes), as: UTF8.self).split(separator: "\n").map(String.init)
        lines[1] = lines[1].replacingOccurrences(of: #""pain":3"#, with: #""pain":12"#)
        lines[2] = "SECRET garbage"
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: p.logURL)
        let damaged = try runRehab(["validate", "p.painlog"], in: p.dir)
        #expect(damaged.status == 65)
        #expect(damaged.stderr.contains("p.painlog:2:1: error: [pain-log] \"pain\""))
        #expect(damaged.stderr.contains("p.painlog:3:1: error: [pain-log] not a JSON object"))
        #expect(!damaged.stderr.contains("SECRET"))
        let missing = try runRehab(["validate", "nobody.painlog"], in: p.dir)
        #expect(missing.status == 74)
    }

    @Test func everyBrokenFixtureExits65AndNamesItsPositions() throws {
        let names = Self.brokenNames()
        #expect(names.count >= 25)
        // All at once: no signal, exit 65, every file reported.
        let all = try runRehab(["validate"] + Self.valid + names.map { "broken/\($0)" }, in: formatFixtures)
        #expect(all.status == 65)
        for name in names { #expect(all.stderr.contains("broken/\(name):"), "\(name) not reported") }
        #expect(!all.stderr.contains("Fatal error"))
        // One by one: each file's own expectations appear as FILE:LINE:COL: error: [category].
        for name in names {
            let text = try String(contentsOf: formatFixtures.appendingPathComponent("broken/\(name)"), encoding: .utf8)
            let first = text.split(separator: "\n", omittingEmptySubsequences: false).first ?? ""
            let expected = first.dropFirst("# expect: ".count).split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces).split(separator: " ").map(String.init)
            }
            let result = try runRehab(["validate"] + Self.valid + ["broken/\(name)"], in: formatFixtures)
            #expect(result.status == 65, "\(name): exit \(result.status)")
            for e in expected where e.count == 2 {
                #expect(result.stderr.contains("broken/\(name):\(e[1]): error: [\(e[0])] "), "\(name): \(e)")
            }
        }
    }

    @Test func jsonOutputIsAnArrayOfPositionedProblems() throws {
        let result = try runRehab(["validate", "--format", "json"] + Self.valid + ["broken/multi-errors.yaml"],
                                  in: formatFixtures)
        #expect(result.status == 65)
        let items = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        // The valid fixture program is well formed but walks 2 x 30 minutes from week 0 after a
        // fusion: one clinical warning, which does not fail the run.
        let errors = items.filter { $0["severity"] as? String == "error" }
        #expect(errors.count == 6)
        #expect(errors.allSatisfy { $0["file"] as? String == "broken/multi-errors.yaml" })
        #expect(errors.compactMap { $0["category"] as? String } ==
                ["missing-key", "unknown-key", "dose", "missing-source", "stage-order", "time"])
        #expect(errors.compactMap { $0["line"] as? Int } == [2, 4, 18, 30, 35, 36])
        let clean = try runRehab(["validate", "--format", "json"] + Self.valid, in: formatFixtures)
        #expect(clean.status == 0)
        let warnings = try #require(try JSONSerialization.jsonObject(with: Data(clean.stdout.utf8)) as? [[String: Any]])
        #expect(warnings.compactMap { $0["category"] as? String } == ["clinical/fusion-walking"])
        #expect(warnings.allSatisfy { $0["severity"] as? String == "warning" })
    }

    @Test func aMissingFileIsAnIOErrorAndTheOthersAreStillChecked() throws {
        let result = try runRehab(["validate", "valid/library.yaml", "nope.yaml", "broken/prog-time.yaml"],
                                  in: formatFixtures)
        #expect(result.status == 74)
        #expect(result.stderr.contains("nope.yaml: error: [io] no such file"))
        #expect(result.stderr.contains("broken/prog-time.yaml:14:25: error: [time]"))
    }

    @Test func aHugeFileIsRefusedQuicklyBySize() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rehab-validate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("huge.yaml")
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: 8 << 30)
        try handle.close()
        let result = try runRehab(["validate", "huge.yaml"], in: dir)
        #expect(result.status == 65)
        // The exact size comes from the file system: refused by the size check, unread.
        #expect(result.stderr.contains("\(8 << 30) bytes"))
        #expect(result.stderr.contains("huge.yaml:1:1: error: [too-large]"))
    }

    @Test func noFilesIsAUsageError() throws {
        let result = try runRehab(["validate"])
        #expect(result.status == 64)
    }
}
