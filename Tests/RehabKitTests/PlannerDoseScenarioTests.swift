import Testing
@testable import RehabKit

/// Stories about one exercise's dose: progress, hold and regress (the pain rules,
/// version 2"). Version 1's stories stepped up after two green days and let several doses
/// rise on one day; these now wait `days_at_dose` (3) green days and take one step a day.
@Suite struct PlannerDoseScenarioTests {
    typealias F = Fixture

    @Test func threeGreenDaysMoveWalkingUpOneRungTheDayAfter() {
        var log = LogBuilder()
        log.green(0, 1, 2)
        let dayTwo = F.plan(log.entries, asOf: log.day(2))
        #expect(dayTwo.dose(of: "walking") == F.minutes(10))

        let dayThree = F.plan(log.entries, asOf: log.day(3))
        #expect(dayThree.dose(of: "walking") == F.minutes(15))
        let progress = dayThree.decisions(for: "walking").filter { $0.action == .progress }
        #expect(progress.count == 1)
        #expect(progress.first?.date == log.day(3))
        #expect(progress.first?.from == F.minutes(10))
        #expect(progress.first?.to == F.minutes(15))
        #expect(progress.first?.rule == "green-days")
        #expect(Set(progress.first?.reports.map(\.day) ?? []) == [log.day(0), log.day(1), log.day(2)])
        // The glide earned its step the same day: it waits one day (one step a day).
        #expect(dayThree.decisions(for: "nerve-glide").map(\.rule) == ["one-at-a-time"])
        #expect(F.plan(log.entries, asOf: log.day(4)).decisions(for: "nerve-glide").map(\.rule) == ["one-at-a-time", "green-days"])
    }

    @Test func walkingClimbsToItsCapAndHoldsThere() {
        var log = LogBuilder()
        log.green(0, 1, 2, 3, 4, 5, 6, 7)
        let plan = F.plan(log.entries, asOf: log.day(6), program: F.program(exit: ExitCriterion(greenDays: 7, window: 7, noRedDays: 3)))
        #expect(plan.dose(of: "walking") == F.minutes(20))
        let walking = plan.decisions(for: "walking")
        // Days 0-2 earn 15 (day 3), days 3-5 earn 20 (day 6): three days at each dose.
        #expect(walking.map(\.rule) == ["green-days", "green-days"])
        #expect(walking.map(\.date) == [log.day(3), log.day(6)])
    }

    @Test func anAmberDayHoldsAndTheWaitStartsAgain() {
        var log = LogBuilder()
        log.green(0)
        log.after(1, pain: 4)
        log.morning(1, pain: 0)
        log.green(2, 3, 4)
        let plan = F.plan(log.entries, asOf: log.day(5))
        let walking = plan.decisions(for: "walking")
        #expect(walking.map(\.rule) == ["amber-day", "green-days"])
        #expect(walking.map(\.date) == [log.day(2), log.day(5)])
        #expect(F.plan(log.entries, asOf: log.day(4)).dose(of: "walking") == F.minutes(10))
    }

    @Test func aMissingNextMorningReportIsNoEvidence() {
        var log = LogBuilder()
        for n in 0..<5 { log.after(n, pain: 1) }
        let plan = F.plan(log.entries, asOf: log.day(5))
        #expect(plan.dose(of: "walking") == F.minutes(10))
        #expect(plan.rules(.progress).isEmpty)
        // One hold for the whole unreported streak, not one a day.
        #expect(plan.decisions(for: "walking").map(\.rule) == ["missing-reports"])
    }

    @Test func theNextMorningCountsAgainstTheBaseline() {
        func walking(baseline: Int, morning: Int) -> Plan {
            var log = LogBuilder()
            for n in 0...2 { log.after(n, pain: 1); log.morning(n, pain: morning) }
            return F.plan(log.entries, asOf: log.day(3), patient: F.patient(baseline: baseline))
        }
        #expect(walking(baseline: 3, morning: 3).dose(of: "walking") == F.minutes(15))  // back to baseline: green
        #expect(walking(baseline: 3, morning: 4).decisions(for: "walking").first?.rule == "amber-day")
        let red = walking(baseline: 0, morning: 2)
        #expect(red.decisions(for: "walking").first?.rule == "red-day")
        #expect(red.dose(of: "walking") == F.minutes(5))
    }

    /// The zone rules judge the next-morning score against the patient's baseline and
    /// nothing else: "the next-morning score also counts against `baseline_pain`: no higher
    /// than baseline is green, baseline + 1 amber, baseline + 2 or more red". So with a
    /// resting baseline of 6, a next-morning 6 is green (back to the usual level), not red on
    /// the 0-10 scale. (A review proposed the 0-10 reading; the rules fix this one, so this test
    /// pins it. The `during`/`after` scores keep the 0-10 zones.)
    @Test func aNextMorningScoreAtAHighBaselineIsGreenAsSpecSays() {
        func walking(morning: Int) -> Plan {
            var log = LogBuilder()
            for n in 0...2 { log.after(n, pain: 2); log.morning(n, pain: morning) }
            return F.plan(log.entries, asOf: log.day(3), patient: F.patient(baseline: 6))
        }
        let atBaseline = walking(morning: 6)
        #expect(atBaseline.decisions(for: "walking").map(\.rule) == ["green-days"])
        #expect(atBaseline.dose(of: "walking") == F.minutes(15))
        #expect(walking(morning: 7).decisions(for: "walking").first?.rule == "amber-day")  // baseline + 1
        #expect(walking(morning: 8).decisions(for: "walking").first?.rule == "red-day")    // baseline + 2
        #expect(PainRules().zone(ofMorning: 6, baseline: 6) == .green)
        #expect(PainRules().zone(ofScore: 6) == .red)  // a 6 during or after exercise is red at usual 0-4 ...
        #expect(PainRules().zone(ofScore: 6, usual: 6) == .green)  // ... and green for a patient whose usual pain is 6
    }

    @Test func aRedDayStepsBackAndNeverBelowTheFloor() {
        var log = LogBuilder()
        log.green(0, 1, 2)  // walking 15 on day 3
        log.red(3)          // back to 10 on day 4
        log.green(4)
        log.red(5)          // back to 5 on day 6 (red on 2 of the last 3 days: also a flare)
        let plan = F.plan(log.entries, asOf: log.day(6))
        let walking = plan.decisions(for: "walking")
        #expect(walking.map(\.action) == [.progress, .regress, .regress])
        #expect(walking.last?.to == F.minutes(5))
        #expect(plan.dose(of: "walking") == F.minutes(5))
        #expect(plan.rules(.flare) == ["flare"])

        log.red(6)
        let floor = F.plan(log.entries, asOf: log.day(7))
        #expect(floor.dose(of: "walking") == F.minutes(5))
        #expect(floor.decisions(for: "walking").last?.rule == "at-floor")
    }

    @Test func spreadingFromTheNerveGlideStepsBackOnlyTheGlide() {
        var log = LogBuilder()
        log.green(0, 1, 2)  // walking 10 -> 15 on day 3; the glide waits a day
        log.after(3, pain: 2, exercise: "nerve-glide-slider", flags: [.spreading])
        log.after(3, pain: 2, exercise: "walking")
        log.morning(3, pain: 0)
        let plan = F.plan(log.entries, asOf: log.day(4))
        let glide = plan.decisions(for: "nerve-glide").last
        #expect(glide?.action == .regress)
        #expect(glide?.rule == "spreading")
        #expect(glide?.to == F.slider(5))  // its waiting step is gone too
        #expect(plan.dose(of: "nerve-glide") == F.slider(5))
        #expect(plan.dose(of: "walking") == F.minutes(15))
    }

    @Test func aVariantReportCountsForItsFamily() {
        var log = LogBuilder()
        for n in 0...2 {
            log.after(n, pain: 1, exercise: "nerve-glide-slider")
            log.morning(n, pain: 0, exercise: "nerve-glide-slider")
        }
        let plan = F.plan(log.entries, asOf: log.day(3))
        #expect(plan.dose(of: "nerve-glide") == F.slider(15))
        #expect(plan.dose(of: "walking") == F.minutes(10))
        #expect(plan.decisions(for: "walking").map(\.rule) == ["missing-reports"])
        #expect(plan.sessions.first?.exercises.last?.id == "nerve-glide-slider")
    }

    @Test func laterReportsDoNotReachBackIntoAnEarlierPlan() {
        var log = LogBuilder()
        log.green(0, 1, 2, 3, 4, 5)
        let plan = F.plan(log.entries, asOf: log.day(3), days: 7)
        #expect(plan.sessions.count == 21)
        #expect(plan.sessions.allSatisfy { s in s.exercises.first { $0.prescription == "walking" }?.dose == F.minutes(15) })
        #expect(plan.decisions.allSatisfy { $0.date <= log.day(3) })
    }

    @Test func patientTimesReplaceTheDefaultsInOrder() {
        let plan = F.plan([], asOf: F.start, days: 1, patient: F.patient(times: ["07:15"]))
        #expect(plan.sessions.map(\.slot.time.description) == ["07:15", "13:00", "18:30"])
        #expect(plan.sessions.map(\.start.iso8601) ==
                ["2026-11-09T07:15:00+01:00", "2026-11-09T13:00:00+01:00", "2026-11-09T18:30:00+01:00"])
        // The glide is in sessions 1 and 3 only.
        #expect(plan.sessions.map { $0.exercises.map(\.prescription) } ==
                [["walking", "nerve-glide"], ["walking"], ["walking", "nerve-glide"]])
    }

    @Test func nothingIsPlannedBeforeTheStartDate() {
        let plan = F.plan([], asOf: F.start - 3, days: 4)
        #expect(plan.sessions.map(\.slot.date) == [F.start, F.start, F.start])
        #expect(plan.decisions.isEmpty)
    }
}
