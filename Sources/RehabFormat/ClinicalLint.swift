import RehabKit
import Yams

/// The clinical checks of `rehab validate`: a program that reads well can still schedule
/// what a healing spine or an irritated nerve should not meet. Each rule gives a
/// `warning: [clinical/<rule>]` (or `info:`) at the line it is about; a prescription may keep
/// one with `accept: [{rule, because}]`. Why each rule exists, and its source, is in
/// docs/program-format.md ("Clinical checks").
public enum ClinicalLint {
    /// Every rule id, without the `clinical/` prefix.
    public static let rules = [
        "forbidden-movement", "nerve-flare", "nerve-amber", "tension-approval", "volume-jump",
        "fusion-walking", "restriction-end", "carried-dose", "early-stage",
    ]

    /// The earliest week after surgery a movement usually belongs in a program, per
    /// procedure (reference `post-op-protocol-stages`; for fusion the same protocols'
    /// stricter weeks). After a decompression the protocols start gentle pelvic tilts at
    /// once, so bending and twisting are left to the program's own restrictions there.
    static let healingWeek: [Procedure: [Movement: Int]] = [
        .fusion: [.quadruped: 6, .flexion: 6, .rotation: 6, .lifting: 12, .impact: 12],
        .discectomy: [.quadruped: 6, .lifting: 6, .impact: 12],
        .laminectomy: [.quadruped: 6, .lifting: 6, .impact: 12],
    ]

    /// Walking after a fusion (reference `post-op-protocol-stages`): minutes a day and walks a
    /// day allowed before a week.
    static let fusionWalking: [(beforeWeek: Int, minutesADay: Int, walksADay: Int)] = [(6, 30, 2), (12, 40, 2)]

    /// The clinical diagnostics of one valid program, in file order.
    static func check(program: Program, root: Node, library: ExerciseLibrary, file: String, text: String) -> [Diagnostic] {
        var lint = Run(program: program, library: library, sink: Sink(file: file, text: text))
        lint.run(root)
        return lint.sink.found.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
    }

    /// Collects diagnostics with their source line.
    struct Sink {
        let file: String
        let lines: [Substring]
        var found: [Diagnostic] = []

        init(file: String, text: String) {
            self.file = file
            lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.last == "\r" ? $0.dropLast() : $0 }
        }

        mutating func add(_ rule: String, _ message: String, at node: Node?, severity: Diagnostic.Severity) {
            let line = node?.mark?.line ?? 1, column = node?.mark?.column ?? 1
            var d = Diagnostic(file: file, line: line, column: column, category: "clinical/\(rule)", message: message,
                               sourceLine: lines.indices.contains(line - 1) ? String(lines[line - 1]) : nil)
            d.severity = severity
            found.append(d)
        }
    }

    /// One pass over one program.
    struct Run {
        let program: Program
        let library: ExerciseLibrary
        var sink: Sink

        /// The node under `key` of a mapping.
        static func child(_ node: Node?, _ key: String) -> Node? {
            guard let node, case .mapping(let m) = node else { return nil }
            return m.first { $0.key.scalar?.string == key }?.value
        }

        static func items(_ node: Node?) -> [Node] {
            guard let node, case .sequence(let s) = node else { return [] }
            return Array(s)
        }

        static func int(_ node: Node?) -> Int? { node?.scalar.flatMap { Int($0.string) } }

        /// What a rung loads: its variant's movements, else the family's.
        func movements(_ rung: Dose, of p: Prescription) -> Set<Movement> {
            if let v = rung.variant, let own = library[v]?.movements { return own }
            return library[p.exercise]?.movements ?? []
        }

        func movements(of p: Prescription) -> Set<Movement> {
            p.ladder.rungs.reduce(into: Set<Movement>()) { $0.formUnion(movements($1, of: p)) }
        }

        func name(_ p: Prescription) -> String { "'\(p.exercise)'" }

        static func list(_ set: Set<Movement>) -> String { set.sorted().map(\.rawValue).joined(separator: ", ") }

        /// The week a stage ends (the next stage's `from_week`), nil for the last.
        func endWeek(of index: Int) -> Int? {
            index + 1 < program.stages.count ? program.stages[index + 1].fromWeek : nil
        }

        mutating func run(_ root: Node) {
            let restrictionNodes = Self.items(Self.child(root, "restrictions"))
            for (r, node) in zip(program.restrictions, restrictionNodes) where r.untilWeek == nil && !r.throughout {
                sink.add("restriction-end", "restriction '\(Checker.clip(r.text))' has no end: give it 'until_week', or "
                         + "mark it 'throughout: true' if it is meant to last the whole program",
                         at: Self.child(node, "text") ?? node, severity: .warning)
            }
            let stageNodes = Self.items(Self.child(root, "stages"))
            for (si, (stage, stageNode)) in zip(program.stages, stageNodes).enumerated() {
                let prescriptionNodes = Self.items(Self.child(stageNode, "prescriptions"))
                for (p, node) in zip(stage.prescriptions, prescriptionNodes) {
                    var local = PrescriptionCheck(run: self, stageIndex: si, stage: stage, p: p, node: node,
                                                  restrictionNodes: restrictionNodes, found: [])
                    local.all()
                    let accepted = Set(p.accept.map(\.rule))
                    var fired: Set<String> = []
                    for f in local.found {
                        fired.insert(f.rule)
                        if !accepted.contains(f.rule) { sink.add(f.rule, f.message, at: f.node, severity: f.severity) }
                    }
                    for (a, accNode) in zip(p.accept, Self.items(Self.child(node, "accept"))) where !fired.contains(a.rule) {
                        sink.add(a.rule, "'accept' keeps clinical/\(a.rule), but that rule finds nothing here; "
                                 + "remove the entry", at: accNode, severity: .info)
                    }
                }
            }
        }
    }

    /// The rules that look at one prescription.
    struct PrescriptionCheck {
        struct Finding { var rule: String; var message: String; var node: Node?; var severity: Diagnostic.Severity }
        let run: Run
        let stageIndex: Int
        let stage: Stage
        let p: Prescription
        let node: Node
        let restrictionNodes: [Node]
        var found: [Finding]

        var exerciseNode: Node? { Run.child(node, "exercise") ?? node }
        var doseNode: Node? { Run.child(node, "dose") }
        var program: Program { run.program }

        mutating func warn(_ rule: String, _ message: String, at node: Node?, _ severity: Diagnostic.Severity = .warning) {
            found.append(Finding(rule: rule, message: message, node: node, severity: severity))
        }

        mutating func all() {
            forbidden()
            nerve()
            approval()
            volume()
            walking()
            carried()
            early()
        }

        mutating func forbidden() {
            let moves = run.movements(of: p)
            for (r, rNode) in zip(program.restrictions, restrictionNodes) where !r.forbids.isEmpty {
                guard r.procedures.isEmpty || !Set(r.procedures).isDisjoint(with: program.procedures) else { continue }
                if let until = r.untilWeek, stage.fromWeek >= until { continue }
                let clash = moves.intersection(r.forbids)
                guard !clash.isEmpty else { continue }
                let line = rNode.mark?.line ?? 0
                let when = r.untilWeek.map { "before week \($0)" } ?? "throughout"
                warn("forbidden-movement", "\(run.name(p)) loads \(Run.list(clash)), which the restriction on line \(line) "
                     + "('\(Checker.clip(r.text))') forbids \(when), and stage '\(stage.id)' may begin in week "
                     + "\(stage.fromWeek); move it to a later stage or pick a variant without it", at: exerciseNode)
            }
        }

        mutating func nerve() {
            let moves = run.movements(of: p)
            guard moves.contains(where: \.movesNerve) else { return }
            if !p.skipInFlare {
                warn("nerve-flare", "\(run.name(p)) moves the nerve (\(Run.list(moves.filter(\.movesNerve)))) but is not "
                     + "paused in a flare; add 'skip_in_flare: true'", at: Run.child(node, "skip_in_flare") ?? exerciseNode)
            }
            let zones = Run.child(node, "zones")
            let green = Run.int(Run.child(zones, "green_max")) ?? program.painRules.greenMax
            let amber = Run.int(Run.child(zones, "amber_max")) ?? program.painRules.amberMax
            if amber > green {
                warn("nerve-amber", "\(run.name(p)) moves the nerve, which is never done into pain, yet has an amber "
                     + "zone (\(green + 1)-\(amber) of 10) in which it carries on; give it "
                     + "'zones: {green_max: \(green), amber_max: \(green)}'", at: zones ?? exerciseNode)
            }
        }

        mutating func approval() {
            let rungNodes = Run.items(Run.child(doseNode, "ladder"))
            let from = Run.child(doseNode, "approval_from")
            for i in p.ladder.rungs.indices.dropFirst() {
                let now = run.movements(p.ladder.rungs[i], of: p), before = run.movements(p.ladder.rungs[i - 1], of: p)
                guard now.contains(.neuralTension), !before.contains(.neuralTension) else { continue }
                let rungNode = rungNodes.indices.contains(i) ? rungNodes[i] : doseNode
                let gated = Run.child(rungNode, "approval")?.scalar?.string == "true" || from != nil
                if !gated {
                    warn("tension-approval", "rung \(i + 1) of \(run.name(p)) (\(DoseReader.text(p.ladder.rungs[i]))) "
                         + "starts stretching the nerve; gate it with 'approval: true' so a clinician decides",
                         at: rungNode)
                }
            }
        }

        static func volume(_ d: Dose) -> Int {
            (d.sets ?? 1) * (d.reps ?? 1) * (d.holdSeconds ?? 1) * (d.minutes ?? 1)
        }

        mutating func volume() {
            let rungNodes = Run.items(Run.child(doseNode, "ladder"))
            let written = !rungNodes.isEmpty
            // Steps up from the start rung on: a rung below the start is a step back, and
            // climbing back to the start returns to a dose already done.
            for i in p.ladder.rungs.indices where i > p.ladder.startIndex {
                let a = p.ladder.rungs[i - 1], b = p.ladder.rungs[i]
                guard a.variant == b.variant else { continue }
                let va = Self.volume(a), vb = Self.volume(b)
                guard vb * 2 > va * 3 else { continue }
                let percent = (vb - va) * 100 / max(1, va)
                let message = "the step from \(a) to \(b) of \(run.name(p)) raises its volume by \(percent) %; "
                    + "keep each step to 50 % or less (add a rung between)"
                if written {
                    warn("volume-jump", message, at: rungNodes.indices.contains(i) ? rungNodes[i] : doseNode)
                } else {
                    warn("volume-jump", message, at: Run.child(doseNode, "step") ?? doseNode)
                    return
                }
            }
        }

        mutating func walking() {
            guard program.procedures.contains(.fusion), p.exercise == "walking"
                    || run.library[p.exercise]?.category == "aerobic" else { return }
            guard let limit = ClinicalLint.fusionWalking.first(where: { stage.fromWeek < $0.beforeWeek }),
                  let minutes = p.ladder.cap.minutes else { return }
            let walks = p.sessions?.count ?? stage.sessionTimes.count
            let total = minutes * walks
            if total > limit.minutesADay || walks > limit.walksADay {
                warn("fusion-walking", "after a fusion, walking builds to about \(limit.minutesADay) minutes a day in "
                     + "\(limit.walksADay) walks before week \(limit.beforeWeek); stage '\(stage.id)' (from week "
                     + "\(stage.fromWeek)) allows \(walks) walk\(walks == 1 ? "" : "s") of up to \(minutes) minutes "
                     + "(\(total) a day)", at: Run.child(doseNode, "cap") ?? doseNode)
            }
        }

        mutating func carried() {
            guard stageIndex > 0,
                  let before = program.stages[stageIndex - 1].prescriptions.first(where: { $0.exercise == p.exercise })
            else { return }
            guard let missing = before.ladder.rungs.first(where: { !p.ladder.rungs.contains($0) }) else { return }
            warn("carried-dose", "\(run.name(p)) carries over from stage '\(program.stages[stageIndex - 1].id)', whose "
                 + "rung \(DoseReader.text(missing)) is not a rung here: a patient at that dose moves to the nearest "
                 + "rung below", at: doseNode, .info)
        }

        mutating func early() {
            let moves = run.movements(of: p)
            for procedure in program.procedures {
                guard let windows = ClinicalLint.healingWeek[procedure] else { continue }
                for m in moves.sorted() {
                    guard let week = windows[m], stage.fromWeek < week else { continue }
                    warn("early-stage", "\(run.name(p)) loads \(m.rawValue), which after a \(procedure.rawValue) "
                         + "usually waits until about week \(week); stage '\(stage.id)' may begin in week "
                         + "\(stage.fromWeek)", at: exerciseNode)
                    return
                }
            }
        }
    }
}
