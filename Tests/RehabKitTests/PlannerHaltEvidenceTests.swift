import Testing
@testable import RehabKit

/// Stories about the reports around a halt (the rule "which day a report counts for":
/// only reports logged while the plan is halted are not evidence). Found in review: a day
/// whose next morning began halted was not judged at all, and a report written in the
/// same minute as the halting flag was dropped.
@Suite struct PlannerHaltEvidenceTests {
    typealias F = Fixture

    /// The rule: "Regress one rung on a red day". Day 0's red report was logged before the halt,
    /// so it is evidence; the halt starts at 20:00 and is cleared at 06:00 the next day.
    /// Walking regresses 10 -> 5, and the clearance keeps the lower 5.
    @Test func aRedDayJustBeforeAnOvernightHaltStillStepsBack() {
        var log = LogBuilder()
        log.after(0, pain: 7)                                     // 19:00, red, before the halt
        log.after(0, pain: nil, flags: [.fever], time: "20:00")   // halt
        log.resume(1, time: "06:00")
        let plan = F.plan(log.entries, asOf: log.day(1))
        #expect(plan.status == .active)
        let regress = plan.decisions(for: "walking").filter { $0.action == .regress }
        #expect(regress.map(\.rule) == ["red-day"])
        #expect(regress.first?.date == log.day(1))
        #expect(plan.dose(of: "walking") == F.minutes(5))
        // The step back comes before the clearance, which has nothing left to lower.
        #expect(plan.decisions.map(\.action) == [.halt, .regress, .regress, .resume])
    }

    /// The step back is recorded while the halt is still open, so it is not lost when the
    /// clearance comes days later; the clearance then applies min(current, start) on top.
    @Test func aStepBackDecidedWhileHaltedSurvivesALateClearance() {
        var log = LogBuilder()
        log.green(0, 1, 2, 3)                                     // walking 15 on day 3
        log.after(4, pain: 7)                                     // red, before the halt
        log.after(4, pain: nil, flags: [.calfSwelling], time: "20:00")  // (no glide step on day 4: a halt day)
        let halted = F.plan(log.entries, asOf: log.day(6))
        #expect(halted.status == .halted)
        #expect(halted.decisions(for: "walking").last?.action == .regress)
        #expect(halted.decisions(for: "walking").last?.to == F.minutes(10))
        #expect(halted.decisions(for: "walking").last?.date == log.day(5))

        log.resume(7, time: "09:00")
        let resumed = F.plan(log.entries, asOf: log.day(7))
        #expect(resumed.status == .active)
        #expect(resumed.dose(of: "walking") == F.minutes(10))
        #expect(resumed.dose(of: "nerve-glide") == F.slider(5))  // day 4's red report counted for the glide too
        #expect(!resumed.decisions.contains { $0.action == .resume && $0.exercise != nil })  // already at most the start
    }

    /// While halted at the start of the day a decision would take effect, nothing is raised:
    /// two green days before an overnight halt do not progress.
    @Test func noProgressTakesEffectWhileHalted() {
        var log = LogBuilder()
        log.after(0, pain: 2, exercise: "walking")
        log.morning(0, pain: 0)
        log.after(1, pain: 2, exercise: "walking")
        log.after(1, pain: nil, flags: [.fever], time: "20:00")
        log.morning(1, pain: 0)                                   // 07:30 on day 2, after the clearance
        log.resume(2, time: "06:00")
        let plan = F.plan(log.entries, asOf: log.day(2))
        #expect(plan.status == .active)
        #expect(plan.rules(.progress).isEmpty)
        #expect(plan.dose(of: "walking") == F.minutes(10))
    }

    /// The rule: "Flare: red on 2 of the last 3 days ... pauses exercises the program marks as
    /// skipped in a flare". Red on day 1 and day 2 (day 2's report before an overnight halt,
    /// cleared at 06:00 on day 3), green on day 3: a flare, the glide paused.
    @Test func aRedDayJustBeforeAnOvernightHaltCountsTowardsAFlare() {
        var log = LogBuilder()
        log.green(0)
        log.red(1)
        log.after(2, pain: 7)                                     // 19:00, red, before the halt
        log.after(2, pain: nil, flags: [.fever], time: "20:00")
        log.resume(3, time: "06:00")
        log.green(3)
        let plan = F.plan(log.entries, asOf: log.day(4))
        #expect(plan.rules(.flare) == ["flare"])
        #expect(plan.decisions.first { $0.action == .flare }?.date == log.day(3))
        #expect(plan.dose(of: "nerve-glide") == nil)  // paused in a flare
    }

    /// The rule: a stage advances only when "no red day in the last 3". Day 6 is red (reported
    /// before an overnight halt), day 7 green after the clearance; week 2 is reached on day 7.
    /// Still `protect` on day 8.
    @Test func aRedDayJustBeforeAnOvernightHaltBlocksTheStageGate() {
        var log = LogBuilder()
        log.green(0, 1, 2, 3, 4, 5)
        log.after(6, pain: 7)                                     // 19:00, red, before the halt
        log.after(6, pain: nil, flags: [.fever], time: "20:00")
        log.resume(7, time: "06:00")
        log.morning(6, pain: 3)                                   // 07:30 on day 7, after the clearance
        log.green(7)
        let plan = F.plan(log.entries, asOf: log.day(8))
        #expect(plan.stage == "protect")
        #expect(!plan.decisions.contains { $0.action == .advanceStage })
        #expect(plan.rules(.hold).contains("exit-criterion"))
    }

    /// The rule: "Reports logged while the plan is halted are kept but are not evidence". A red
    /// report written just before the halting report, in the same minute (both with the
    /// default `--at` now), was not logged while halted. Cleared at 12:00 the same day:
    /// day 0 is red for walking, 10 -> 5.
    @Test func aRedReportWrittenJustBeforeTheHaltInTheSameMinuteIsEvidence() {
        var log = LogBuilder()
        log.after(0, pain: 7, time: "10:00")                      // written first
        log.after(0, pain: nil, flags: [.fever], time: "10:00")   // then the flag
        log.resume(0, time: "12:00")
        let plan = F.plan(log.entries, asOf: log.day(1))
        #expect(plan.decisions(for: "walking").contains { $0.action == .regress })
        #expect(plan.dose(of: "walking") == F.minutes(5))
    }

    /// The other way round: a report written after the halting report in the same minute
    /// was logged while halted, and is no evidence.
    @Test func aReportWrittenJustAfterTheHaltInTheSameMinuteIsNoEvidence() {
        var log = LogBuilder()
        log.after(0, pain: nil, flags: [.fever], time: "10:00")   // the flag first
        log.after(0, pain: 7, time: "10:00")                      // then the score
        log.resume(0, time: "12:00")
        let plan = F.plan(log.entries, asOf: log.day(1))
        #expect(!plan.decisions.contains { $0.action == .regress })
        #expect(plan.dose(of: "walking") == F.minutes(10))
    }
}
