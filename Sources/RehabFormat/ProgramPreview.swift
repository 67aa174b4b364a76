import RehabKit

/// A program's timeline from a surgery date, as `rehab preview` prints it: each stage's
/// earliest calendar date (its `from_week`), sessions, and each prescription from start to cap.
///
/// A stage's date is the earliest it may open; the planner moves on only once the previous
/// stage's exit criterion holds too.
public struct ProgramPreview {
    public var program: Program
    public var library: ExerciseLibrary
    public var surgeryDate: LocalDate
    /// When given, only the restrictions that apply to this procedure are shown.
    public var procedure: Procedure?

    public init(program: Program, library: ExerciseLibrary, surgeryDate: LocalDate, procedure: Procedure? = nil) {
        self.program = program
        self.library = library
        self.surgeryDate = surgeryDate
        self.procedure = procedure
    }

    /// The earliest date a stage may open: surgery date + 7 x `from_week`.
    public func startsOn(_ stage: Stage) -> LocalDate { surgeryDate + 7 * stage.fromWeek }

    private var restrictions: [Restriction] {
        program.restrictions.filter { r in procedure.map { r.procedures.isEmpty || r.procedures.contains($0) } ?? true }
    }

    private static func day(_ date: LocalDate) -> String { "\(date.weekday.rawValue) \(date)" }

    private static func days(_ set: Set<Weekday>) -> String {
        set.count == 7 ? "every day" : set.sorted().map(\.rawValue).joined(separator: ", ")
    }

    private static func dose(_ d: Dose) -> String {
        d.variant.map { "\(d.description) (\($0))" } ?? d.description
    }

    /// A readable timeline.
    public func text() -> String {
        var out: [String] = []
        out.append("\(program.title) [\(program.id)]")
        out.append("For: \(program.procedures.map(\.rawValue).joined(separator: ", "))"
                   + (procedure.map { "; previewed for \($0.rawValue)" } ?? ""))
        out.append("Surgery: \(Self.day(surgeryDate))")
        let rules = program.painRules
        out.append("Pain rules: " + Self.zones(rules.limits) + "; \(rules.daysAtDose) green days at a dose before a step up; "
                   + "quiet after \(rules.quietDays) days without a report")
        if !restrictions.isEmpty {
            out.append("")
            out.append("Restrictions:")
            for r in restrictions {
                var when = r.untilWeek.map { "until week \($0), \(Self.day(surgeryDate + 7 * $0))" } ?? "throughout"
                if !r.procedures.isEmpty, procedure == nil {
                    when += "; " + r.procedures.map(\.rawValue).joined(separator: ", ") + " only"
                }
                out.append("  - \(r.text) (\(when))")
            }
        }
        let education = program.education.filter { e in procedure.map { e.procedures.isEmpty || e.procedures.contains($0) } ?? true }
        if !education.isEmpty {
            out.append("")
            out.append("Education:")
            for e in education {
                let weeks = e.untilWeek.map { "weeks \(e.fromWeek)-\($0 - 1)" } ?? "from week \(e.fromWeek)"
                out.append("  - \(e.title) (\(weeks)): \(e.firstLine)")
            }
        }
        for (n, stage) in program.stages.enumerated() {
            out.append("")
            out.append("Stage \(n + 1) of \(program.stages.count): \(stage.title) [\(stage.id)]")
            out.append("  From week \(stage.fromWeek): \(Self.day(startsOn(stage)))"
                       + (n == 0 ? "" : " at the earliest, once the previous stage's exit criterion holds")
                       + (stage.approval ? ", and only after a clinician's approval" : ""))
            let exit = stage.exit
            out.append("  Moves on when: green on \(exit.greenDays) of the last \(exit.window) scheduled days, "
                       + "no red day in the last \(exit.noRedDays)")
            out.append("  Sessions: \(stage.sessionTimes.map(\.description).joined(separator: ", ")), "
                       + Self.days(stage.weekdays))
            for p in stage.prescriptions {
                let name = library[p.exercise]?.name ?? p.exercise
                out.append("  - \(name) [\(p.exercise)]")
                var line = "      \(Self.dose(p.ladder.start)) -> \(Self.dose(p.ladder.cap))"
                var notes: [String] = []
                if p.ladder.floor != p.ladder.start { notes.append("floor \(Self.dose(p.ladder.floor))") }
                notes.append("\(p.ladder.rungs.count) rung" + (p.ladder.rungs.count == 1 ? "" : "s"))
                if let sessions = p.sessions { notes.append((sessions.count == 1 ? "session " : "sessions ") + sessions.map(String.init).joined(separator: ", ")) }
                if let days = p.weekdays { notes.append(Self.days(days)) }
                if p.skipInFlare { notes.append("paused in a flare") }
                if let zones = p.zones { notes.append(Self.zones(zones)) }
                if p.ownReport { notes.append("steps up only on reports naming it") }
                if let every = Self.quotaDays(p) {
                    notes.append("a step every \(every) session days unless pain says otherwise")
                } else if let days = p.daysAtDose {
                    notes.append("\(days) green days at a dose")
                }
                for rung in p.approvalRungs.sorted() where p.ladder.rungs.indices.contains(rung) {
                    notes.append("approval before \(Self.dose(p.ladder.rungs[rung]))")
                }
                line += " (" + notes.joined(separator: "; ") + ")"
                out.append(line)
                for a in p.accept {
                    out.append("      accepted clinical/\(a.rule): \(a.because.split(whereSeparator: \.isNewline).joined(separator: " "))")
                }
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// "green to 3, amber to 5" or "green to 2, no amber"; judged against the patient's
    /// usual pain as the planner does (a higher usual pain widens both).
    private static func zones(_ z: ZoneLimits) -> String {
        z.amberMax == z.greenMax ? "green to \(z.greenMax), no amber" : "green to \(z.greenMax), amber to \(z.amberMax)"
    }

    static func zonesJSON(_ z: ZoneLimits?) -> OrderedJSON {
        z.map { .object([("green_max", .int($0.greenMax)), ("amber_max", .int($0.amberMax))]) } ?? .null
    }

    /// `every_days` of a quota prescription; nil for one that rises on pain.
    private static func quotaDays(_ p: Prescription) -> Int? {
        if case .quota(let every) = p.progression { return every }
        return nil
    }

    static func doseJSON(_ d: Dose) -> OrderedJSON {
        .object([("sets", .int(d.sets)), ("reps", .int(d.reps)), ("hold_seconds", .int(d.holdSeconds)),
                 ("minutes", .int(d.minutes)), ("variant", .string(d.variant))])
    }

    /// `{ "schema": 1, "program", ..., "stages": [ { "id", "from_week", "starts_on", "prescriptions": [...] } ] }`.
    public func json() -> String {
        let stages: [OrderedJSON] = program.stages.map { stage in
            let prescriptions: [OrderedJSON] = stage.prescriptions.map { p in
                .object([
                    ("exercise", .string(p.exercise)), ("name", .string(library[p.exercise]?.name ?? p.exercise)),
                    ("start", Self.doseJSON(p.ladder.start)), ("cap", Self.doseJSON(p.ladder.cap)),
                    ("floor", Self.doseJSON(p.ladder.floor)), ("rungs", .int(p.ladder.rungs.count)),
                    ("sessions", p.sessions.map { .array($0.map { .int($0) }) } ?? .null),
                    ("weekdays", p.weekdays.map { .array($0.sorted().map { .string($0.rawValue) }) } ?? .null),
                    ("skip_in_flare", .bool(p.skipInFlare)),
                    ("zones", Self.zonesJSON(p.zones)), ("own_report", .bool(p.ownReport)),
                    ("days_at_dose", .int(p.daysAtDose)),
                    ("progression", .string(Self.quotaDays(p) == nil ? "pain" : "quota")),
                    ("every_days", .int(Self.quotaDays(p))),
                    ("approval_before", .array(p.approvalRungs.sorted().filter { p.ladder.rungs.indices.contains($0) }
                        .map { Self.doseJSON(p.ladder.rungs[$0]) })),
                    ("sources", .array(p.sources.map { .string($0) })),
                    ("accept", .array(p.accept.map { .object([("rule", .string($0.rule)), ("because", .string($0.because))]) })),
                ])
            }
            return .object([
                ("id", .string(stage.id)), ("title", .string(stage.title)), ("from_week", .int(stage.fromWeek)),
                ("starts_on", .string(startsOn(stage).description)), ("approval", .bool(stage.approval)),
                ("sessions", .array(stage.sessionTimes.map { .string($0.description) })),
                ("weekdays", .array(stage.weekdays.sorted().map { .string($0.rawValue) })),
                ("exit", .object([("green_days", .int(stage.exit.greenDays)), ("window", .int(stage.exit.window)),
                                  ("no_red_days", .int(stage.exit.noRedDays))])),
                ("prescriptions", .array(prescriptions)),
            ])
        }
        let restrictions: [OrderedJSON] = self.restrictions.map { r in
            .object([("text", .string(r.text)), ("until_week", .int(r.untilWeek)),
                     ("until", .string(r.untilWeek.map { (surgeryDate + 7 * $0).description })),
                     ("procedures", .array(r.procedures.map { .string($0.rawValue) })),
                     ("forbids", .array(r.forbids.sorted().map { .string($0.rawValue) })),
                     ("throughout", .bool(r.throughout))])
        }
        let education: [OrderedJSON] = program.education.map { e in
            .object([("id", .string(e.id)), ("title", .string(e.title)), ("text", .string(e.text)),
                     ("from_week", .int(e.fromWeek)), ("until_week", .int(e.untilWeek)),
                     ("procedures", .array(e.procedures.map { .string($0.rawValue) })),
                     ("sources", .array(e.sources.map { .string($0) }))])
        }
        return OrderedJSON.object([
            ("schema", .int(1)), ("program", .string(program.id)), ("title", .string(program.title)),
            ("procedures", .array(program.procedures.map { .string($0.rawValue) })),
            ("procedure", .string(procedure?.rawValue)), ("surgery_date", .string(surgeryDate.description)),
            ("pain_rules", .object([("green_max", .int(program.painRules.greenMax)),
                                    ("amber_max", .int(program.painRules.amberMax)),
                                    ("days_at_dose", .int(program.painRules.daysAtDose)),
                                    ("quiet_days", .int(program.painRules.quietDays))])),
            ("restrictions", .array(restrictions)), ("education", .array(education)), ("stages", .array(stages)),
        ]).rendered()
    }
}
