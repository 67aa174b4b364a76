import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// SIGKILL `rehab log` at random moments (a smaller round of scripts/crash/kill-test.py,
/// which `make crash-test` runs 200+ times): every report acknowledged by exit 0 is in
/// the log, the log always reads, and it holds only whole reports that were sent.
@Suite("crash safety: rehab log killed at random moments", .serialized)
struct CrashSafetyTests {
    static let kills = 40

    /// Starts `rehab log` for report `i`, kills it after `delay` seconds; nil when killed.
    private func logAndKill(_ p: PatientDir, _ i: Int, after delay: TimeInterval) throws -> Int32? {
        let process = Process()
        process.executableURL = rehabBinary
        process.currentDirectoryURL = p.dir
        var environment = ProcessInfo.processInfo.environment
        environment["REHAB_NOW"] = "2026-11-20T08:30:00Z"
        process.environment = environment
        process.arguments = ["log", "p.yaml", "--pain", "\(i % 11)", "--when", "after",
                             "--at", Self.minute(i), "--note", "kill-\(i)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: delay)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal ? nil : process.terminationStatus
    }

    /// A distinct past local time for report `i`: 2026-11-10T06:00 plus `i` minutes.
    static func minute(_ i: Int) -> String {
        let m = 6 * 60 + i
        return String(format: "2026-11-%02dT%02d:%02d", 10 + m / 1440, m % 1440 / 60, m % 60)
    }

    /// The notes of the log's reports, read through `rehab history` (which must succeed).
    private func notes(_ p: PatientDir) throws -> [String] {
        let result = try p.run("history", ["--format", "json"])
        try #require(result.status == 0, "the log no longer reads: \(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let reports = try #require(json?["reports"] as? [[String: Any]])
        return reports.compactMap { $0["note"] as? String }
    }

    @Test func acknowledgedReportsSurviveKills() throws {
        let p = try PatientDir()
        // Time one unkilled run (in another folder) as the first kill window. The window then
        // adapts: it shrinks after a run that finished before its kill and grows after a
        // kill, so about half the runs are killed however loaded the machine is.
        let probe = try PatientDir()
        let started = Date()
        try probe.log(["--pain", "1", "--when", "after", "--at", Self.minute(0)])
        let oneRun = max(0.05, Date().timeIntervalSince(started))
        var window = oneRun
        var acknowledged: Set<String> = [], sent: Set<String> = []
        var killed = 0, finished = 0, i = 0
        while killed < Self.kills && i < Self.kills * 6 {
            sent.insert("kill-\(i)")
            let status = try logAndKill(p, i, after: Double.random(in: (0.2 * window)...window))
            if let status {
                finished += 1
                window = max(0.002, window * 0.8)
                #expect(status == 0, "rehab log exited \(status) without being killed")
                if status == 0 { acknowledged.insert("kill-\(i)") }
            } else {
                killed += 1
                window = min(2 * oneRun, window * 1.1)
            }
            i += 1
            let logged = try notes(p)
            #expect(Set(logged).count == logged.count, "a report is in the log twice")
            #expect(Set(logged).isSubset(of: sent), "the log holds a report that was never sent")
            let lost = acknowledged.subtracting(logged)
            try #require(lost.isEmpty, "acknowledged reports missing after a kill: \(lost.sorted())")
        }
        // A quarter of the aim still tests the rule (the 400-kill round of `make crash-test`
        // is the thorough one).
        #expect(killed >= Self.kills / 4, "too few runs were killed (\(killed) of \(i)) to test anything")
        #expect(finished + killed == i)
        // Every line on disk is whole: the raw file ends in a newline and each line is JSON.
        let raw = String(decoding: p.logBytes ?? Data(), as: UTF8.self)
        #expect(raw.isEmpty || raw.hasSuffix("\n"))
    }
}
