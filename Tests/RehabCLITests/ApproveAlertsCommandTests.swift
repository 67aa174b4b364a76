import Foundation
import Testing

/// `rehab approve` and `rehab alerts` end to end, and tomorrow's dose after tonight's red
/// report (pain rules version 2).
@Suite("rehab approve and rehab alerts")
struct ApproveAlertsCommandTests {
    @Test func approveRecordsTheGatedRungAndRefusesWhenThereIsNone() throws {
        let early = try PatientDir()
        let none = try early.run("approve", ["--exercise", "nerve-glide", "--by", "Dr Weber", "--at", "2026-11-20T08:00"])
        #expect(none.status == 65)
        #expect(none.stderr.contains("no dose needing approval"))
        #expect(early.logBytes == nil)  // a refused command changes no file
        let noGate = try early.run("approve", ["--stage", "mobilise", "--by", "Dr Weber", "--at", "2026-11-20T08:00"])
        #expect(noGate.status == 65)
        let both = try early.run("approve", ["--stage", "mobilise", "--exercise", "walking", "--by", "Dr Weber"])
        #expect(both.status == 64)

        let late = try PatientDir(extraYAML: "start_stage: function\n")
        let ok = try late.run("approve", ["--exercise", "nerve-glide-slider", "--by", "Dr Weber", "--at", "2026-11-20T08:00"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(late.logLines == [#"{"at":"2026-11-20T08:00","approve":{"by":"Dr Weber","exercise":"nerve-glide","rung":{"reps":5,"variant":"nerve-glide-tensioner"}}}"#])
        let history = try late.run("history", ["--format", "json"])
        #expect(history.stdout.contains(#""approvals": ["#))
        #expect(history.stdout.contains(#""by": "Dr Weber""#))
        let text = try late.run("history")
        #expect(text.stdout.contains("approved Sciatic nerve glide") || text.stdout.contains("approved"))
        let explain = try late.run("explain", ["--as-of", "2026-11-20"])
        #expect(explain.stdout.contains("Rule: approved."))
        let help = try late.run("approve", ["--help"])
        #expect(help.stdout.contains("clinician"))
    }

    @Test func alertsListQuietFailedAndHaltedPatients() throws {
        let p = try PatientDir()
        // A second patient whose file cannot be planned but whose log holds a warning sign.
        try Data("version: 1\nid: p-0002\nprogram: no-such-program\nsurgery_date: 2026-11-02\n".utf8)
            .write(to: p.dir.appendingPathComponent("q.yaml"))
        try Data(("{\"version\":1,\"patient\":\"p-0002\"}\n"
                  + "{\"at\":\"2026-11-19T20:00\",\"when\":\"after\",\"pain\":null,\"exercise\":null,\"flags\":[\"fever\"],\"note\":null}\n"
                  + "damaged line\n").utf8).write(to: p.dir.appendingPathComponent("q.painlog"))
        let result = try runRehab(["alerts", p.dir.path, "--as-of", "2026-11-20", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["as_of"] as? String == "2026-11-20")
        let patients = try #require(json["patients"] as? [[String: Any]])
        #expect(patients.map { $0["patient"] as? String } == ["q", "p-0001"])  // halted first
        #expect(patients.first?["status"] as? String == "failed")
        let kinds = patients.map { (($0["alerts"] as? [[String: Any]]) ?? []).map { $0["kind"] as? String } }
        #expect(kinds == [["halted"], ["no-reports"]])
        #expect(!result.stdout.contains("fever"))  // no sign or note in the alert list
    }

    @Test func aRedReportTonightLowersTomorrowInThePlanAndTheCalendar() throws {
        let p = try PatientDir(extraYAML: "start_stage: mobilise\n")
        #expect(try p.log(["--pain", "7", "--when", "after", "--exercise", "walking", "--at", "2026-11-19T19:00"], now: "2026-11-19T19:30:00Z").status == 0)
        let plan = try p.run("plan", ["--as-of", "2026-11-19", "--days", "2", "--format", "json"], now: "2026-11-19T19:30:00Z")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
        let sessions = try #require(json["sessions"] as? [[String: Any]])
        func walking(on day: String) -> [Int] {
            sessions.filter { ($0["start"] as? String)?.hasPrefix(day) == true }.compactMap { s in
                (s["exercises"] as? [[String: Any]])?.first { $0["id"] as? String == "walking" }?["minutes"] as? Int
            }
        }
        // Walking rose by quota to 25 without reports (every 3 session days); tonight's red
        // walking report takes it one step back from tomorrow.
        #expect(Set(walking(on: "2026-11-19")) == [25])
        #expect(Set(walking(on: "2026-11-20")) == [20])
        let export = try p.run("export", ["--out", "p.ics", "--as-of", "2026-11-19", "--days", "2"], now: "2026-11-19T19:30:00Z")
        #expect(export.status == 0, "\(export.stderr)")
        let ics = String(decoding: try Data(contentsOf: p.dir.appendingPathComponent("p.ics")), as: UTF8.self)
            .replacingOccurrences(of: "\r\n ", with: "")
        let events = ics.components(separatedBy: "BEGIN:VEVENT").dropFirst()
        let tomorrow = events.filter { $0.contains("DTSTART;TZID=Europe/Berlin:20261120") && $0.contains("REHAB-SESSION") }
        #expect(!tomorrow.isEmpty)
        #expect(tomorrow.allSatisfy { $0.contains("20 min") && !$0.contains("25 min") })
    }
}
