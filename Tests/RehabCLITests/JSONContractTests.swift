import Foundation
import Testing

/// The JSON contract (docs/json.md): real output of `rehab plan` and `rehab history`
/// checked against schema/*.json by an independent validator, strictly (no key the schema
/// does not document).
@Suite("JSON contract: plan and history output match their schemas")
struct JSONContractTests {
    static let examples = ["decompression-patient", "fusion-patient", "late-leg-pain-patient"]

    /// Each shipped example patient, copied to a fresh folder (no pain log), planned on its
    /// start date and four weeks later.
    @Test(arguments: examples)
    func examplePatientPlans(name: String) throws {
        let dir = try Self.folder(copying: name)
        let start = try #require(Self.startDate(of: dir.appendingPathComponent("\(name).yaml")))
        for (asOf, days) in [(start, "7"), (Self.day(start, plus: 28), "84")] {
            let result = try runRehab(["plan", "\(name).yaml", "--format", "json", "--as-of", asOf, "--days", days], in: dir)
            #expect(result.status == 0, "rehab plan \(name): \(result.stderr)")
            try SchemaCheck.expectValid(result.stdout, against: "plan.schema.json", "the plan of \(name) as of \(asOf)")
            let plan = SchemaCheck.object(result.stdout)
            #expect(plan["status"] as? String == "active")
            #expect((plan["sessions"] as? [Any])?.isEmpty == false, "a fresh patient has sessions")
        }
    }

    /// After a fortnight of reports (green, amber, red, spreading): decisions with doses and
    /// the reports they rested on.
    @Test func planAfterReports() throws {
        let p = try PatientDir(extraYAML: "baseline_pain: 2\nsession_times: [\"08:00\", \"13:00\", \"18:30\"]\n")
        try Self.logFortnight(p)
        let result = try p.run("plan", ["--format", "json", "--as-of", "2026-11-20", "--days", "14"])
        #expect(result.status == 0, "\(result.stderr)")
        try SchemaCheck.expectValid(result.stdout, against: "plan.schema.json", "the plan after a fortnight of reports")
        let decisions = SchemaCheck.object(result.stdout)["decisions"] as? [[String: Any]] ?? []
        let actions = Set(decisions.compactMap { $0["action"] as? String })
        #expect(actions.contains("progress"), "the fortnight should earn a progression: \(actions)")
        #expect(actions.contains("regress"), "the red day should regress: \(actions)")
        #expect(decisions.contains { ($0["reports"] as? [Any])?.isEmpty == false })
        #expect(!result.stdout.contains("secret-note"), "plan JSON never carries a patient's note")
    }

    /// A halted plan (a fever report), then the same patient cleared by a clinician.
    @Test func haltedThenResumed() throws {
        let p = try PatientDir()
        try Self.logFortnight(p)
        try p.log(["--flag", "fever", "--at", "2026-11-19T10:00"])
        let halted = try p.run("plan", ["--format", "json", "--as-of", "2026-11-20"])
        #expect(halted.status == 0)
        try SchemaCheck.expectValid(halted.stdout, against: "plan.schema.json", "a halted plan")
        let plan = SchemaCheck.object(halted.stdout)
        #expect(plan["status"] as? String == "halted")
        #expect((plan["halt"] as? [String: Any])?["flags"] as? [String] == ["fever"])
        #expect((plan["sessions"] as? [Any])?.isEmpty == true)

        #expect(try p.run("resume", ["--cleared-by", "Dr Weber", "--at", "2026-11-20T09:00"]).status == 0)
        let resumed = try p.run("plan", ["--format", "json", "--as-of", "2026-11-20"])
        try SchemaCheck.expectValid(resumed.stdout, against: "plan.schema.json", "a resumed plan")
        #expect(SchemaCheck.object(resumed.stdout)["status"] as? String == "active")

        let history = try p.run("history", ["--format", "json"])
        #expect(history.status == 0)
        try SchemaCheck.expectValid(history.stdout, against: "history.schema.json", "the history")
        let object = SchemaCheck.object(history.stdout)
        #expect((object["reports"] as? [Any])?.count == 27)
        #expect((object["resumes"] as? [Any])?.count == 1)
    }

    @Test func emptyHistory() throws {
        let p = try PatientDir()
        let history = try p.run("history", ["--format", "json"])
        try SchemaCheck.expectValid(history.stdout, against: "history.schema.json", "an empty history")
    }

    /// The check can fail: real output with a renamed value or an undocumented key is refused.
    @Test func schemaRefusesDrift() throws {
        let p = try PatientDir()
        let json = try p.run("plan", ["--format", "json", "--as-of", "2026-11-20"]).stdout
        #expect(try SchemaCheck.check(json, against: "plan.schema.json").valid)
        let renamed = json.replacingOccurrences(of: "\"status\": \"active\"", with: "\"status\": \"paused\"")
        #expect(renamed != json)
        #expect(try !SchemaCheck.check(renamed, against: "plan.schema.json").valid)
        let added = json.replacingOccurrences(of: "\"schema\": 1,", with: "\"schema\": 1,\n  \"colour\": \"red\",")
        #expect(try !SchemaCheck.check(added, against: "plan.schema.json").valid)
        let noOffset = json.replacingOccurrences(of: ":00+01:00\"", with: ":00\"")
        #expect(noOffset != json)
        #expect(try !SchemaCheck.check(noOffset, against: "plan.schema.json").valid)
    }

    // MARK: - Helpers

    /// Green days 10-13 Nov (after each session and next morning), amber on the 14th, red on
    /// the 15th, `spreading` on walking on the 16th, two more green days: 26 reports, one with a note.
    static func logFortnight(_ p: PatientDir) throws {
        for day in 10...13 {
            for time in ["08:40", "13:40", "19:00"] {
                try p.log(["--pain", "2", "--when", "after", "--at", "2026-11-\(day)T\(time)"])
            }
            try p.log(["--pain", "1", "--when", "next-morning", "--at", "2026-11-\(day + 1)T07:30"])
        }
        try p.log(["--pain", "4", "--when", "after", "--at", "2026-11-14T08:40", "--note", "secret-note"])
        try p.log(["--pain", "2", "--when", "next-morning", "--at", "2026-11-15T07:30"])
        try p.log(["--pain", "7", "--when", "after", "--at", "2026-11-15T13:40"])
        try p.log(["--pain", "3", "--when", "next-morning", "--at", "2026-11-16T07:30"])
        try p.log(["--pain", "3", "--when", "after", "--exercise", "walking", "--flag", "spreading",
                   "--at", "2026-11-16T13:40"])
        try p.log(["--pain", "2", "--when", "next-morning", "--at", "2026-11-17T07:30"])
        for day in 17...18 {
            try p.log(["--pain", "1", "--when", "after", "--at", "2026-11-\(day)T08:40"])
            try p.log(["--pain", "1", "--when", "next-morning", "--at", "2026-11-\(day + 1)T07:30"])
        }
    }

    /// A fresh folder holding a copy of `programs/examples/<name>.yaml`.
    static func folder(copying name: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rehab-contract-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("programs/examples/\(name).yaml"),
                                         to: dir.appendingPathComponent("\(name).yaml"))
        return dir
    }

    static func startDate(of file: URL) -> String? {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first { $0.hasPrefix("start_date:") }
            .map { $0.dropFirst("start_date:".count).trimmingCharacters(in: .whitespaces) }
    }

    static func day(_ iso: String, plus days: Int) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        guard let date = f.date(from: iso) else { return iso }
        return f.string(from: date.addingTimeInterval(Double(days) * 86_400))
    }
}
