import RehabKit
import Yams

/// Reads a prescription's `dose:` block into a `DoseLadder`: either a generated ladder
/// (`floor`?, `start`, `step`, `cap`, `approval_from`?) or a written-out one (`ladder`,
/// `start`; a rung may carry `approval: true`). The gated rungs come back beside it.
struct DoseReader {
    /// The exercise prescribed (its dose kind decides which components are allowed).
    let exercise: Exercise
    /// Ids a written rung may name as its `variant`: the family and its variants.
    let variantIDs: [String]

    static let components = ["sets", "reps", "hold_seconds", "minutes"]
    /// Largest value any component may take; guards against runaway ladders.
    static let maxAmount = 10_000
    /// Most rungs a ladder may have.
    static let maxRungs = 200

    /// The components a dose kind allows, the required one first.
    static func allowed(for kind: DoseKind) -> [String] {
        switch kind {
        case .reps: ["reps", "sets", "hold_seconds"]
        case .hold: ["hold_seconds", "reps", "sets"]
        case .minutes: ["minutes"]
        }
    }

    /// A dose map read with the node of each component, for positions in later checks.
    struct Read {
        var dose: Dose
        var node: Node
        var nodes: [String: Node]
        /// A written-out rung with `approval: true`.
        var gated = false
        func amount(_ name: String) -> Int? {
            switch name {
            case "sets": dose.sets
            case "reps": dose.reps
            case "hold_seconds": dose.holdSeconds
            default: dose.minutes
            }
        }
        var present: [String] { DoseReader.components.filter { amount($0) != nil } }
    }

    /// A ladder and the indexes of its rungs that need a clinician's approval.
    struct Gated {
        var ladder: DoseLadder
        var approvalRungs: Set<Int>
    }

    func ladder(_ node: Node, _ c: inout Checker) -> Gated? {
        if case .mapping = node, let f0 = c.peekKeys(node), f0.contains("ladder") {
            return written(node, &c)
        }
        return generated(node, &c)
    }

    /// Checks that no gate sits on the start rung or below it (the patient starts there).
    private func checkGates(_ gates: Set<Int>, _ ladder: DoseLadder, at node: Node?, _ c: inout Checker) -> Bool {
        guard let low = gates.min(), low <= ladder.startIndex else { return true }
        c.error("approval", "rung \(low + 1) (\(Self.text(ladder.rungs[low]))) needs approval but is not above the start "
                + "rung; an approval gate belongs on a rung above start", at: node)
        return false
    }

    // MARK: Written-out ladders

    private func written(_ node: Node, _ c: inout Checker) -> Gated? {
        guard let f = c.fields(node, "a written-out dose", required: ["ladder", "start"],
                               optional: ["step", "cap", "floor"]) else { return nil }
        for key in ["step", "cap", "floor"] where f.has(key) {
            c.error("dose", "'\(key)' does not go with a written-out 'ladder': its first rung is the floor and its "
                    + "last the cap; remove '\(key)'", at: f.keyNode(key))
        }
        guard let items = c.list(f["ladder"], "'ladder'") else { return nil }
        if items.isEmpty {
            c.error("dose", "'ladder' is empty; write the rungs from floor to cap", at: f["ladder"])
            return nil
        }
        if items.count > Self.maxRungs {
            c.error("dose", "'ladder' has \(items.count) rungs; at most \(Self.maxRungs)", at: f["ladder"])
            return nil
        }
        var rungs: [Dose] = []
        var gates: Set<Int> = []
        var ok = true
        for (i, item) in items.enumerated() {
            if let r = read(item, role: "a ladder rung", variants: true, step: false, gate: true, &c) {
                rungs.append(r.dose)
                if r.gated { gates.insert(i) }
            } else { ok = false }
        }
        let start = f["start"].flatMap { read($0, role: "start", variants: true, step: false, &c) }
        for (i, rung) in rungs.enumerated() where rungs[..<i].contains(rung) {
            ok = false
            c.error("dose", "rung \(i + 1) (\(Self.text(rung))) is written twice; write each rung once", at: items[i])
        }
        guard ok, let start else { return nil }
        guard let index = rungs.firstIndex(of: start.dose) else {
            c.error("dose", "start (\(Self.text(start.dose))) is not a rung of the ladder; copy one of the rungs "
                    + "exactly, variant included", at: start.node)
            return nil
        }
        let ladder = DoseLadder(rungs: rungs, startIndex: index)
        guard checkGates(gates, ladder, at: gates.min().map { items[$0] }, &c) else { return nil }
        return Gated(ladder: ladder, approvalRungs: gates)
    }

    // MARK: Generated ladders

    private func generated(_ node: Node, _ c: inout Checker) -> Gated? {
        guard let f = c.fields(node, "'dose'", required: ["start", "cap"], optional: ["step", "floor", "approval_from"])
        else { return nil }
        let approvalFrom = f["approval_from"].flatMap { read($0, role: "approval_from", variants: false, step: false, &c) }
        if f.has("approval_from"), approvalFrom == nil { return nil }
        let start = f["start"].flatMap { read($0, role: "start", variants: false, step: false, &c) }
        let cap = f["cap"].flatMap { read($0, role: "cap", variants: false, step: false, &c) }
        let floor = f["floor"].flatMap { read($0, role: "floor", variants: false, step: false, &c) }
        let step = f["step"].flatMap { read($0, role: "step", variants: false, step: true, &c) }
        guard let start, let cap else { return nil }
        let partsOK = !(f.has("floor") && floor == nil || f.has("step") && step == nil)
        var ok = true
        func sameShape(_ other: Read, _ role: String, _ c: inout Checker) {
            for name in Self.components where (start.amount(name) == nil) != (other.amount(name) == nil) {
                ok = false
                if other.amount(name) == nil {
                    c.error("dose", "\(role) has no '\(name)' but start has; give \(role) the same components",
                            at: other.node)
                } else {
                    c.error("dose", "\(role) has '\(name)' but start has none; give start and \(role) the same "
                            + "components", at: other.nodes[name])
                }
            }
        }
        sameShape(cap, "cap", &c)
        if let floor { sameShape(floor, "floor", &c) }
        guard ok else { return nil }
        for name in start.present {
            guard let s = start.amount(name), let top = cap.amount(name) else { continue }
            if s > top {
                ok = false
                c.error("dose", "start \(name) \(s) is above cap \(name) \(top); start must not exceed the cap",
                        at: start.nodes[name])
            }
            if let floor, let low = floor.amount(name), low > s {
                ok = false
                c.error("dose", "floor \(name) \(low) is above start \(name) \(s); the floor must not exceed the start",
                        at: floor.nodes[name])
            }
        }
        guard ok, partsOK else { return nil }
        var rungs = 1
        for name in start.present {
            guard let s = start.amount(name), let top = cap.amount(name) else { continue }
            let stepAmount = step?.amount(name)
            if top > s, stepAmount == nil {
                c.error("dose", "cap raises \(name) from \(s) to \(top) but step has no '\(name)'; add it to step",
                        at: step?.node ?? f.node)
                ok = false
            }
            let stepSize = max(1, stepAmount ?? 1)
            let low = floor?.amount(name) ?? s
            rungs = max(rungs, 1 + (top - s + stepSize - 1) / stepSize + (s - low + stepSize - 1) / stepSize)
        }
        if let step {
            for name in step.present where start.amount(name) == nil {
                ok = false
                c.error("dose", "step has '\(name)' but start has none; remove it from step", at: step.nodes[name])
            }
        }
        guard ok else { return nil }
        if rungs > Self.maxRungs {
            c.error("dose", "this dose makes a ladder of \(rungs) rungs; use a larger step (at most \(Self.maxRungs) "
                    + "rungs)", at: f.node)
            return nil
        }
        guard let ladder = DoseLadder.generate(floor: floor?.dose, start: start.dose,
                                               step: step?.dose ?? Dose(), cap: cap.dose) else {
            c.error("dose", "floor, start, step and cap do not make a ladder; check that floor <= start <= cap "
                    + "and every step is positive", at: f.node)
            return nil
        }
        var gates: Set<Int> = []
        if let approvalFrom {
            guard let first = ladder.rungs.firstIndex(of: approvalFrom.dose) else {
                c.error("approval", "approval_from (\(Self.text(approvalFrom.dose))) is not a rung of this ladder; its rungs "
                        + "are \(ladder.rungs.map { "{\(Self.text($0))}" }.joined(separator: ", "))", at: approvalFrom.node)
                return nil
            }
            gates = Set(first..<ladder.rungs.count)
            guard checkGates(gates, ladder, at: approvalFrom.node, &c) else { return nil }
        }
        return Gated(ladder: ladder, approvalRungs: gates)
    }

    // MARK: One dose map

    /// Reads a map of `sets`, `reps`, `hold_seconds`, `minutes` and (in a written ladder) `variant`.
    func read(_ node: Node, role: String, variants: Bool, step: Bool, gate: Bool = false, _ c: inout Checker) -> Read? {
        let keys = Self.components + ["variant"] + (gate ? ["approval"] : [])
        guard let f = c.fields(node, "\(role) of '\(exercise.id)'", required: [], optional: keys) else { return nil }
        var gated = false
        if let g = f["approval"] {
            if let b = c.bool(g, "'approval'") { gated = b } else { return nil }
        }
        let allowed = Self.allowed(for: exercise.doseKind)
        var dose = Dose()
        var nodes: [String: Node] = [:]
        var ok = true
        for name in Self.components {
            guard let valueNode = f[name] else { continue }
            nodes[name] = valueNode
            guard allowed.contains(name) else {
                ok = false
                c.error("dose", "'\(name)' does not apply to '\(exercise.id)', which is dosed in \(exercise.doseKind.rawValue); "
                        + "use \(allowed.joined(separator: ", "))", at: f.keyNode(name))
                continue
            }
            guard let value = c.int(valueNode, "\(role) \(name)") else { ok = false; continue }
            if value < 0 {
                ok = false
                c.error("dose", step ? "step \(name) is \(value); a step must be positive (at least 1)"
                                     : "\(role) \(name) is \(value); a dose cannot be negative", at: valueNode)
            } else if value == 0 {
                ok = false
                c.error("dose", step ? "step \(name) is 0; a step must be positive (at least 1)"
                                     : "\(role) \(name) is 0; a dose must be at least 1", at: valueNode)
            } else if value > Self.maxAmount {
                ok = false
                c.error("dose", "\(role) \(name) is \(value); at most \(Self.maxAmount)", at: valueNode)
            }
            switch name {
            case "sets": dose.sets = value
            case "reps": dose.reps = value
            case "hold_seconds": dose.holdSeconds = value
            default: dose.minutes = value
            }
        }
        if let vnode = f["variant"] {
            if !variants {
                ok = false
                c.error("dose", "'variant' belongs only in a written-out ladder; write the rungs under 'ladder'",
                        at: f.keyNode("variant"))
            } else if let v = c.string(vnode, "'variant'") {
                if variantIDs.contains(v) {
                    dose.variant = v
                } else {
                    ok = false
                    let list = variantIDs.dropFirst().joined(separator: ", ")
                    c.error("dose", "'\(Checker.clip(v))' is not a variant of '\(exercise.id)'"
                            + (list.isEmpty ? "; it has no variants" : "; its variants are \(list)")
                            + Suggest.didYouMean(v, among: variantIDs), at: vnode)
                }
            } else { ok = false }
        }
        if !step, ok, let required = allowed.first, nodes[required] == nil {
            ok = false
            c.error("dose", "\(role) needs '\(required)': '\(exercise.id)' is dosed in \(exercise.doseKind.rawValue)",
                    at: node)
        }
        if step, ok, nodes.isEmpty {
            ok = false
            c.error("dose", "'step' is empty; give the amount each component rises per rung", at: node)
        }
        return ok ? Read(dose: dose, node: node, nodes: nodes, gated: gated) : nil
    }

    /// A dose as the YAML would write it: "reps: 10, variant: x".
    static func text(_ dose: Dose) -> String {
        var parts: [String] = []
        if let v = dose.sets { parts.append("sets: \(v)") }
        if let v = dose.reps { parts.append("reps: \(v)") }
        if let v = dose.holdSeconds { parts.append("hold_seconds: \(v)") }
        if let v = dose.minutes { parts.append("minutes: \(v)") }
        if let v = dose.variant { parts.append("variant: \(v)") }
        return parts.joined(separator: ", ")
    }
}

extension Checker {
    /// The plain keys of a mapping, without reporting anything.
    func peekKeys(_ node: Node) -> [String]? {
        guard case .mapping(let mapping) = node else { return nil }
        return mapping.compactMap { key, _ in key.scalar?.string }
    }
}
