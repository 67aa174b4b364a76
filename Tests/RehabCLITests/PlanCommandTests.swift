import Foundation
import Testing

/// These run against whatever planner and program the branch has (the stand-ins on the
/// `cli` branch, the real ones after merging): they check the surface, not the doses.
@Suite("rehab plan (end to end)")
struct PlanCommandTests {
    @Test func jsonFollowsSpecKeysAndDefaultsToTodayInThePatientsZone() throws {
        let p = try PatientDir()
        // 23:30 UTC on the 20th is already the 21st in Berlin.
        let result = try p.run("plan", ["--format", "json"], now: "2026-11-20T23:30:00Z")
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("""
            {
              "schema": 1,
              "patient": "p-0001",
              "program": "lumbar-decompression",
              "as_of": "2026-11-21",
              "status": "active",
              "halt": null,
              "stage": 
            """))
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let sessions = object?["sessions"] as? [[String: Any]] ?? []
        #expect(!sessions.isEmpty)
        let starts = sessions.compactMap { $0["start"] as? String }
        #expect(starts.count == sessions.count)
        #expect(starts == starts.sorted())
        #expect(starts.allSatisfy { $0.hasSuffix("+01:00") && $0 >= "2026-11-21" && $0 < "2026-11-28" })
        let exercise = (sessions.first?["exercises"] as? [[String: Any]])?.first
        #expect(exercise.map { Array($0.keys).sorted() }?.starts(with: ["hold_seconds", "id", "minutes"]) == true)
    }

    @Test func sameInputsSameBytes() throws {
        let p = try PatientDir()
        try p.log(["--pain", "2", "--when", "after", "--exercise", "walking", "--at", "2026-11-19T10:00"])
        let a = try p.run("plan", ["--format", "json", "--as-of", "2026-11-23", "--days", "3"])
        let b = try p.run("plan", ["--format", "json", "--as-of", "2026-11-23", "--days", "3"], now: "2026-11-25T12:00:00Z")
        #expect(a.status == 0)
        #expect(a.stdout == b.stdout)
        #expect(a.stdout.contains("\"as_of\": \"2026-11-23\""))
    }

    @Test func haltedPlanShowsAdviceAndNoSessions() throws {
        let p = try PatientDir()
        try p.log(["--flag", "wound-infection", "--at", "2026-11-19T20:00"])
        let json = try p.run("plan", ["--format", "json", "--as-of", "2026-11-20"])
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["status"] as? String == "halted")
        let halt = object?["halt"] as? [String: Any]
        #expect(halt?["date"] as? String == "2026-11-19")
        #expect(halt?["flags"] as? [String] == ["wound-infection"])
        #expect((object?["sessions"] as? [Any])?.isEmpty == true)
        let text = try p.run("plan", ["--as-of", "2026-11-20"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("STOPPED"))
        #expect(text.stdout.contains("surgical team today"))
        #expect(text.stdout.contains("rehab resume p.yaml --cleared-by NAME"))
    }

    @Test func resumeRestartsSessions() throws {
        let p = try PatientDir()
        try p.log(["--flag", "fever", "--at", "2026-11-19T20:00"])
        #expect(try p.run("resume", ["--cleared-by", "Dr Weber", "--at", "2026-11-20T08:00"]).status == 0)
        let json = try p.run("plan", ["--format", "json", "--as-of", "2026-11-21"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["status"] as? String == "active")
        #expect((object?["sessions"] as? [Any])?.isEmpty == false)
    }

    @Test func textIsAWeekTable() throws {
        let p = try PatientDir()
        let result = try p.run("plan", ["--as-of", "2026-11-23"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Plan for p-0001"))
        #expect(result.stdout.contains("Status: active"))
        for day in ["Mon 2026-11-23", "Sun 2026-11-29"] { #expect(result.stdout.contains(day)) }
        #expect(!result.stdout.contains("2026-11-30"))
    }

    /// The program's restrictions reach the patient while they apply: surgery on 2026-11-02,
    /// so `until_week: 6` ends on 2026-12-13 and `until_week: 12` on 2027-01-24.
    @Test func textShowsTheRestrictionsInForce() throws {
        let p = try PatientDir()
        let early = try p.run("plan", ["--as-of", "2026-12-10"])
        #expect(early.status == 0)
        #expect(early.stdout.contains("Remember:\n  - Until 2026-12-13: No bending, lifting or twisting.\n"))
        #expect(early.stdout.contains("  - Until 2027-01-24: No vigorous exercise"))
        #expect(early.stdout.contains("  - Stop any exercise that sends pain further down your leg.\n"))
        let later = try p.run("plan", ["--as-of", "2026-12-14"])
        #expect(later.status == 0)
        #expect(!later.stdout.contains("No bending"))
        #expect(later.stdout.contains("  - Until 2027-01-24: No vigorous exercise"))
    }

    static let badInputs: [([String], Int32, String)] = [
        (["--days", "0"], 65, "--days"),
        (["--days", "400"], 65, "--days"),
        (["--days", "x"], 64, "days"),
        (["--as-of", "2026-11-31"], 65, "--as-of"),
        (["--as-of", "tomorrow"], 64, "--as-of"),
        (["--format", "xml"], 64, "format"),
    ]

    @Test(arguments: badInputs)
    func badOptions(arguments: [String], code: Int32, fragment: String) throws {
        let p = try PatientDir()
        let result = try p.run("plan", arguments)
        #expect(result.status == code)
        #expect(result.stderr.contains(fragment))
    }

    @Test func missingPatientFileIsAnIOError() throws {
        let result = try runRehab(["plan", "/nonexistent/p.yaml"])
        #expect(result.status == 74)
        #expect(result.stderr.contains("/nonexistent/p.yaml"))
    }
}
