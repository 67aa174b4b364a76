import RehabKit
import Yams

/// Reads a program's `stages:` and their prescriptions.
struct StageReader {
    let library: ExerciseLibrary
    /// The program's pain rules: a prescription's `zones` may only tighten them.
    var rules = PainRules()

    static let stageKeys = (required: ["id", "title", "from_week", "sessions", "prescriptions"],
                            optional: ["exit", "weekdays", "approval"])
    static let prescriptionKeys = (required: ["exercise", "dose", "sources"],
                                   optional: ["sessions", "weekdays", "skip_in_flare", "zones", "own_report",
                                              "days_at_dose", "progression", "every_days", "accept"])

    func stages(_ node: Node, _ c: inout Checker) -> [Stage]? {
        guard let items = c.list(node, "'stages'") else { return nil }
        if items.isEmpty {
            c.error("missing-key", "'stages' is empty; a program needs at least one stage", at: node)
            return nil
        }
        var result: [Stage] = []
        var ok = true
        var ids: Set<String> = []
        var previousWeek: Int?
        for (number, item) in items.enumerated() {
            guard let f = c.fields(item, "a stage", required: Self.stageKeys.required, optional: Self.stageKeys.optional)
            else { ok = false; continue }
            let id = c.id(f["id"], "stage id")
            if let id {
                if ids.contains(id) {
                    c.error("duplicate-id", "stage id '\(id)' is used twice; give each stage its own id", at: f["id"])
                }
                ids.insert(id)
            }
            let title = c.string(f["title"], "'title'")
            var fromWeek: Int?
            if let node = f["from_week"], let week = c.int(node, "'from_week'") {
                if week < 0 {
                    c.error("range", "'from_week' is \(week); weeks after surgery count from 0", at: node)
                } else if let previousWeek, week <= previousWeek {
                    c.error("stage-order", "'from_week' \(week) must be greater than the previous stage's \(previousWeek); "
                            + "stages go in order of their week", at: node)
                } else {
                    fromWeek = week
                }
                previousWeek = max(previousWeek ?? week, week)
            }
            let exit = f.has("exit") ? self.exit(f["exit"], &c) : ExitCriterion()
            let times = sessionTimes(f["sessions"], &c)
            let weekdays = f.has("weekdays") ? Self.weekdays(f["weekdays"], "'weekdays'", within: nil, &c)
                                             : Set(Weekday.allCases)
            let prescriptions = f["prescriptions"].flatMap {
                self.prescriptions($0, sessionCount: times?.count, weekdays: weekdays, &c)
            }
            var approval: Bool? = false
            if let node = f["approval"] {
                approval = c.bool(node, "'approval'")
                if approval == true, number == 0 {
                    c.error("approval", "the first stage cannot need approval: the patient starts in it", at: node)
                    approval = nil
                }
            }
            guard let id, let title, let fromWeek, let exit, let times, let weekdays, let prescriptions, let approval else {
                ok = false
                continue
            }
            result.append(Stage(id: id, title: title, fromWeek: fromWeek, exit: exit, sessionTimes: times,
                                weekdays: weekdays, prescriptions: prescriptions, approval: approval))
        }
        return ok ? result : nil
    }

    private func exit(_ node: Node?, _ c: inout Checker) -> ExitCriterion? {
        guard let node, let f = c.fields(node, "'exit'", required: [], optional: ["green_days", "window", "no_red_days"])
        else { return nil }
        var exit = ExitCriterion()
        var ok = true
        func number(_ key: String, _ c: inout Checker) -> Int? {
            guard let n = f[key] else { return nil }
            guard let v = c.int(n, "'\(key)'") else { ok = false; return nil }
            guard (1...60).contains(v) else {
                ok = false
                c.error("range", "'\(key)' is \(v); it must be between 1 and 60 days", at: n)
                return nil
            }
            return v
        }
        if let v = number("green_days", &c) { exit.greenDays = v }
        if let v = number("window", &c) { exit.window = v }
        if let v = number("no_red_days", &c) { exit.noRedDays = v }
        guard ok else { return nil }
        if exit.greenDays > exit.window || exit.noRedDays > exit.window {
            c.error("range", "'green_days' (\(exit.greenDays)) and 'no_red_days' (\(exit.noRedDays)) cannot exceed "
                    + "'window' (\(exit.window))", at: node)
            return nil
        }
        return exit
    }

    /// A non-empty list of `HH:MM` times, earliest first.
    private func sessionTimes(_ node: Node?, _ c: inout Checker) -> [LocalTime]? {
        guard let node, let items = c.list(node, "'sessions'") else { return nil }
        if items.isEmpty {
            c.error("time", "'sessions' is empty; give one time (HH:MM) per session a day", at: node)
            return nil
        }
        return Self.times(items, "session time", &c)
    }

    /// Times in `HH:MM`, strictly increasing.
    static func times(_ items: [Node], _ what: String, _ c: inout Checker) -> [LocalTime]? {
        var result: [LocalTime] = []
        var ok = true
        for item in items {
            guard let text = c.string(item, "a \(what)") else { ok = false; continue }
            if case .scalar(let scalar) = item, scalar.style == .plain || scalar.style == .any {
                ok = false
                c.error("time", "write the time in quotes, \"\(Checker.clip(text))\": unquoted, YAML 1.1 tools read "
                        + "a time such as 18:00 as a number", at: item)
                continue
            }
            guard let time = LocalTime(hhmm: text) else {
                ok = false
                c.error("time", "'\(Checker.clip(text))' is not a time; write HH:MM on a 24-hour clock, e.g. 08:00", at: item)
                continue
            }
            if let last = result.last, time <= last {
                ok = false
                c.error("time", "\(time) is not after \(last); list \(what)s earliest first, each once", at: item)
            }
            result.append(time)
        }
        return ok ? result : nil
    }

    /// A list of weekday names, optionally limited to `within`.
    static func weekdays(_ node: Node?, _ what: String, within: Set<Weekday>?, _ c: inout Checker) -> Set<Weekday>? {
        guard let node, let items = c.list(node, what) else { return nil }
        if items.isEmpty {
            c.error("weekday", "\(what) is empty; leave it out for every day", at: node)
            return nil
        }
        let names = Weekday.allCases.map(\.rawValue)
        var result: Set<Weekday> = []
        var ok = true
        for item in items {
            guard let text = c.string(item, "a weekday") else { ok = false; continue }
            guard let day = Weekday(rawValue: text) else {
                ok = false
                c.error("weekday", "unknown weekday '\(Checker.clip(text))'" + Suggest.didYouMean(text, among: names)
                        + "; use mon, tue, wed, thu, fri, sat, sun", at: item)
                continue
            }
            if let within, !within.contains(day) {
                ok = false
                c.error("weekday", "'\(text)' is not one of the stage's days; the stage has no sessions then", at: item)
            }
            result.insert(day)
        }
        return ok ? result : nil
    }

    private func prescriptions(_ node: Node, sessionCount: Int?, weekdays: Set<Weekday>?, _ c: inout Checker) -> [Prescription]? {
        guard let items = c.list(node, "'prescriptions'") else { return nil }
        if items.isEmpty {
            c.error("missing-key", "'prescriptions' is empty; a stage needs at least one exercise", at: node)
            return nil
        }
        var result: [Prescription] = []
        var ok = true
        var seen: Set<String> = []
        for item in items {
            guard let f = c.fields(item, "a prescription", required: Self.prescriptionKeys.required,
                                   optional: Self.prescriptionKeys.optional, missingCategory: ["sources": "missing-source"])
            else { ok = false; continue }
            let exercise = self.exercise(f["exercise"], &c)
            if let exercise {
                if seen.contains(exercise.id) {
                    c.error("duplicate-id", "'\(exercise.id)' is prescribed twice in this stage; keep one prescription "
                            + "and use its ladder", at: f["exercise"])
                }
                seen.insert(exercise.id)
            }
            let gated = exercise.flatMap { ex in f["dose"].flatMap { ladderOf(ex, $0, &c) } }
            let v2 = version2(f, &c)
            var sessions: [Int]?? = .some(nil)
            if let node = f["sessions"] { sessions = sessionIndexes(node, count: sessionCount, &c).map { .some($0) } }
            var days: Set<Weekday>?? = .some(nil)
            if f.has("weekdays") {
                days = Self.weekdays(f["weekdays"], "'weekdays'", within: weekdays, &c).map { .some($0) }
            }
            var skip: Bool? = false
            if let node = f["skip_in_flare"] { skip = c.bool(node, "'skip_in_flare'") }
            let sources = f.has("sources") ? c.sources(f, "the prescription of '\(exercise?.id ?? "?")'") : nil
            let accept = f.has("accept") ? c.accepts(f["accept"]) : []
            guard let exercise, let gated, let sessions, let days, let skip, let sources, let v2, let accept else {
                ok = false
                continue
            }
            var prescription = Prescription(exercise: exercise.id, ladder: gated.ladder, sessions: sessions, weekdays: days,
                                            skipInFlare: skip, sources: sources, zones: v2.zones, ownReport: v2.ownReport,
                                            daysAtDose: v2.daysAtDose, progression: v2.progression,
                                            approvalRungs: gated.approvalRungs)
            prescription.accept = accept
            result.append(prescription)
        }
        return ok ? result : nil
    }

    private func exercise(_ node: Node?, _ c: inout Checker) -> Exercise? {
        guard let node, let id = c.string(node, "'exercise'") else { return nil }
        guard let exercise = library[id] else {
            let hint = library.exercises.isEmpty
                ? "; no exercise library is available to check it (pass programs/exercises.yaml too)"
                : Suggest.didYouMean(id, among: library.exercises.map(\.id)) + "; see `rehab exercises`"
            c.error("unknown-exercise", "unknown exercise '\(Checker.clip(id))'" + hint, at: node)
            return nil
        }
        if let family = exercise.family {
            c.error("unknown-exercise", "'\(id)' is a variant of '\(family)'; prescribe '\(family)' and pick the variant "
                    + "rung by rung in a written-out ladder", at: node)
            return nil
        }
        return exercise
    }

    /// The version 2 keys of a prescription: `zones`, `own_report`, `days_at_dose`,
    /// `progression` and `every_days`.
    private func version2(_ f: Fields, _ c: inout Checker)
        -> (zones: ZoneLimits?, ownReport: Bool, daysAtDose: Int?, progression: Progression)? {
        var ok = true
        var zones: ZoneLimits?
        if let node = f["zones"] {
            zones = self.zones(node, &c)
            if zones == nil { ok = false }
        }
        var own = false
        if let node = f["own_report"] {
            if let b = c.bool(node, "'own_report'") { own = b } else { ok = false }
        }
        func days(_ key: String, _ c: inout Checker) -> Int? {
            guard let node = f[key] else { return nil }
            guard let n = c.int(node, "'\(key)'") else { ok = false; return nil }
            guard (1...28).contains(n) else {
                ok = false
                c.error("range", "'\(key)' is \(n); it must be between 1 and 28 days", at: node)
                return nil
            }
            return n
        }
        let daysAtDose = days("days_at_dose", &c)
        let every = days("every_days", &c)
        var progression = Progression.pain
        if let node = f["progression"] {
            switch c.string(node, "'progression'") {
            case "pain"?:
                if f.has("every_days") {
                    ok = false
                    c.error("progression", "'every_days' goes only with 'progression: quota'; remove it", at: f.keyNode("every_days"))
                }
            case "quota"?:
                if let every {
                    progression = .quota(everyDays: every)
                } else if !f.has("every_days") {
                    ok = false
                    c.error("progression", "'progression: quota' needs 'every_days': the session days between steps", at: node)
                }
                if f.has("days_at_dose") {
                    ok = false
                    c.error("progression", "'days_at_dose' goes with pain progression; a quota rises every 'every_days'",
                            at: f.keyNode("days_at_dose"))
                }
            case let other?:
                ok = false
                c.error("progression", "unknown progression '\(Checker.clip(other))'; use pain or quota", at: node)
            case nil:
                ok = false
            }
        } else if f.has("every_days") {
            ok = false
            c.error("progression", "'every_days' goes only with 'progression: quota'; add it or remove 'every_days'",
                    at: f.keyNode("every_days"))
        }
        return ok ? (zones, own, daysAtDose, progression) : nil
    }

    /// `zones: {green_max, amber_max}`: only tighter than the program's.
    private func zones(_ node: Node, _ c: inout Checker) -> ZoneLimits? {
        guard let f = c.fields(node, "'zones'", required: ["green_max", "amber_max"]) else { return nil }
        guard let gNode = f["green_max"], let aNode = f["amber_max"],
              let g = c.int(gNode, "'green_max'"), let a = c.int(aNode, "'amber_max'") else { return nil }
        var ok = true
        if !(0...8).contains(g) {
            ok = false
            c.error("range", "'green_max' is \(g); it must be between 0 and 8", at: gNode)
        } else if g > rules.greenMax {
            ok = false
            c.error("zones", "'green_max' \(g) is above the program's \(rules.greenMax); an exercise's zones may only be "
                    + "stricter than the program's", at: gNode)
        }
        if a < g {
            ok = false
            c.error("zones", "'amber_max' \(a) is below 'green_max' \(g); write amber_max equal to green_max for no amber zone",
                    at: aNode)
        } else if a > rules.amberMax {
            ok = false
            c.error("zones", "'amber_max' \(a) is above the program's \(rules.amberMax); an exercise's zones may only be "
                    + "stricter than the program's", at: aNode)
        }
        return ok ? ZoneLimits(greenMax: g, amberMax: a) : nil
    }

    private func ladderOf(_ exercise: Exercise, _ node: Node, _ c: inout Checker) -> DoseReader.Gated? {
        let familyID = library.familyID(of: exercise.id) ?? exercise.id
        let family = library[familyID]
        let ids = [familyID] + (family?.variants ?? [])
        return DoseReader(exercise: exercise, variantIDs: ids).ladder(node, &c)
    }

    private func sessionIndexes(_ node: Node, count: Int?, _ c: inout Checker) -> [Int]? {
        guard let items = c.list(node, "'sessions'") else { return nil }
        if items.isEmpty {
            c.error("session-index", "'sessions' is empty; leave it out for every session", at: node)
            return nil
        }
        var result: [Int] = []
        var ok = true
        for item in items {
            guard let n = c.int(item, "a session number") else { ok = false; continue }
            if let count, !(1...count).contains(n) {
                ok = false
                c.error("session-index", "session \(n) does not exist: this stage has \(count) session"
                        + (count == 1 ? "" : "s") + " a day, numbered from 1", at: item)
                continue
            }
            if !result.contains(n) { result.append(n) }
        }
        return ok ? result.sorted() : nil
    }
}
