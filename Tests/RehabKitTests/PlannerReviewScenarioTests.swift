import Testing
@testable import RehabKit

/// The clinical review of version 1, bullet by bullet (issue 10), each story told again
/// under pain rules version 2.
@Suite struct PlannerReviewScenarioTests {
    typealias F = Fixture
    static let v2 = F.program(options: F.Options(glideV2: true))

    /// "A nerve glide logged at 4-5/10 tingling to foot on two days was kept at the same
    /// dose." Now the glide has no amber zone: 4/10 naming it is red for it and steps it
    /// back, but it is not a red day for the plan, so no flare.
    @Test func aGlideAtFourOrFiveStepsBackWithoutAFlare() {
        var log = LogBuilder()
        for n in 0...1 {
            log.after(n, pain: n == 0 ? 4 : 5, exercise: "nerve-glide-slider")
            log.morning(n, pain: 0)
        }
        let plan = F.plan(log.entries, asOf: log.day(2), program: Self.v2)
        #expect(plan.decisions(for: "nerve-glide").map(\.rule) == ["red-day", "at-floor"])
        #expect(plan.dose(of: "nerve-glide") == F.slider(5))
        #expect(plan.rules(.flare).isEmpty)
        #expect(plan.decisions(for: "walking").allSatisfy { $0.action != .regress })
    }

    /// "A patient whose usual leg pain is 6 who reports their usual 6/10 is stepped back on
    /// day 1, in a flare on day 3, escalated on day 10." Now 6 is green for them: no step
    /// back, no flare, no escalation, and the plan moves on.
    @Test func aUsualSixIsGreenForAPatientWhoseUsualPainIsSix() {
        var log = LogBuilder()
        for n in 0..<14 { log.after(n, pain: 6); log.morning(n, pain: 6) }
        let plan = F.plan(log.entries, asOf: log.day(14), program: Self.v2, patient: F.patient(baseline: 6))
        #expect(!plan.decisions.contains { [.regress, .flare, .escalate].contains($0.action) })
        #expect(plan.rules(.progress).contains("green-days"))
        #expect(plan.alerts.isEmpty)
    }

    /// "One evening report for all exercises counts as evidence for every exercise ...
    /// several on the same day ... a newly started glide rose three times in five days
    /// without one report about the glide." Now the glide waits for its own report, one
    /// dose rises a day, and each waits three green days.
    @Test func reportsForAllExercisesDoNotRaiseTheGlideAndOneDoseRisesADay() {
        var log = LogBuilder()
        log.green(0, 1, 2, 3, 4, 5)
        let plan = F.plan(log.entries, asOf: log.day(6), program: Self.v2)
        #expect(plan.decisions(for: "nerve-glide").allSatisfy { $0.action != .progress })
        #expect(plan.decisions(for: "nerve-glide").map(\.rule) == ["missing-reports"])
        let ups = plan.decisions.filter { $0.action == .progress }
        #expect(ups.map(\.date) == [log.day(3), log.day(6)])  // walking 10 -> 15 -> 20, three days apart
        #expect(Set(ups.map(\.date)).count == ups.count)
    }

    /// "The tensioner was given automatically on day 85 without any clinician." Now the
    /// gated rung waits for an approval, says so once, and still needs its green days
    /// after the approval.
    @Test func theTensionerWaitsForAClinician() {
        let program = F.program(options: F.Options(glideV2: true, gateTensioner: true))
        let patient = F.patient(startStage: "mobilise")
        var log = LogBuilder()
        for n in 0..<14 {
            log.after(n, pain: 1, exercise: "nerve-glide-slider")
            log.after(n, pain: 1)
            log.morning(n, pain: 0)
        }
        let waiting = F.plan(log.entries, asOf: log.day(12), program: program, patient: patient)
        #expect(waiting.dose(of: "nerve-glide") == F.slider(15))
        #expect(waiting.decisions(for: "nerve-glide").filter { $0.rule == "awaiting-approval" }.count == 1)
        #expect(waiting.alerts.contains { $0.kind == .awaitingApproval && $0.exercise == "nerve-glide" })
        log.approve(12, exercise: "nerve-glide")
        for n in 14..<18 {
            log.after(n, pain: 1, exercise: "nerve-glide-slider")
            log.morning(n, pain: 0)
        }
        let dayAfter = F.plan(log.entries, asOf: log.day(13), program: program, patient: patient)
        #expect(dayAfter.dose(of: "nerve-glide") == F.slider(15))  // an approval is not a step
        #expect(dayAfter.decisions(for: "nerve-glide").last?.action == .approve)
        let later = F.plan(log.entries, asOf: log.day(16), program: program, patient: patient)
        #expect(later.dose(of: "nerve-glide") == F.tensioner(15))
        #expect(!later.alerts.contains { $0.kind == .awaitingApproval })
    }

    /// "In a flare the hamstring stretch went on while the gentler glide paused." Every
    /// prescription marked `skip_in_flare` pauses (the shipped programs now mark the
    /// tensioning stretches; checked in ShippedProgramRulesTests).
    @Test func everySkipInFlarePrescriptionPauses() {
        var log = LogBuilder()
        log.red(0, 1)
        let plan = F.plan(log.entries, asOf: log.day(2), program: Self.v2)
        #expect(plan.rules(.flare) == ["flare"])
        #expect(plan.sessions.allSatisfy { !$0.exercises.contains { $0.prescription == "nerve-glide" } })
    }

    /// "A patient who never logs never progresses and nobody is told." Walking by quota
    /// rises anyway, and the plan asks the patient to log and alerts the clinic.
    @Test func aPatientWhoNeverLogsIsToldAndQuotaWalkingRises() {
        let program = F.program(options: F.Options(walkingQuota: 3))
        let plan = F.plan([], asOf: F.start + 7, program: program)
        #expect(plan.decisions(for: "walking").filter { $0.action == .progress }.map(\.rule) == ["quota", "quota"])
        #expect(plan.dose(of: "walking") == F.minutes(20))
        #expect(plan.alerts.map(\.kind) == [.noReports])
        #expect(plan.alerts.first?.since == F.start)
        #expect(plan.advice == [PlannerReplay.quietAdvice])
        #expect(plan.decisions(for: "nerve-glide").allSatisfy { $0.action != .progress })
    }

    /// "A red report at 19:00 left tomorrow's calendar at the old dose." The plan of that
    /// evening shows tomorrow's step back (and so does the calendar made from it).
    @Test func aRedReportTonightLowersTomorrowsDose() {
        var log = LogBuilder()
        log.green(0, 1, 2)            // walking 15 from day 3
        log.after(3, pain: 7)         // 19:00 on day 3
        let tonight = F.plan(log.entries, asOf: log.day(3), days: 2)
        #expect(tonight.sessions.filter { $0.slot.date == log.day(3) }.allSatisfy { $0.exercises.first?.dose == F.minutes(15) })
        #expect(tonight.sessions.filter { $0.slot.date == log.day(4) }.allSatisfy { $0.exercises.first?.dose == F.minutes(10) })
        #expect(tonight.decisions.last { $0.exercise == "walking" }?.date == log.day(4))
        #expect(tonight.alerts.map(\.kind) == [.redDay])
    }

    /// "rehab explain said 'Pain was in the red zone (above 5)' where the cause was a
    /// next-morning 4/10 two above the patient's usual 2." Now it says which score, which
    /// comparison, which day.
    @Test func theBecauseTextNamesTheScoreTheComparisonAndTheDay() {
        var log = LogBuilder()
        log.after(0, pain: 2)
        log.morning(0, pain: 4)
        let plan = F.plan(log.entries, asOf: log.day(1), patient: F.patient(baseline: 2))
        let because = plan.decisions(for: "walking").first?.because ?? ""
        #expect(because.hasPrefix("Next-morning pain 4/10 on \(log.day(0)) is 2 above your usual 2"))
        #expect(!because.contains("above 5"))
    }
}

/// A dated `baseline_pain` changes the usual pain from its date on, never before.
@Suite struct DatedBaselineTests {
    @Test func aBaselineChangeActsFromItsDateOnly() {
        var patient = Fixture.patient()
        patient.baselineChanges = [BaselineChange(from: Fixture.start, value: 0), BaselineChange(from: Fixture.start + 2, value: 6)]
        var log = LogBuilder()
        log.after(0, pain: 6)   // red at usual 0: a step back
        log.after(2, pain: 6)   // green at usual 6
        let plan = Fixture.plan(log.entries, asOf: log.day(3), patient: patient)
        #expect(plan.decisions(for: "walking").filter { $0.action == .regress }.map(\.date) == [log.day(1)])
        #expect(patient.baseline(on: Fixture.start + 1) == 0)
        #expect(patient.baseline(on: Fixture.start + 5) == 6)
    }
}
