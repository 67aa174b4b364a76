import Foundation
import Testing
@testable import RehabKit

/// The `stalled` alert as a property over the generated histories (the same 500 seeds as
/// `PlannerPropertyTests`): no step up and no stage entry for 14 days while reports still
/// arrive, with room to rise. Everything it is checked against is read from the plan's own
/// decisions and from the log (`History.evidenceReports`), not from the replay's state.
@Suite struct PlannerStalledPropertyTests {
    static let seeds = PlannerPropertyTests.seeds

    /// An alert only when its conditions hold, dated 14 days after the last step up or stage
    /// entry; and always when they hold while a later stage is still ahead (room to rise).
    @Test func stalledExactlyWhenFourteenDaysPassWithoutAStepWhileReportsArrive() {
        var stalled = 0
        var steppedRecently = 0
        for seed in Self.seeds {
            let h = History.make(seed: seed)
            let plan = h.plan()
            let ups = plan.decisions.filter { $0.action == .progress || $0.action == .advanceStage }.map(\.date)
            let lastUp = ups.max() ?? h.patient.startDate
            let halted = plan.halt != nil
            let inFlare = plan.decisions.last { $0.action == .flare && $0.exercise == nil }?.rule == "flare"
            let quiet = plan.alerts.contains { $0.kind == .noReports }
            let reporting = h.evidenceReports(upTo: h.asOf).contains { $0.day >= h.asOf - 14 && $0.day < h.asOf }
            let waited = h.asOf.days(since: lastUp) >= 14
            let alert = plan.alerts.first { $0.kind == .stalled }
            if let alert {
                stalled += 1
                #expect(alert.since == lastUp + 14, "seed \(seed): stalled since \(alert.since), last step up \(lastUp)")
                #expect(waited && reporting, "seed \(seed): stalled, last step up \(lastUp), reports in the last 14 days: \(reporting)")
                #expect(!halted && !inFlare && !quiet, "seed \(seed): stalled while halted \(halted), in a flare \(inFlare), quiet \(quiet)")
            }
            let eligible = !halted && !inFlare && !quiet && reporting && plan.stage == "protect"
            if eligible, waited {
                #expect(alert != nil, "seed \(seed): no step up since \(lastUp), reports arrive, a stage ahead, but no stalled alert")
            }
            if eligible, !waited, h.asOf.days(since: h.patient.startDate) >= 14 { steppedRecently += 1 }
        }
        // Both sides occur: stalled patients, and patients of 14 days or more whose recent
        // step up keeps the alert away.
        #expect(stalled > 20, "\(stalled) stalled")
        #expect(steppedRecently > 20, "\(steppedRecently) stepped up recently")
    }

    /// A patient who has gone quiet is told to log (`no-reports`), not listed as stalled:
    /// each stalled history again with its last `quiet_days` days of reports left out, so
    /// that older reports still lie within the 14 days.
    @Test func aQuietPatientIsNotStalled() {
        var quietNow = 0
        for seed in Self.seeds {
            var h = History.make(seed: seed)
            guard h.plan().alerts.contains(where: { $0.kind == .stalled }) else { continue }
            let q = max(1, h.program.painRules.quietDays)
            h.log.removeAll { entry in
                if case .report(let r) = entry, r.flags.allSatisfy({ !$0.halts }), r.day >= h.asOf - q { return true }
                return false
            }
            let plan = h.plan()
            guard plan.alerts.contains(where: { $0.kind == .noReports }),
                  h.evidenceReports(upTo: h.asOf).contains(where: { $0.day >= h.asOf - 14 && $0.day < h.asOf }) else { continue }
            quietNow += 1
            #expect(!plan.alerts.contains { $0.kind == .stalled }, "seed \(seed): stalled and quiet at once")
        }
        #expect(quietNow > 10, "\(quietNow) stalled histories made quiet")
    }
}
