import Foundation
@testable import RehabKit

/// SplitMix64: a tiny seeded generator, so every generated history can be replayed from
/// its seed.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }

    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
}

/// A generated patient story: program numbers, start, baseline and a pain log.
struct History {
    var seed: UInt64
    var program: Program
    var patient: Patient
    var log: [LogEntry]
    var asOf: LocalDate
    var options = Fixture.Options()

    func plan(asOf: LocalDate? = nil, days: Int = 7) -> Plan {
        Planner.plan(request(asOf: asOf, days: days))
    }

    func request(asOf: LocalDate? = nil, days: Int = 7) -> PlanRequest {
        PlanRequest(program: program, library: Fixture.library, patient: patient, zone: Fixture.berlin,
                    log: log, asOf: asOf ?? self.asOf, days: days)
    }

    /// Builds the history of `seed`: a mood (mostly green, mixed or rough), sometimes
    /// program numbers other than the defaults, reports that go missing, name an exercise
    /// or a variant, carry `spreading`, and now and then a halting flag and a clearance.
    /// Version 2: sometimes a glide that asks for its own reports, quota walking, gated
    /// tensioner rung and stage, clinicians' approvals, a higher usual pain, tailoring.
    static func make(seed: UInt64) -> History {
        var rng = SplitMix64(seed: seed)
        var rules = PainRules()
        var exit = ExitCriterion()
        var options = Fixture.Options()
        options.glideV2 = rng.chance(0.5)
        options.walkingQuota = rng.chance(0.4) ? rng.int(1...4) : nil
        options.gateTensioner = rng.chance(0.5)
        options.gateMobilise = rng.chance(0.3)
        options.glideDaysAtDose = rng.chance(0.2) ? rng.int(1...4) : nil
        if rng.chance(0.4) {
            rules.progressGreenDays = rng.int(1...4)
            rules.quietDays = rng.int(1...4)
            rules.minDaysBetweenChanges = rng.int(0...3)
            rules.flareRedDays = rng.int(1...3)
            rules.flareWindow = rng.int(2...4)
            rules.flareExitGreenDays = rng.int(1...3)
            rules.escalateAfterDays = rng.int(2...7)
            rules.morningRedAbove = rng.int(2...3)
            exit = ExitCriterion(greenDays: rng.int(0...5), window: rng.int(1...7), noRedDays: rng.int(0...3))
        }
        let mood = rng.int(0...2)
        let pGreen = [0.92, 0.7, 0.45][mood]
        let pAmber = [0.05, 0.15, 0.25][mood]
        let start = Fixture.surgery + rng.int(0...14)
        let baseline = rng.chance(0.25) ? rng.int(3...7) : rng.int(0...2)
        let days = rng.int(3...60)
        var tailoring = Tailoring()
        if rng.chance(0.3) {
            let from: LocalDate? = rng.chance(0.5) ? start + rng.int(1...20) : nil
            switch rng.int(0...3) {
            case 0: tailoring.exclude = [.init(exercise: "bridge", from: from)]
            case 1: tailoring.cap = [.init(exercise: "walking", dose: Fixture.minutes(15), from: from)]
            default: tailoring.approval = [.init(exercise: "nerve-glide", from: from)]
            }
        }
        var entries: [LogEntry] = []
        var halted = false
        func score(_ rng: inout SplitMix64) -> Int {
            if rng.chance(pGreen) { return rng.int(0...max(3, baseline)) }
            if rng.chance(pAmber / (1 - pGreen)) { return rng.int(4...5) }
            return rng.int(6...10)
        }
        let exercises = ["walking", "nerve-glide", "nerve-glide-slider", "nerve-glide-tensioner", "bridge"]
        for n in 0..<days {
            let day = start + n
            let reportsToday = rng.chance(0.1) ? 0 : rng.int(1...3)
            for _ in 0..<reportsToday {
                let time = rng.pick(["08:30", "13:30", "19:00", "21:45"])
                let exercise: String? = rng.chance(0.25) ? rng.pick(exercises) : nil
                let flags: [RedFlag] = rng.chance(0.04) ? [.spreading] : []
                entries.append(.report(PainReport(at: LocalDateTime(date: day, time: Fixture.time(time)),
                                                  pain: score(&rng), when: rng.chance(0.5) ? .during : .after,
                                                  exercise: exercise, flags: flags)))
            }
            if !rng.chance(0.12) {
                let delta = rng.chance(pGreen) ? rng.int(-1...0) : rng.int(1...4)
                entries.append(.report(PainReport(at: LocalDateTime(date: day + 1, time: Fixture.time("07:30")),
                                                  pain: max(0, min(10, baseline + delta)), when: .nextMorning,
                                                  exercise: rng.chance(0.1) ? rng.pick(exercises) : nil)))
            }
            if rng.chance(0.15) {
                let target: Approval.Target = rng.chance(0.8) ? .exercise(rng.pick(["nerve-glide", "nerve-glide-slider", "walking"]))
                                                               : .stage("mobilise")
                entries.append(.approval(Approval(at: LocalDateTime(date: day, time: Fixture.time(rng.pick(["09:00", "12:30", "20:00"]))),
                                                  by: "Dr Test", target: target)))
            }
            if rng.chance(0.025) {
                let flag = rng.pick(RedFlag.allCases.filter(\.halts))
                entries.append(.report(PainReport(at: LocalDateTime(date: day + 1, time: Fixture.time(rng.pick(["06:00", "10:15", "15:00"]))),
                                                  pain: rng.chance(0.5) ? nil : rng.int(0...10), when: .after, flags: [flag])))
                halted = true
            }
            if halted, rng.chance(0.3) {
                entries.append(.resume(Resume(at: LocalDateTime(date: day + 1, time: Fixture.time(rng.pick(["07:45", "12:00", "16:00"]))),
                                              clearedBy: "Dr Test")))
                halted = false
            }
        }
        return History(seed: seed, program: Fixture.program(rules: rules, exit: exit, options: options),
                       patient: Fixture.patient(start: start, baseline: baseline, tailoring: tailoring), log: entries,
                       asOf: start + days, options: options)
    }

    /// The halts as the log tells them, computed here without the planner: from each
    /// halting report (when not already halted) to the next clearance.
    func haltSpans(upTo asOf: LocalDate) -> [(start: Date, end: Date?)] {
        let entries = log.enumerated().filter { $0.element.at.date <= asOf }
            .sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
        var spans: [(start: Date, end: Date?)] = []
        for entry in entries {
            switch entry {
            case .report(let r) where r.flags.contains(where: \.halts):
                if spans.last.map({ $0.end != nil }) ?? true {
                    spans.append((r.at.resolved(in: Fixture.berlin).date, nil))
                }
            case .resume(let r):
                if let last = spans.last, last.end == nil {
                    spans[spans.count - 1].end = r.at.resolved(in: Fixture.berlin).date
                }
            default: break
            }
        }
        return spans
    }

    /// The evidence reports as the rules tell them, computed here without the planner: every
    /// report dated up to `asOf` except those logged while halted, judged in log order (by
    /// time, ties in the order written) from a halting report, itself included, to the
    /// next clearance.
    func evidenceReports(upTo asOf: LocalDate) -> [PainReport] {
        let entries = log.enumerated().filter { $0.element.at.date <= asOf }
            .sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
        var halted = false
        var result: [PainReport] = []
        for entry in entries {
            switch entry {
            case .report(let r):
                if r.flags.contains(where: \.halts) { halted = true }
                if !halted { result.append(r) }
            case .resume:
                halted = false
            case .approval:
                break
            }
        }
        return result
    }

    /// The days in `[start, asOf)` with a red evidence report under the program's zones,
    /// whichever exercise it names.
    func redDays(upTo asOf: LocalDate) -> Set<LocalDate> {
        let evidence = evidenceReports(upTo: asOf)
        return Set(evidence
            .filter { $0.day >= patient.startDate && $0.day < asOf && programZone($0, evidence: evidence) == .red }
            .map(\.day))
    }

    /// The usual pain of `day`, computed here from the evidence: the lower of the
    /// baseline and the median (lower middle) of 3 or more next-morning scores of the 7
    /// days before.
    func usual(on day: LocalDate, evidence: [PainReport]) -> Int {
        let scores = evidence.filter { $0.when == .nextMorning && $0.day < day && $0.day >= day - 7 }.compactMap(\.pain).sorted()
        guard scores.count >= 3 else { return patient.baselinePain }
        return min(patient.baselinePain, scores[(scores.count - 1) / 2])
    }

    /// The zone table, written out here without the planner's code.
    static func zone(score s: Int, nextMorning: Bool, usual b: Int, green g: Int, amber a: Int, rules: PainRules) -> Zone {
        if s >= 9 { return .red }
        if nextMorning {
            if s - b >= rules.morningRedAbove { return .red }
            return s - b >= rules.morningAmberAbove ? .amber : .green
        }
        if s <= max(g, b) { return .green }
        if a == g { return b >= g && s == b + 1 ? .amber : .red }
        return s <= max(a, b + 1) ? .amber : .red
    }

    /// The zone of a report under the program's zones.
    func programZone(_ r: PainReport, evidence: [PainReport]) -> Zone? {
        guard let pain = r.pain else { return nil }
        let rules = program.painRules
        return Self.zone(score: pain, nextMorning: r.when == .nextMorning, usual: usual(on: r.day, evidence: evidence),
                         green: rules.greenMax, amber: rules.amberMax, rules: rules)
    }

    /// The zone of a report for the prescription of `exercise` (a named report of a glide
    /// with version 2 zones is judged by 2/2).
    func zone(_ r: PainReport, for exercise: String, evidence: [PainReport]) -> Zone? {
        guard let pain = r.pain else { return nil }
        let rules = program.painRules
        let tight = options.glideV2 && exercise == "nerve-glide" && r.exercise != nil
        return Self.zone(score: pain, nextMorning: r.when == .nextMorning, usual: usual(on: r.day, evidence: evidence),
                         green: tight ? 2 : rules.greenMax, amber: tight ? 2 : rules.amberMax, rules: rules)
    }

    func isHalted(_ t: LocalDateTime, spans: [(start: Date, end: Date?)]) -> Bool {
        let instant = t.resolved(in: Fixture.berlin).date
        return spans.contains { instant >= $0.start && ($0.end.map { instant < $0 } ?? true) }
    }
}
