import Foundation
import Testing
@testable import RehabKit

/// Properties about red days over the generated histories: every red day the log holds is
/// reflected, also one just before a halt, and flares start exactly when the rules say.
/// The red days come from `History.redDays`, computed from the log without the planner.
@Suite struct PlannerRedDayPropertyTests {
    static let seeds = PlannerPropertyTests.seeds

    /// The replay knows exactly the red days of the log: none logged while halted, none lost
    /// because the next day began halted.
    @Test func theReplayRecordsEveryRedDayAndNoOther() {
        var beforeAHalt = 0
        for seed in Self.seeds {
            let h = History.make(seed: seed)
            var replay = PlannerReplay(request: h.request())
            replay.run()
            let expected = h.redDays(upTo: h.asOf)
            #expect(Set(replay.redDays) == Set(expected.map(\.daysSinceEpoch)), "seed \(seed)")
            let spans = h.haltSpans(upTo: h.asOf)
            beforeAHalt += expected.filter { h.isHalted(LocalDateTime(date: $0 + 1, time: .midnight), spans: spans) }.count
        }
        #expect(beforeAHalt > 5)  // the generator does produce red days just before a halt
    }

    /// A red day for walking (a red report naming walking, or naming no exercise on a day a
    /// session with walking came before any halt) steps walking back the next day, or
    /// walking is already at its floor (5 minutes in both stages), also when the plan is
    /// halted that next day.
    @Test func everyRedWalkingDayStepsWalkingBack() {
        var checked = 0
        var beforeAHalt = 0
        for seed in Self.seeds {
            let h = History.make(seed: seed)
            let plan = h.plan()
            let rules = h.program.painRules
            let spans = h.haltSpans(upTo: h.asOf)
            let walking = plan.decisions(for: "walking")
            // Walking is in every session of both stages, every day, and never paused.
            func walkingScheduled(on d: LocalDate) -> Bool {
                let stage = plan.decisions.filter { $0.action == .advanceStage && $0.exercise == nil && $0.date <= d }.count
                return h.program.stages[stage].sessionTimes.contains {
                    !h.isHalted(LocalDateTime(date: d, time: $0), spans: spans)
                }
            }
            let redWalkingDays = Set(h.evidenceReports(upTo: h.asOf).filter {
                $0.day >= h.patient.startDate && $0.day < h.asOf
                    && rules.zone(of: $0, baseline: h.patient.baselinePain) == .red
                    && ($0.exercise == "walking" || ($0.exercise == nil && walkingScheduled(on: $0.day)))
            }.map(\.day))
            for d in redWalkingDays.sorted() {
                checked += 1
                if h.isHalted(LocalDateTime(date: d + 1, time: .midnight), spans: spans) { beforeAHalt += 1 }
                let before = walking.last { $0.date <= d && $0.to != nil }?.to ?? Fixture.protectWalking.start
                let steppedBack = walking.contains { $0.date == d + 1 && $0.action == .regress && $0.rule == "red-day" }
                #expect(steppedBack || before == Fixture.minutes(5), "seed \(seed): red walking on \(d) not reflected")
            }
        }
        #expect(checked > 200)
        #expect(beforeAHalt > 5)
    }

    /// The rule: "red on 2 of the last 3 days" starts a flare. Whenever a red day brings the
    /// window to the threshold, the plan is in a flare the next day; and each flare starts
    /// on such a window, with a red day judged since the last flare ended.
    @Test func flaresStartExactlyOnTheRedWindow() {
        var flares = 0
        for seed in Self.seeds {
            let h = History.make(seed: seed)
            let plan = h.plan()
            let rules = h.program.painRules
            let window = max(1, rules.flareWindow)
            let need = max(1, rules.flareRedDays)
            let red = h.redDays(upTo: h.asOf)
            func count(endingAt d: LocalDate) -> Int { (0..<window).filter { red.contains(d - $0) }.count }
            let marks = plan.decisions.filter { $0.action == .flare && $0.exercise == nil }
            for d in red.sorted() where count(endingAt: d) >= need {
                let state = marks.last { $0.date <= d + 1 }?.rule
                #expect(state == "flare", "seed \(seed): red window ending \(d) but no flare on \(d + 1)")
            }
            var lastEnd: LocalDate?
            for mark in marks {
                if mark.rule == "flare-over" { lastEnd = mark.date; continue }
                flares += 1
                let d = mark.date - 1
                #expect(count(endingAt: d) >= need, "seed \(seed): flare on \(mark.date) without a red window")
                if let end = lastEnd {
                    #expect((0..<window).contains { d - $0 >= end && red.contains(d - $0) },
                            "seed \(seed): flare on \(mark.date) restarted by the last flare's own red days")
                }
            }
        }
        #expect(flares > 20)
    }
}
