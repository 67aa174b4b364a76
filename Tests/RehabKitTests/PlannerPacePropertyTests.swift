import Foundation
import Testing
@testable import RehabKit

/// Version 2's pace and gates as properties over the generated histories (the same 500
/// seeds as `PlannerPropertyTests`; each property was seen to fail with its rule reverted).
@Suite struct PlannerPacePropertyTests {
    static let seeds = PlannerPropertyTests.seeds

    /// Decisions that restart every exercise's waiting (and forbid a step up that day).
    static func restartsAll(_ d: Decision) -> Bool {
        switch d.action {
        case .regress: d.rule != "tailored-cap"  // a clinician's lower cap moves only its own exercise
        case .advanceStage, .resume, .halt: true
        case .flare: d.exercise == nil
        default: false
        }
    }

    /// One step up a day in the whole plan, and none on a day with a regression, a flare's
    /// start or end, a stage entry, a clearance or a halt.
    @Test func oneStepUpADayAndNoneOnADayThatRestarts() {
        var steps = 0
        var crowded = 0
        for seed in Self.seeds {
            let h = History.make(seed: seed)
            let plan = h.plan()
            let ups = plan.decisions.filter { $0.action == .progress }
            steps += ups.count
            let days = Dictionary(grouping: ups, by: \.date)
            for (day, list) in days {
                #expect(list.count == 1, "seed \(seed): \(list.count) steps up on \(day)")
                let restarts = plan.decisions.filter { $0.date == day && Self.restartsAll($0) }
                #expect(restarts.isEmpty, "seed \(seed): a step up on \(day), a day with \(restarts.map { "\($0.action) \($0.rule)" })")
            }
            crowded += plan.decisions.filter { $0.rule == "one-at-a-time" }.count
        }
        #expect(steps > 300)
        #expect(crowded > 20)  // the histories do have several exercises due on one day
    }

    /// No step up within `days_at_dose` (or a quota's `every_days`) days of any change of
    /// the exercise, of any plan-wide restart (stage entry included) or of its approval:
    /// the days counted are its session days from the change on, at most one a calendar day.
    @Test func noStepUpWithinItsDaysOfAnyChange() {
        var checked = 0
        for seed in Self.seeds {
            let h = History.make(seed: seed)
            let plan = h.plan()
            let halts = h.log.compactMap { entry -> LocalDate? in
                if case .report(let r) = entry, r.flags.contains(where: \.halts), r.at.date <= h.asOf { return r.at.date }
                return nil
            }
            for up in plan.decisions where up.action == .progress {
                guard let x = up.exercise else { continue }
                let changes = plan.decisions.filter {
                    $0.date < up.date && (Self.restartsAll($0) || ($0.exercise == x && $0.action != .hold))
                }.map(\.date) + halts.filter { $0 < up.date } + [h.patient.startDate]
                let last = changes.max() ?? h.patient.startDate
                let need: Int
                if up.rule == "quota" {
                    need = h.options.walkingQuota ?? 1
                } else {
                    need = (x == "nerve-glide" ? h.options.glideDaysAtDose : nil) ?? h.program.painRules.daysAtDose
                }
                checked += 1
                #expect(up.date.days(since: last) >= need,
                        "seed \(seed): \(x) up on \(up.date), \(up.date.days(since: last)) days after a change on \(last), needs \(need)")
            }
        }
        #expect(checked > 300)
    }

    /// Never onto a gated rung, or into a gated stage, before a clinician's approval given
    /// after the last flare, halt, stage change and gated step (the harness reads the
    /// approvals from the log itself).
    @Test func noStepOntoAGateBeforeItsApproval() {
        var gatedSteps = 0
        var gatedStages = 0
        var waits = 0
        for seed in Self.seeds {
            var h = History.make(seed: seed)
            // More gates and approvals than the plain histories have: every second patient
            // needs approval for each glide rung above the start, and a clinician approves
            // the glide every few days.
            if seed % 2 == 0, h.patient.tailoring.isEmpty { h.patient.tailoring.approval = [.init(exercise: "nerve-glide")] }
            // (Only some patients get these approvals: the others must wait at every gate.)
            let every = seed % 3 == 0 ? Int(seed % 4) + 2 : Int.max / 2
            for n in stride(from: 1, through: h.asOf.days(since: h.patient.startDate), by: every) {
                h.log.append(.approval(Approval(at: LocalDateTime(date: h.patient.startDate + n, time: Fixture.time("12:00")),
                                                by: "Dr Gate", target: .exercise("nerve-glide"))))
            }
            let plan = h.plan()
            let approvals = h.log.compactMap { entry -> Approval? in
                if case .approval(let a) = entry, a.at.date <= h.asOf { return a }
                return nil
            }
            let halts = h.log.compactMap { entry -> LocalDateTime? in
                if case .report(let r) = entry, r.flags.contains(where: \.halts) { return r.at }
                return nil
            }
            waits += plan.decisions.filter { $0.rule == "awaiting-approval" }.count
            var stage = 0
            var lastGatedStep: [String: LocalDate] = [:]
            for d in plan.decisions {
                if d.action == .advanceStage, d.exercise == nil { stage += 1 }
                let lapses = plan.decisions.filter { ($0.action == .flare && $0.rule == "flare" && $0.exercise == nil) || $0.action == .advanceStage }
                    .map { LocalDateTime(date: $0.date, time: .midnight) }.filter { $0.date < d.date }
                    + halts.filter { $0.date < d.date }
                func approved(_ target: Approval.Target, after: LocalDateTime?) -> Bool {
                    let floor = ([after].compactMap { $0 } + lapses).max()
                    return approvals.contains { a in
                        let same: Bool = switch (a.target, target) {
                        case (.stage(let s1), .stage(let s2)): s1 == s2
                        case (.exercise(let e1), .exercise(let e2)): Fixture.library.familyID(of: e1) == e2
                        default: false
                        }
                        return same && a.at.date < d.date && floor.map { a.at > $0 } ?? true
                    }
                }
                if d.action == .advanceStage, d.exercise == nil, h.program.stages[stage].approval {
                    gatedStages += 1
                    #expect(approved(.stage(h.program.stages[stage].id), after: nil), "seed \(seed): stage \(stage) without approval")
                }
                guard d.action == .progress, let x = d.exercise, let to = d.to else { continue }
                let rx = h.program.stages[stage].prescriptions.first { $0.exercise == x }
                var gates = rx?.approvalRungs ?? []
                if let rx, h.patient.tailoring.approval.contains(where: { $0.exercise == x && ($0.from ?? h.patient.startDate) < d.date }) {
                    gates.formUnion((rx.ladder.startIndex + 1)..<rx.ladder.rungs.count)
                }
                guard let rung = rx?.ladder.rungs.firstIndex(of: to), gates.contains(rung) else { continue }
                gatedSteps += 1
                let after = lastGatedStep[x].map { LocalDateTime(date: $0, time: .midnight) }
                #expect(approved(.exercise(x), after: after), "seed \(seed): \(x) onto gated \(to) on \(d.date) without approval")
                lastGatedStep[x] = d.date
            }
        }
        print("gated steps \(gatedSteps), gated stages \(gatedStages), awaiting holds \(waits)")
        #expect(gatedSteps > 5)
        #expect(gatedStages > 3)
        #expect(waits > 30)
    }

    /// Reports naming no exercise never progress an `own_report` prescription: with every
    /// report naming the glide taken out of the log, the glide never steps up.
    @Test func unnamedReportsNeverProgressAnOwnReportPrescription() {
        var otherSteps = 0
        for seed in Self.seeds {
            var h = History.make(seed: seed)
            h.options.glideV2 = true
            h.program = Fixture.program(rules: h.program.painRules, exit: h.program.stages[0].exit, options: h.options)
            h.log = h.log.filter { entry in
                guard case .report(let r) = entry, let named = r.exercise else { return true }
                return Fixture.library.familyID(of: named) != "nerve-glide"
            }
            let plan = h.plan()
            #expect(plan.decisions.allSatisfy { !($0.action == .progress && $0.exercise == "nerve-glide") },
                    "seed \(seed): the glide stepped up on reports that do not name it")
            otherSteps += plan.decisions.filter { $0.action == .progress }.count
        }
        #expect(otherSteps > 100)  // the same reports do move the other exercises
    }

    /// A patient whose every report is their usual pain (0-7) is never stepped back and
    /// never flares, whichever exercise a report names.
    @Test func reportsAtTheUsualPainNeverRegressOrFlare() {
        var steps = 0
        for seed in Self.seeds {
            var rng = SplitMix64(seed: seed &+ 7_000)
            let usual = rng.int(0...7)
            var h = History.make(seed: seed)
            h.patient.baselinePain = usual
            h.log = h.log.compactMap { entry in
                guard case .report(var r) = entry else { return entry }
                guard !r.flags.contains(where: \.halts) else { return nil }
                r.pain = usual
                r.flags = []
                return .report(r)
            }
            let plan = h.plan()
            // (A clinician's lower cap, `tailored-cap`, is not the pain's doing.)
            let bad = plan.decisions.filter { ($0.action == .regress && $0.rule != "tailored-cap") || $0.action == .flare || $0.rule == "at-floor" }
            #expect(bad.isEmpty, "seed \(seed): usual \(usual): \(bad.map { "\($0.date) \($0.rule)" })")
            steps += plan.decisions.filter { $0.action == .progress }.count
        }
        #expect(steps > 300)  // and they do progress
    }

    /// Nothing marked `skip_in_flare` is scheduled while a flare lasts (checked on each day
    /// of the history as it was planned that day, and on the days after as_of).
    @Test func nothingInAFlareForSkipInFlare() {
        var flareDays = 0
        for seed in Self.seeds {
            let h = History.make(seed: seed)
            let marks = h.plan().decisions.filter { $0.action == .flare && $0.exercise == nil }
            guard !marks.isEmpty else { continue }
            func inFlare(_ day: LocalDate) -> Bool { marks.last { $0.date <= day }?.rule == "flare" }
            var day = h.patient.startDate
            while day <= h.asOf {
                if inFlare(day) {
                    flareDays += 1
                    let plan = h.plan(asOf: day, days: 1)
                    for session in plan.sessions {
                        let stage = h.program.stage(id: session.stage)
                        let paused = Set(stage?.prescriptions.filter(\.skipInFlare).map(\.exercise) ?? [])
                        #expect(session.exercises.allSatisfy { !paused.contains($0.prescription) },
                                "seed \(seed): \(session.exercises.map(\.prescription)) on \(day) in a flare")
                    }
                }
                day = day + 1
            }
        }
        #expect(flareDays > 100)
    }

    /// A red report for walking on day D (one naming walking, or naming none on a day walking
    /// was scheduled before it) lowers the walking dose the plan of D shows for D + 1, unless
    /// walking is at its floor or D + 1 begins halted.
    @Test func aRedReportOnDayDLowersTheDoseShownForTomorrow() {
        var checked = 0
        for seed in Self.seeds {
            let h = History.make(seed: seed)
            let spans = h.haltSpans(upTo: h.asOf)
            let evidence = h.evidenceReports(upTo: h.asOf)
            let reds = evidence.filter {
                $0.when != .nextMorning && $0.day >= h.patient.startDate && $0.day < h.asOf
                    && ($0.exercise == nil || $0.exercise == "walking")
                    && h.zone($0, for: "walking", evidence: evidence) == .red
            }
            for day in Set(reds.map(\.day)).sorted() {
                guard !h.isHalted(LocalDateTime(date: day + 1, time: .midnight), spans: spans) else { continue }
                let plan = h.plan(asOf: day, days: 2)
                let today = plan.sessions.filter { $0.slot.date == day }
                let tomorrow = plan.sessions.first { $0.slot.date == day + 1 }?.exercises.first { $0.prescription == "walking" }?.dose
                // Walking counted for the day: named, or a session before the report held it.
                let counted = reds.contains { r in
                    r.day == day && (r.exercise == "walking" || today.contains { $0.slot.time <= r.at.time })
                }
                let before = today.lazy.flatMap(\.exercises).first { $0.prescription == "walking" }?.dose
                guard counted, let tomorrow, let before, before != Fixture.minutes(5) else { continue }
                checked += 1
                #expect(tomorrow.isAtMost(before) && tomorrow != before,
                        "seed \(seed): red walking on \(day), plan of that day shows \(tomorrow) for \(day + 1) (was \(before))")
            }
        }
        #expect(checked > 100)
    }
}
