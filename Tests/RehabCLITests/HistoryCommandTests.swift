import Foundation
import Testing

@Suite("rehab history (end to end)")
struct HistoryCommandTests {
    @Test func emptyHistory() throws {
        let p = try PatientDir()
        let text = try p.run("history")
        #expect(text.status == 0)
        #expect(text.stdout.contains("No reports yet"))
        let json = try p.run("history", ["--format", "json"])
        #expect(json.stdout == "{\n  \"schema\": 1,\n  \"patient\": \"p-0001\",\n  \"reports\": [],\n  \"resumes\": [],\n  \"approvals\": []\n}\n")
        #expect(p.logBytes == nil)  // reading creates nothing
    }

    @Test func everyReportInTimeOrder() throws {
        let p = try PatientDir()
        try p.log(["--pain", "4", "--when", "after", "--exercise", "walking", "--note", "long walk"])
        try p.log(["--pain", "2", "--when", "during", "--at", "2026-11-19T08:05"])
        try p.log(["--flag", "fever", "--at", "2026-11-20T09:00"])
        #expect(try p.run("resume", ["--cleared-by", "Dr Weber", "--at", "2026-11-20T09:20"]).status == 0)
        let result = try p.run("history", ["--format", "json"])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let reports = object?["reports"] as? [[String: Any]] ?? []
        #expect(reports.map { $0["at"] as? String } == [
            "2026-11-19T08:05:00+01:00", "2026-11-20T09:00:00+01:00", "2026-11-20T09:30:00+01:00",
        ])
        #expect(reports.last?["note"] as? String == "long walk")
        #expect(reports.last?["exercise"] as? String == "walking")
        #expect(reports[1]["flags"] as? [String] == ["fever"])
        #expect(reports[1]["pain"] is NSNull)
        let resumes = object?["resumes"] as? [[String: Any]] ?? []
        #expect(resumes.first?["cleared_by"] as? String == "Dr Weber")
        // The documented key order.
        #expect(result.stdout.contains("{\"at\": \"2026-11-19T08:05:00+01:00\", \"pain\": 2, \"when\": \"during\", \"exercise\": null, \"flags\": [], \"note\": null}"))

        let text = try p.run("history")
        #expect(text.stdout.contains("2026-11-19T08:05  during"))
        #expect(text.stdout.contains("resumed, cleared by Dr Weber"))
        #expect(text.stdout.contains("3 reports, 1 resume."))
    }

    @Test func damagedLogIsAnErrorWithItsLine() throws {
        let p = try PatientDir()
        try p.log(["--pain", "1", "--when", "after"])
        var bytes = p.logBytes ?? Data()
        bytes.append(Data("half a line".utf8))
        try bytes.write(to: p.logURL)
        let result = try p.run("history")
        #expect(result.status == 65)
        #expect(result.stderr.contains("p.painlog:3:1:"))
    }

    @Test func logOfAnotherPatientIsRefused() throws {
        let p = try PatientDir()
        try Data("{\"version\":1,\"patient\":\"p-0002\"}\n".utf8).write(to: p.logURL)
        let result = try p.run("history")
        #expect(result.status == 65)
        #expect(result.stderr.contains("p-0002"))
    }
}
