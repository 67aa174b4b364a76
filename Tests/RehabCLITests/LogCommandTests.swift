import Foundation
import Testing

@Suite("rehab log (end to end)")
struct LogCommandTests {
    @Test func recordsOneReadableLineInLocalTime() throws {
        let p = try PatientDir()
        let result = try p.run("log", ["--pain", "3", "--when", "after", "--exercise", "walking", "--note", "stiff"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Logged for p-0001"))
        let text = String(decoding: p.logBytes ?? Data(), as: UTF8.self)
        // 08:30 UTC is 09:30 in Berlin in November.
        #expect(text == """
            {"version":1,"patient":"p-0001"}
            {"at":"2026-11-20T09:30","when":"after","pain":3,"exercise":"walking","flags":[],"note":"stiff"}

            """)
        let mode = try FileManager.default.attributesOfItem(atPath: p.logURL.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func appendsInOrderWithExplicitTimes() throws {
        let p = try PatientDir()
        try p.log(["--pain", "2", "--when", "during", "--at", "2026-11-19T18:00"])
        try p.log(["--pain", "1", "--when", "next-morning", "--at", "2026-11-20"])
        try p.log(["--pain", "0", "--when", "after", "--flag", "spreading", "--exercise", "nerve-glide-slider"])
        #expect(p.logLines.count == 3)
        #expect(p.logLines[0].hasPrefix(#"{"at":"2026-11-19T18:00","when":"during","pain":2,"#))
        #expect(p.logLines[1].hasPrefix(#"{"at":"2026-11-20T00:00","when":"next-morning","pain":1,"#))
        #expect(p.logLines[2].contains(#""flags":["spreading"]"#))
    }

    static let badInputs: [([String], Int32, String)] = [
        (["--pain", "11", "--when", "after"], 65, "--pain 11"),
        (["--pain", "-1", "--when", "after"], 65, "--pain -1"),
        (["--pain", "x", "--when", "after"], 64, "--pain x"),
        (["--pain", "2.5", "--when", "after"], 64, "--pain 2.5"),
        (["--when", "after"], 64, "--pain"),
        (["--pain", "3"], 64, "--when"),
        (["--pain", "3", "--when", "later"], 64, "--when later"),
        (["--pain", "3", "--when", "after", "--exercise", "yoga"], 65, "--exercise yoga"),
        (["--pain", "3", "--when", "after", "--flag", "itchy"], 64, "--flag itchy"),
        (["--pain", "3", "--when", "after", "--at", "yesterday"], 64, "--at yesterday"),
        (["--pain", "3", "--when", "after", "--at", "2026-11-20 08:00"], 64, "--at 2026-11-20 08:00"),
        (["--pain", "3", "--when", "after", "--at", "2026-02-30"], 65, "--at 2026-02-30"),
        (["--pain", "3", "--when", "after", "--at", "2026-11-20T25:00"], 65, "--at 2026-11-20T25:00"),
        (["--pain", "3", "--when", "after", "--at", "2026-11-20T09:41"], 65, "future"),
        (["--pain", "3", "--when", "after", "--at", "2027-01-01"], 65, "future"),
    ]

    @Test(arguments: badInputs)
    func badInputIsRefusedAndChangesNoFile(arguments: [String], code: Int32, fragment: String) throws {
        let p = try PatientDir()
        try p.log(["--pain", "1", "--when", "after"])
        let before = p.logBytes
        let result = try p.run("log", arguments + ["--note", "MY-PRIVATE-NOTE"])
        #expect(result.status == code)
        #expect(result.stderr.contains(fragment))
        #expect(!result.stderr.contains("MY-PRIVATE-NOTE") && !result.stdout.contains("MY-PRIVATE-NOTE"))
        #expect(p.logBytes == before)
    }

    @Test func refusedFirstReportCreatesNoLog() throws {
        let p = try PatientDir()
        let result = try p.run("log", ["--pain", "12", "--when", "after"])
        #expect(result.status == 65)
        #expect(p.logBytes == nil)
    }

    @Test func everyProblemIsReportedAtOnce() throws {
        let p = try PatientDir()
        let result = try p.run("log", ["--pain", "x", "--when", "after", "--exercise", "yoga", "--flag", "itchy"])
        #expect(result.status == 64)
        for fragment in ["--pain x", "--exercise yoga", "--flag itchy"] { #expect(result.stderr.contains(fragment)) }
    }

    @Test func tenMinutesAheadIsAccepted() throws {
        let p = try PatientDir()
        let result = try p.run("log", ["--pain", "3", "--when", "after", "--at", "2026-11-20T09:40"])
        #expect(result.status == 0)
    }

    @Test func haltingFlagIsRecordedWhateverElseIsWrong() throws {
        let p = try PatientDir()
        let result = try p.run("log", ["--flag", "fever", "--pain", "11", "--exercise", "yoga", "--at", "soon", "--note", "hot"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("surgical team today"))
        #expect(result.stderr.contains("warning: --pain 11"))
        #expect(result.stderr.contains("warning: --exercise yoga"))
        #expect(result.stderr.contains("warning: --at soon"))
        #expect(p.logLines == [#"{"at":"2026-11-20T09:30","when":"after","pain":null,"exercise":null,"flags":["fever"],"note":"hot"}"#])
    }

    @Test func reportWhileHaltedSaysItIsKeptButStopped() throws {
        let p = try PatientDir()
        try p.log(["--flag", "fever", "--at", "2026-11-20T08:00"])
        let result = try p.run("log", ["--pain", "2", "--when", "after"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("The plan is stopped"))
        #expect(p.logLines.count == 2)
    }

    @Test func emergencyFlagNeedsNoPainAndPrintsEmergencyAdvice() throws {
        let p = try PatientDir()
        let result = try p.run("log", ["--flag", "bladder-bowel", "--when", "during"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("emergency"))
        #expect(p.logLines.first?.contains(#""flags":["bladder-bowel"]"#) == true)
    }

    @Test func haltingAdviceIsPrintedEvenWhenTheCommandFails() throws {
        let p = try PatientDir()
        var environment = ProcessInfo.processInfo.environment
        environment["REHAB_NOW"] = "2026-11-20T08:30:00Z"
        let result = try runRehab(["log", "missing.yaml", "--flag", "saddle-numbness"], in: p.dir, environment: environment)
        #expect(result.status == 74)
        #expect(result.stderr.contains("missing.yaml"))
        #expect(result.stdout.contains("emergency"))
    }

    /// Also when the command line cannot be read, so the command never runs.
    @Test(arguments: [
        (["log", "p.yaml", "--flag", "chest-pain", "--bogus"], ["chest-pain"]),
        (["log", "--flag=breathlessness"], ["breathlessness"]),
        (["log", "p.yaml", "--flag", "fever", "--at"], ["fever"]),
        (["log", "p.yaml", "--flag", "calf-swelling", "--flag", "spreading", "extra"], ["calf-swelling"]),
    ])
    func haltingAdviceIsPrintedWhenTheCommandLineIsRefused(arguments: [String], flags: [String]) throws {
        let p = try PatientDir()
        let result = try runRehab(arguments, in: p.dir)
        #expect(result.status == 64)
        #expect(result.stderr.contains("Usage: rehab log"))
        let warnings = result.stdout.split(separator: "\n").filter { $0.hasPrefix("WARNING (") }
        #expect(warnings.map { String($0.dropFirst("WARNING (".count).prefix { $0 != ")" }) } == flags)
        #expect(p.logBytes == nil)
    }

    @Test func timeInTheSpringGapMovesForward() throws {
        let p = try PatientDir()
        let result = try p.run("log", ["--pain", "2", "--when", "after", "--at", "2026-03-29T02:30"], now: "2026-03-29T10:00:00Z")
        #expect(result.status == 0)
        #expect(result.stdout.contains("recorded at 03:30"))
        #expect(p.logLines.first?.hasPrefix(#"{"at":"2026-03-29T03:30""#) == true)
    }

    @Test func damagedLogIsNamedAndLeftAlone() throws {
        let p = try PatientDir()
        try p.log(["--pain", "1", "--when", "after"])
        var bytes = p.logBytes ?? Data()
        bytes.append(Data("{\"at\":\"2026-11-20T09:00\",\"when\":\"after\",\"pain\":99,\"flags\":[],\"note\":\"SECRET\"}\n".utf8))
        try bytes.write(to: p.logURL)
        let result = try p.run("log", ["--pain", "2", "--when", "after"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("p.painlog:3:1: error: [pain-log]"))
        #expect(!result.stderr.contains("SECRET"))
        #expect(p.logBytes == bytes)
    }

    /// A warning sign is never lost to an earlier damaged line: it is saved after it (a
    /// torn last line ended first), the damage is named, and the damaged bytes stay as
    /// they were; once the log is repaired, the plan stops.
    @Test func aWarningSignIsSavedEvenAfterADamagedLine() throws {
        let p = try PatientDir()
        try p.log(["--pain", "1", "--when", "after", "--at", "2026-11-19T18:00"])
        var bytes = try #require(p.logBytes)
        let good = bytes
        bytes.append(Data("not json SECRET\n{\"at\":\"2026-11".utf8))
        try bytes.write(to: p.logURL)
        let result = try p.run("log", ["--flag", "fever", "--at", "2026-11-20T08:00"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Logged for p-0001"))
        #expect(result.stdout.contains("WARNING (fever)"))
        #expect(result.stderr.contains("p.painlog:3:1: error: [pain-log]"))
        #expect(result.stderr.contains("Your warning sign is saved"))
        #expect(!result.stderr.contains("SECRET"))
        let after = try #require(p.logBytes)
        #expect(after.prefix(bytes.count) == bytes)
        let added = String(decoding: after.dropFirst(bytes.count), as: UTF8.self)
        #expect(added.hasPrefix("\n{\"at\":\"2026-11-20T08:00\""))
        #expect(added.contains("\"flags\":[\"fever\"]"))
        // An ordinary report is still refused while the log is damaged, and changes nothing.
        #expect(try p.run("log", ["--pain", "2", "--when", "after", "--at", "2026-11-20T09:00"]).status == 65)
        #expect(p.logBytes == after)
        // Repaired (the two damaged lines deleted by hand): the plan is stopped.
        var repaired = good
        repaired.append(after.dropFirst(bytes.count + 1))
        try repaired.write(to: p.logURL)
        let plan = try p.run("plan", ["--format", "json", "--as-of", "2026-11-20"])
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("\"status\": \"halted\""))
    }

    @Test func badClockHookIsAUsageError() throws {
        let p = try PatientDir()
        let result = try p.run("log", ["--pain", "1", "--when", "after"], now: "tuesday")
        #expect(result.status == 64)
        #expect(result.stderr.contains("REHAB_NOW"))
        #expect(p.logBytes == nil)
    }
}
