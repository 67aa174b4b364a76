import Foundation
import Testing
@testable import RehabKit

/// Safety properties over many generated report histories (seeded, so a failure names
/// the seed that reproduces it).
@Suite struct PlannerPropertyTests {
    static let seeds: [UInt64] = Array(0..<500)

    /// Every rung the fixture's ladders have, by prescription.
    static let rungs: [String: Set<Dose>] = {
        var result: [String: Set<Dose>] = [:]
        for stage in Fixture.program().stages {
            for rx in stage.prescriptions { result[rx.exercise, default: []].formUnion(rx.ladder.rungs) }
        }
        return result
    }()

    /// A step up rests on evidence: a pain step on green days only (never past an amber or
    /// red day, never on a missing report unless it was already earned and held one day by
    /// `one-at-a-time`), a quota step never on an amber or red day. Zones and good news as
    /// the rules (version 2) say, computed by the harness (`History.zone`).
    @Test func noProgressAfterAnAmberOrRedDayOrWithoutReports() {
        var checked = 0
        for seed in Self.seeds {
            let h = History.make(seed: seed)
            let plan = h.plan()
            let evidence = h.evidenceReports(upTo: h.asOf)
            for decision in plan.decisions where decision.action == .progress {
                guard let exercise = decision.exercise else { Issue.record("seed \(seed): progress without exercise"); continue }
                checked += 1
                let day = decision.date - 1
                let counting = evidence.filter { r in
                    guard r.day == day else { return false }
                    guard let named = r.exercise else { return true }
                    return Fixture.library.familyID(of: named) == exercise
                }
                let zones = counting.compactMap { h.zone($0, for: exercise, evidence: evidence) }
                #expect(zones.allSatisfy { $0 == .green }, "seed \(seed): \(exercise) up on \(decision.date) after a non-green day")
                guard decision.rule == "green-days" else {
                    #expect(decision.rule == "quota", "seed \(seed): \(decision.rule)")
                    continue
                }
                let ownReport = h.options.glideV2 && exercise == "nerve-glide"
                let heldOneDay = plan.decisions.contains {
                    $0.exercise == exercise && $0.rule == "one-at-a-time" && $0.date < decision.date
                        && $0.date >= (plan.decisions.last { $0.exercise == exercise && $0.date < decision.date && $0.action != .hold }?.date ?? h.patient.startDate)
                }
                if !heldOneDay {
                    #expect(counting.contains { $0.when != .nextMorning && $0.pain != nil && (!ownReport || $0.exercise != nil) },
                            "seed \(seed): no during/after report that is good news")
                    #expect(counting.contains { $0.when == .nextMorning }, "seed \(seed): no next-morning report")
                }
                let restedOn = Set(decision.reports.map(\.day))
                let need = (exercise == "nerve-glide" ? h.options.glideDaysAtDose : nil) ?? h.program.painRules.daysAtDose
                #expect(restedOn.count >= need, "seed \(seed): rested on too few days")
                #expect(decision.reports.allSatisfy { h.zone($0, for: exercise, evidence: evidence) == .green },
                        "seed \(seed): rested on a report that is not green")
            }
        }
        #expect(checked > 300)
    }

    @Test func everyDoseIsARungNeverAboveTheCapOrBelowTheFloor() {
        for seed in Self.seeds {
            let h = History.make(seed: seed)
            let plan = h.plan()
            for decision in plan.decisions {
                guard let exercise = decision.exercise, let rungs = Self.rungs[exercise] else { continue }
                for dose in [decision.from, decision.to].compactMap({ $0 }) {
                    #expect(rungs.contains(dose), "seed \(seed): \(dose) is not a rung of \(exercise)")
                }
            }
            for session in plan.sessions {
                let stage = h.program.stage(id: session.stage)
                for item in session.exercises {
                    #expect(Self.rungs[item.prescription]?.contains(item.dose) == true, "seed \(seed)")
                    // Always a rung of the stage's own ladder (a carried dose moves to the nearest rung below).
                    let ladder = stage?.prescriptions.first(where: { $0.exercise == item.prescription })?.ladder
                    #expect(ladder?.rungs.contains(item.dose) == true, "seed \(seed): \(item.dose) off the ladder of \(session.stage)")
                }
            }
        }
    }

    @Test func noStageBeforeItsWeek() {
        for seed in Self.seeds {
            let h = History.make(seed: seed)
            let plan = h.plan()
            var stage = 0
            for decision in plan.decisions where decision.action == .advanceStage && decision.exercise == nil {
                stage += 1
                let week = Int((Double(decision.date.days(since: h.patient.surgeryDate)) / 7).rounded(.down))
                #expect(week >= h.program.stages[stage].fromWeek, "seed \(seed): \(decision.date) is week \(week)")
            }
            #expect(plan.stage == h.program.stages[stage].id, "seed \(seed)")
        }
    }

    @Test func nothingIsScheduledBetweenAHaltAndItsClearance() {
        var halts = 0
        for seed in Self.seeds {
            let h = History.make(seed: seed)
            for asOf in [h.patient.startDate + 3, h.asOf - 5, h.asOf] {
                let plan = h.plan(asOf: asOf, days: 10)
                let spans = h.haltSpans(upTo: asOf)
                for session in plan.sessions {
                    #expect(!h.isHalted(session.slot, spans: spans), "seed \(seed): session \(session.slot) while halted")
                }
                let open = spans.last.flatMap { $0.end == nil ? $0.start : nil }
                #expect((plan.status == .halted) == (open != nil), "seed \(seed)")
                if let open {
                    halts += 1
                    #expect(plan.halt?.at.resolved(in: Fixture.berlin).date == open, "seed \(seed)")
                    #expect(plan.sessions.allSatisfy { $0.start.date < open }, "seed \(seed)")
                    #expect(plan.halt?.advice.isEmpty == false, "seed \(seed)")
                }
            }
        }
        #expect(halts > 20)  // the generator does produce halts
    }

    /// While the plan is halted at the start of a day, only lowering decisions take effect
    /// that day: no progress, no stage advance, no flare end, no escalation.
    @Test func nothingGoodNewsTakesEffectOnADayThatBeginsHalted() {
        var lowered = 0
        for seed in Self.seeds {
            let h = History.make(seed: seed)
            let plan = h.plan()
            let spans = h.haltSpans(upTo: h.asOf)
            for decision in plan.decisions where h.isHalted(LocalDateTime(date: decision.date, time: .midnight), spans: spans) {
                switch (decision.action, decision.rule) {
                case (.regress, _), (.hold, "at-floor"), (.flare, "flare"): lowered += 1
                case (.halt, _), (.resume, _), (.approve, _): break
                default: Issue.record("seed \(seed): \(decision.action) \(decision.rule) on \(decision.date), which begins halted")
                }
            }
        }
        #expect(lowered > 10)  // the histories do step back while halted
    }

    @Test func sameInputsSamePlanAndHistoryNeverChangesLater() {
        for seed in Self.seeds {
            let h = History.make(seed: seed)
            let plan = h.plan()
            #expect(plan == h.plan(), "seed \(seed)")
            let earlier = h.asOf - Int(seed % 7) - 1
            let before = h.plan(asOf: earlier).decisions
            // Up to `earlier` the history is the same; what `earlier`'s own reports lowered
            // for the next day stays lowered once the next morning is known.
            #expect(before.filter { $0.date <= earlier } == plan.decisions.filter { $0.date <= earlier }, "seed \(seed)")
            func key(_ d: Decision) -> String { "\(d.date) \(d.exercise ?? "-") \(d.action) \(d.rule) \(String(describing: d.to))" }
            let later = Set(plan.decisions.filter { $0.date == earlier + 1 }.map(key))
            for d in before where d.date == earlier + 1 {
                #expect(d.action == .regress || d.action == .flare || d.rule == "at-floor", "seed \(seed): \(d.rule) earned before its morning")
                #expect(later.contains(key(d)), "seed \(seed): \(key(d)) undone the next day")
            }
        }
    }

    @Test func dosesMoveOnlyByDecisionsAndFlareAdvanceResumeNeverRaise() {
        var seen: [Decision.Action: Int] = [:]
        for seed in Self.seeds {
            let h = History.make(seed: seed)
            let plan = h.plan()
            var stage = 0
            var dose: [String: Dose] = [:]
            for rx in h.program.stages[0].prescriptions { dose[rx.exercise] = rx.ladder.start }
            var progressed: Set<String> = []
            for decision in plan.decisions {
                seen[decision.action, default: 0] += 1
                if decision.action == .advanceStage, decision.exercise == nil {
                    stage += 1
                    for rx in h.program.stages[stage].prescriptions where dose[rx.exercise] == nil {
                        dose[rx.exercise] = rx.ladder.start
                    }
                }
                guard let x = decision.exercise, let from = decision.from, let to = decision.to else { continue }
                #expect(from == dose[x], "seed \(seed): \(x) jumped before \(decision.date)")
                switch decision.action {
                case .flare, .resume, .regress, .advanceStage:
                    #expect(to.isAtMost(from) && to != from, "seed \(seed): \(decision.action) raised \(x)")
                case .hold: #expect(to == from, "seed \(seed)")
                case .progress:
                    #expect(from.isAtMost(to) && to != from, "seed \(seed)")
                    #expect(progressed.insert("\(x)@\(decision.date)").inserted, "seed \(seed): two rungs in a day")
                default: Issue.record("seed \(seed): \(decision.action) with a dose")
                }
                dose[x] = to
            }
            for session in plan.sessions where session.slot.date > h.asOf {
                for item in session.exercises {
                    #expect(item.dose == dose[item.prescription], "seed \(seed): \(item.prescription) not at its decided dose")
                }
            }
        }
        // The histories reach every kind of decision.
        for action in Decision.Action.allCases { #expect(seen[action, default: 0] > 0, "never saw \(action)") }
    }

    @Test func replayingAYearOfReportsIsQuick() {
        // Not a timed test: it checks the year replays to a sane plan; the figure is in the report.
        var rng = SplitMix64(seed: 42)
        var log: [LogEntry] = []
        for n in 0..<365 {
            let day = Fixture.start + n
            for time in ["08:30", "13:30", "19:00"] {
                log.append(.report(PainReport(at: LocalDateTime(date: day, time: Fixture.time(time)),
                                              pain: rng.chance(0.9) ? rng.int(0...3) : rng.int(4...7), when: .after)))
            }
            log.append(.report(PainReport(at: LocalDateTime(date: day + 1, time: Fixture.time("07:30")),
                                          pain: rng.int(0...1), when: .nextMorning)))
        }
        let request = PlanRequest(program: Fixture.program(), library: Fixture.library, patient: Fixture.patient(),
                                  zone: Fixture.berlin, log: log, asOf: Fixture.start + 365, days: 7)
        let plan = Planner.plan(request)
        #expect(log.count > 1400)
        #expect(plan.sessions.count == 14)
        #expect(plan.stage == "mobilise")
    }
}
