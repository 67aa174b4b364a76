import Foundation
import Testing

@Suite("rehab explain (end to end)")
struct ExplainCommandTests {
    @Test func withoutReportsEveryDoseIsHeldForMissingReports() throws {
        let p = try PatientDir()
        let result = try p.run("explain", ["--as-of", "2026-11-20"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("p-0001"))
        // Pain rules version 2: walking rises by quota without reports (and the clinic is
        // told: no-reports); every pain-progression dose holds for missing reports.
        #expect(result.stdout.contains("Rule: missing-reports."))
        #expect(result.stdout.contains("Rule: quota."))
        #expect(!result.stdout.contains("Rule: green-days."))
        #expect(result.stdout.contains("Alert (no-reports"))
    }

    /// Needs a planner that records a `halt` decision with its report.
    @Test func haltIsExplainedWithItsReport() throws {
        let p = try PatientDir()
        try p.log(["--flag", "fever", "--at", "2026-11-19T20:00", "--note", "PRIVATE"])
        let result = try p.run("explain", ["--as-of", "2026-11-20"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("2026-11-19"))
        #expect(result.stdout.contains("stopped because of a warning sign"))
        #expect(result.stdout.contains("2026-11-19T20:00 after, flags: fever"))
        #expect(!result.stdout.contains("PRIVATE"))
    }

    @Test func badDateIsRefused() throws {
        let p = try PatientDir()
        let result = try p.run("explain", ["--as-of", "20-11-2026"])
        #expect(result.status == 64)
    }
}
