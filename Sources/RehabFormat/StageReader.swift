import RehabKit
import Yams

/// Reads a program's `stages:` and their prescriptions.
struct StageReader {
    let library: ExerciseLibrary

    static let stageKeys = (required: ["id", "title", "from_week", "sessions", "prescriptions"],
                            optional: ["exit", "weekdays"])
    static let prescriptionKeys = (required: ["exercise", "dose", "sources"],
                                   optional: ["sessions", "weekdays", "skip_in_flare", "accept",
                                              // read by the clinical checks; the planner's own reading
                                              // of `zones` arrives with the pain rules v2
                                              "zones"])

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
        for item in items {
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
            guard let id, let title, let fromWeek, let exit, let times, let weekdays, let prescriptions else {
                ok = false
                continue
            }
            result.append(Stage(id: id, title: title, fromWeek: fromWeek, exit: exit, sessionTimes: times,
                                weekdays: weekdays, prescriptions: prescriptions))
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
            let ladder = exercise.flatMap { ex in f["dose"].flatMap { ladderOf(ex, $0, &c) } }
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
            guard let exercise, let ladder, let sessions, let days, let skip, let sources, let accept else {
                ok = false
                continue
            }
            var prescription = Prescription(exercise: exercise.id, ladder: ladder, sessions: sessions, weekdays: days,
                                            skipInFlare: skip, sources: sources)
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

    private func ladderOf(_ exercise: Exercise, _ node: Node, _ c: inout Checker) -> DoseLadder? {
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
