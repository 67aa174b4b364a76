import RehabFormat
import RehabKit

/// The check-in pages as HTML, from the `check-in` and `saved` templates: the form (the
/// pain report first, fitting one phone screen; today's sessions; the warning signs, each
/// with what to do) and the confirmation that repeats what was saved. Where an exercise is
/// named outside the report itself (today's list, the confirmation), its short caution is
/// beside it; the report's exercise choice stays names only, so the report fits one screen.
///
/// Pure: the caller hands in today's plan, the log, the current local time and the
/// contacts; nothing here reads a file or the clock.
public enum CheckInPages {
    /// What the form needs.
    public struct FormInput: Sendable {
        public var program: Program
        public var library: ExerciseLibrary
        /// The plan for today (`days: 1`); its sessions are today's. nil when the log
        /// cannot be read: the form is still shown, today's sessions are not.
        public var today: Plan?
        public var log: [LogEntry]
        /// Now, in the patient's zone.
        public var now: LocalDateTime
        public var contacts: Contacts
        /// Where the forms post to.
        public var action: String

        public init(program: Program, library: ExerciseLibrary, today: Plan?, log: [LogEntry], now: LocalDateTime,
                    contacts: Contacts, action: String) {
            self.program = program
            self.library = library
            self.today = today
            self.log = log
            self.now = now
            self.contacts = contacts
            self.action = action
        }
    }

    /// "When" is preselected as next morning only before the day's first session (noon on
    /// a day without one) and while yesterday has no next-morning report (one logged
    /// today); after the exercises otherwise.
    public static func preselectedWhen(now: LocalDateTime, sessions: [PlannedSession], log: [LogEntry]) -> ReportTiming {
        let today = sessions.filter { $0.slot.date == now.date }
        let first = today.map(\.slot).min() ?? LocalDateTime(date: now.date, time: LocalTime(hour: 12, minute: 0) ?? now.time)
        guard now < first else { return .after }
        let yesterdayReported = log.contains { entry in
            guard case .report(let r) = entry else { return false }
            return r.when == .nextMorning && r.pain != nil && r.day == now.date - 1
        }
        return yesterdayReported ? .after : .nextMorning
    }

    /// Today's exercises by name, each once, in the order of the day (the variant done).
    static func todaysExercises(_ sessions: [PlannedSession], library: ExerciseLibrary) -> [Choice] {
        var seen: Set<String> = []
        var out: [Choice] = []
        for s in sessions { for e in s.exercises where seen.insert(e.id).inserted {
            out.append(Choice(id: e.id, name: library[e.id]?.name ?? e.id))
        } }
        return out
    }

    struct Choice { var id: String; var name: String }
    struct When { var value: String; var words: String; var checked: Bool }
    /// An exercise of today's list: its name, dose and short caution (beside it, below the form).
    struct Line { var name: String; var dose: String; var caution: String? }
    struct Session { var time: String; var exercises: [Line] }

    struct FormView {
        var title = "Pain check-in"
        var action: String
        var scores = Array(0...10)
        var zones: ZoneWords
        var whens: [When]
        var exercises: [Choice]
        var noteLimit = ReportDraft.maxNoteLength
        var halted: Bool
        var unknown: Bool
        var hasSessions: Bool
        var sessions: [Session]
        var signs: [SignWords.Sign]
        // The `calls` partial.
        var emergencyNumber: String?
        var emergencyDial: String?
        var clinicName: String
        var clinicPhone: String?
        var clinicPhoneDial: String?
    }

    /// The words of each "when" choice.
    public static func words(_ timing: ReportTiming) -> String {
        switch timing {
        case .during: "During exercise"
        case .after: "After exercise"
        case .nextMorning: "This morning (about yesterday)"
        }
    }

    /// The form page.
    public static func form(_ input: FormInput) throws(PageRenderer.PageError) -> String {
        let sessions = (input.today?.sessions ?? []).filter { $0.slot.date == input.now.date }
        let selected = preselectedWhen(now: input.now, sessions: sessions, log: input.log)
        let calls = input.contacts.view
        let view = FormView(
            action: input.action, zones: ZoneWords(input.program.painRules.limits, usual: input.today?.usualPain ?? 0),
            whens: ReportTiming.allCases.map { When(value: $0.rawValue, words: words($0), checked: $0 == selected) },
            exercises: todaysExercises(sessions, library: input.library),
            halted: input.today?.status == .halted, unknown: input.today == nil, hasSessions: !sessions.isEmpty,
            sessions: sessions.map { s in
                Session(time: "\(s.slot.time)", exercises: s.exercises.map {
                    Line(name: input.library[$0.id]?.name ?? $0.id, dose: $0.dose.description,
                         caution: input.library[$0.id]?.caution)
                })
            },
            signs: SignWords.halting(input.contacts),
            emergencyNumber: calls.emergencyNumber, emergencyDial: calls.emergencyDial, clinicName: calls.clinicName,
            clinicPhone: calls.clinicPhone, clinicPhoneDial: calls.clinicPhoneDial)
        return try PageRenderer.render(view, template: "check-in")
    }

    /// What the confirmation needs: the saved report, or nil when its details are gone.
    public struct SavedInput: Sendable {
        public var report: PainReport?
        /// Fields left out of a warning-sign report, as plain messages.
        public var dropped: [String]
        public var program: Program
        public var library: ExerciseLibrary
        /// The patient's usual pain today (the plan's `usualPain`), for judging the score.
        public var baseline: Int
        public var contacts: Contacts
        public var back: String
        /// Today's plan (`days: 1`) and the log, when they can be read: exercises that need
        /// their own report and have none today are then asked about, each with its own
        /// small form posting to `back`.
        public var today: Plan?
        public var log: [LogEntry]

        public init(report: PainReport?, dropped: [String], program: Program, library: ExerciseLibrary, baseline: Int,
                    contacts: Contacts, back: String, today: Plan? = nil, log: [LogEntry] = []) {
            self.report = report
            self.dropped = dropped
            self.program = program
            self.library = library
            self.baseline = baseline
            self.contacts = contacts
            self.back = back
            self.today = today
            self.log = log
        }
    }

    /// A question about one exercise that needs its own report (`own_report`): its name,
    /// the id to post, and its own zones (tighter than the general ones for nerve glides).
    struct OwnQuestion {
        var id: String
        var name: String
        var zones: ZoneWords
        var scores = Array(0...10)
    }

    struct Advice { var words: String; var text: String }

    struct SavedView {
        var title = "Report saved"
        var expired: Bool
        var hasAdvice: Bool
        var advice: [Advice]
        var score: String?
        var when: String
        var exercise: String
        /// The named exercise's short caution, shown beside it.
        var caution: String?
        var hasSigns: Bool
        var signs: [String]
        var spreading: Bool
        var stop: String?
        var dropped: [String]
        var back: String
        /// The follow-up questions, and the timing they are sent with (during or after).
        var hasQuestions: Bool
        var questions: [OwnQuestion]
        var questionWhen: String
        var questionWhenWords: String
        var emergencyNumber: String?
        var emergencyDial: String?
        var clinicName: String
        var clinicPhone: String?
        var clinicPhoneDial: String?
    }

    /// The zones a report naming exercise `id` is judged by: the tightest of the program's
    /// prescriptions of its family (a page does not know the stage of every report, and
    /// the stricter reading is the safe one).
    static func limits(forExercise id: String?, program: Program, library: ExerciseLibrary) -> ZoneLimits {
        guard let id else { return program.painRules.limits }
        let family = library.familyID(of: id) ?? id
        var limits = program.painRules.limits
        for stage in program.stages { for p in stage.prescriptions where p.exercise == family {
            let own = p.limits(program.painRules)
            limits = ZoneLimits(greenMax: min(limits.greenMax, own.greenMax), amberMax: min(limits.amberMax, own.amberMax))
        } }
        return limits
    }

    /// Today's exercises that need their own during/after report and have none today yet,
    /// asked about after a report with a score during or after exercise (a next-morning
    /// score counts in full; a warning sign is answered with its advice alone).
    static func ownQuestions(_ input: SavedInput) -> (when: ReportTiming, questions: [OwnQuestion])? {
        guard let report = input.report, report.pain != nil, report.when != .nextMorning, report.flags.isEmpty,
              let plan = input.today, plan.status == .active,
              let stage = input.program.stage(id: plan.stage) else { return nil }
        let day = report.day
        var answered: Set<String> = []
        for entry in input.log {
            guard case .report(let r) = entry, r.day == day, r.when != .nextMorning, r.pain != nil,
                  let id = r.exercise else { continue }
            answered.insert(input.library.familyID(of: id) ?? id)
        }
        var seen: Set<String> = []
        var questions: [OwnQuestion] = []
        for session in plan.sessions where session.slot.date == day {
            for e in session.exercises {
                guard let p = stage.prescriptions.first(where: { $0.exercise == e.prescription }), p.ownReport,
                      !answered.contains(p.exercise), seen.insert(p.exercise).inserted else { continue }
                questions.append(OwnQuestion(id: e.id, name: input.library[e.id]?.name ?? e.id,
                                             zones: ZoneWords(p.limits(input.program.painRules), usual: input.baseline)))
            }
        }
        return questions.isEmpty ? nil : (report.when, questions)
    }

    /// What a red score asks of the patient, or nil for green and amber.
    public static func stopAdvice(for report: PainReport, rules: PainRules, baseline: Int, library: ExerciseLibrary,
                                  program: Program? = nil) -> String? {
        let own = program.map { Self.limits(forExercise: report.exercise, program: $0, library: library) }
        guard let pain = report.pain, rules.zone(of: report, baseline: baseline, limits: own) == .red else { return nil }
        if report.when == .nextMorning {
            return "\(pain) out of 10 is well above your usual pain. Your plan makes today's exercises easier; take them gently. If the pain keeps rising, call your clinic."
        }
        if let id = report.exercise {
            return "\(pain) out of 10 is in the red zone: stop \(library[id]?.name ?? id) for today. Your plan steps it back."
        }
        return "\(pain) out of 10 is in the red zone: stop the exercise that brought it on for today. Your plan steps it back."
    }

    /// Each named sign's advice as plain-text lines for an answer that is not a page (a
    /// report that could not be saved): the sign in words, never its flag name.
    public static func adviceLines(for flags: [RedFlag], program: Program, contacts: Contacts = Contacts()) -> [String] {
        var seen: Set<String> = []
        return flags.sorted().compactMap { flag in
            let text = flag.halts ? program.advice(for: flag) : SignWords.todo(flag, contacts: contacts)
            return seen.insert(text).inserted ? "\(SignWords.words(flag)): \(text)" : nil
        }
    }

    /// A short answer that is not a confirmation (a report not saved, too many reports, the
    /// page cannot be made): readable on a phone like the other pages, with the numbers to
    /// call, and any warning-sign advice first and large.
    public struct NoticeInput: Sendable {
        public var heading: String
        public var lines: [String]
        /// Warning-sign advice lines, shown first.
        public var advice: [String]
        public var contacts: Contacts
        /// The check-in page, for a link back; nil for none.
        public var back: String?

        public init(heading: String, lines: [String], advice: [String] = [], contacts: Contacts = Contacts(), back: String? = nil) {
            self.heading = heading
            self.lines = lines
            self.advice = advice
            self.contacts = contacts
            self.back = back
        }
    }

    struct NoticeView {
        var title: String
        var heading: String
        var lines: [String]
        var hasAdvice: Bool
        var advice: [String]
        var back: String?
        /// The `calls` partial's fields, rendered inside `{{#calls}}`.
        var calls: CallsView
    }

    /// The notice page.
    public static func notice(_ input: NoticeInput) throws(PageRenderer.PageError) -> String {
        try PageRenderer.render(NoticeView(
            title: input.heading, heading: input.heading, lines: input.lines, hasAdvice: !input.advice.isEmpty,
            advice: input.advice, back: input.back, calls: input.contacts.view), template: "notice")
    }

    /// The confirmation page (and, for a warning sign, its advice first).
    public static func saved(_ input: SavedInput) throws(PageRenderer.PageError) -> String {
        let calls = input.contacts.view
        let report = input.report
        let flags = report?.flags ?? []
        let halting = flags.filter(\.halts)
        var seen: Set<String> = []
        let advice = halting.compactMap { flag -> Advice? in
            let text = input.program.advice(for: flag)
            guard seen.insert(text).inserted else { return Advice(words: SignWords.words(flag), text: SignWords.todo(flag, contacts: input.contacts)) }
            return Advice(words: SignWords.words(flag), text: text)
        }
        let asked = ownQuestions(input)
        let view = SavedView(
            expired: report == nil, hasAdvice: !advice.isEmpty, advice: advice,
            score: report?.pain.map(String.init),
            when: report.map { words($0.when) } ?? "",
            exercise: report?.exercise.map { input.library[$0]?.name ?? $0 } ?? "All of today's exercises",
            caution: report?.exercise.flatMap { input.library[$0]?.caution },
            hasSigns: !halting.isEmpty, signs: halting.map(SignWords.words),
            spreading: flags.contains(.spreading),
            stop: report.flatMap { stopAdvice(for: $0, rules: input.program.painRules, baseline: input.baseline,
                                              library: input.library, program: input.program) },
            dropped: input.dropped, back: input.back,
            hasQuestions: asked != nil, questions: asked?.questions ?? [],
            questionWhen: asked?.when.rawValue ?? "", questionWhenWords: asked?.when == .during ? "during" : "after",
            emergencyNumber: calls.emergencyNumber, emergencyDial: calls.emergencyDial, clinicName: calls.clinicName,
            clinicPhone: calls.clinicPhone, clinicPhoneDial: calls.clinicPhoneDial)
        return try PageRenderer.render(view, template: "saved")
    }
}
