import Foundation
import Testing

@Suite("rehab explain (end to end)")
struct ExplainCommandTests {
    @Test func withoutReportsEveryDoseIsHeldForMissingReports() throws {
        let p = try PatientDir()
        let result = try p.run("explain", ["--as-of", "2026-11-20"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("p-0001"))
        #expect(result.stdout.contains("Walking: kept the same dose (5 min)."))
        #expect(result.stdout.contains("Rule: missing-reports."))
        #expect(!result.stdout.contains("stepped up"))
    }

    /// Needs a planner that records a `halt` decision with its report (SPEC.md's actions).
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
