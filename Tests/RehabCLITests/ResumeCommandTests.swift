import Foundation
import Testing

@Suite("rehab resume (end to end)")
struct ResumeCommandTests {
    @Test func refusedWhenNotHalted() throws {
        let p = try PatientDir()
        try p.log(["--pain", "2", "--when", "after", "--flag", "spreading"])
        let before = p.logBytes
        let result = try p.run("resume", ["--cleared-by", "Dr Weber"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("not stopped"))
        #expect(p.logBytes == before)
    }

    @Test func refusedWithoutAnyLogCreatesNone() throws {
        let p = try PatientDir()
        let result = try p.run("resume", ["--cleared-by", "Dr Weber"])
        #expect(result.status == 65)
        #expect(p.logBytes == nil)
    }

    @Test func resumesAHaltedPlanOnce() throws {
        let p = try PatientDir()
        try p.log(["--flag", "calf-swelling", "--at", "2026-11-19T20:00"])
        let first = try p.run("resume", ["--cleared-by", "Dr Weber", "--at", "2026-11-20T09:00"])
        #expect(first.status == 0)
        #expect(first.stdout.contains("cleared by Dr Weber"))
        #expect(p.logLines.last == #"{"at":"2026-11-20T09:00","resume":{"cleared_by":"Dr Weber"}}"#)
        let before = p.logBytes
        let second = try p.run("resume", ["--cleared-by", "Dr Weber"])
        #expect(second.status == 65)
        #expect(p.logBytes == before)
    }

    @Test func cannotResumeBeforeTheHalt() throws {
        let p = try PatientDir()
        try p.log(["--flag", "fever", "--at", "2026-11-20T08:00"])
        let result = try p.run("resume", ["--cleared-by", "Dr Weber", "--at", "2026-11-20T07:00"])
        #expect(result.status == 65)
    }

    static let badInputs: [([String], Int32)] = [
        ([], 64),
        (["--cleared-by", "  "], 65),
        (["--cleared-by", "Dr\nWeber"], 65),
        (["--cleared-by", "Dr Weber", "--at", "2026-11-21T09:00"], 65),
        (["--cleared-by", "Dr Weber", "--at", "noon"], 64),
    ]

    @Test(arguments: badInputs)
    func badInputChangesNoFile(arguments: [String], code: Int32) throws {
        let p = try PatientDir()
        try p.log(["--flag", "fever"])
        let before = p.logBytes
        let result = try p.run("resume", arguments)
        #expect(result.status == code)
        #expect(p.logBytes == before)
    }
}
