/// The operations a program can be written for.
public enum Procedure: String, Sendable, Hashable, CaseIterable {
    case discectomy, laminectomy, fusion
}

/// A physical therapist's program: stages with week gates, prescriptions, pain-rule
/// numbers and red-flag advice, with the sources it was built from.
public struct Program: Hashable, Sendable {
    public var id: String
    public var title: String
    public var summary: String
    public var procedures: [Procedure]
    public var restrictions: [Restriction]
    /// In order; `fromWeek` strictly increasing, the first normally 0.
    public var stages: [Stage]
    public var painRules: PainRules
    /// Advice per flag; flags the program leaves out use `RedFlag.defaultAdvice`.
    public var redFlagAdvice: [RedFlag: String]
    public var sources: [String]
    /// What the patient should know, by week (`education(for:on:)`).
    public var education: [EducationItem] = []

    public init(id: String, title: String, summary: String = "", procedures: [Procedure],
                restrictions: [Restriction] = [], stages: [Stage], painRules: PainRules = PainRules(),
                redFlagAdvice: [RedFlag: String] = [:], sources: [String]) {
        self.id = id
        self.title = title
        self.summary = summary
        self.procedures = procedures
        self.restrictions = restrictions
        self.stages = stages
        self.painRules = painRules
        self.redFlagAdvice = redFlagAdvice
        self.sources = sources
    }

    public func stage(id: String) -> Stage? { stages.first { $0.id == id } }

    /// The advice shown for a flag: the program's words, or ours.
    public func advice(for flag: RedFlag) -> String { redFlagAdvice[flag] ?? flag.defaultAdvice }
}

/// Something the patient must not do, shown with the plan and in each calendar session
/// while it applies (`Program.restrictions(for:from:through:)`).
public struct Restriction: Hashable, Sendable {
    public var text: String
    /// The restriction applies until this week after surgery; nil for the whole program.
    public var untilWeek: Int?
    /// The procedures it applies to; empty for all.
    public var procedures: [Procedure]
    /// The movements it forbids while it applies (checked by `rehab validate`).
    public var forbids: Set<Movement> = []
    /// Marked as lasting for the whole program (it has no `untilWeek` on purpose).
    public var throughout: Bool = false

    public init(text: String, untilWeek: Int? = nil, procedures: [Procedure] = []) {
        self.text = text
        self.untilWeek = untilWeek
        self.procedures = procedures
    }
}

extension Program {
    /// A restriction in force for a patient on some day of a date range, with the last day
    /// it applies (nil when it has no end).
    public struct RestrictionInForce: Hashable, Sendable {
        public var text: String
        public var lastDay: LocalDate?

        /// How the plan and the calendar show it: "Until 2026-12-13: No bending, ...".
        public var line: String { lastDay.map { "Until \($0): \(text)" } ?? text }
    }

    /// The restrictions that apply to `patient` (their procedure) on at least one day from
    /// `first` through `last`, in program order. A restriction `until_week: N` applies
    /// before week N after surgery, the week a stage with `from_week: N` may begin: through
    /// `surgeryDate + 7N - 1`.
    public func restrictions(for patient: Patient, from first: LocalDate, through last: LocalDate) -> [RestrictionInForce] {
        restrictions.compactMap { r in
            guard r.procedures.isEmpty || r.procedures.contains(patient.procedure) else { return nil }
            guard let week = r.untilWeek else { return RestrictionInForce(text: r.text, lastDay: nil) }
            let lastDay = patient.surgeryDate + (7 * week - 1)
            return lastDay >= first && first <= last ? RestrictionInForce(text: r.text, lastDay: lastDay) : nil
        }
    }
}

/// A stage: from its week on (and once its predecessor's exit criterion holds) the
/// patient does its prescriptions at its session times.
public struct Stage: Hashable, Sendable {
    public var id: String
    public var title: String
    /// The first week after surgery (`floor(days / 7)`) the stage may begin.
    public var fromWeek: Int
    /// What must hold before the patient leaves this stage for the next.
    public var exit: ExitCriterion
    /// Default session times, one per session a day.
    public var sessionTimes: [LocalTime]
    /// Days with sessions; all seven by default.
    public var weekdays: Set<Weekday>
    public var prescriptions: [Prescription]
    /// The patient enters this stage only after a clinician's approval.
    public var approval: Bool

    public init(id: String, title: String, fromWeek: Int, exit: ExitCriterion = ExitCriterion(),
                sessionTimes: [LocalTime], weekdays: Set<Weekday> = Set(Weekday.allCases),
                prescriptions: [Prescription], approval: Bool = false) {
        self.approval = approval
        self.id = id
        self.title = title
        self.fromWeek = fromWeek
        self.exit = exit
        self.sessionTimes = sessionTimes
        self.weekdays = weekdays
        self.prescriptions = prescriptions
    }
}

/// Leave a stage when, over the last `window` scheduled days, at least `greenDays` were
/// green evidence and none of the last `noRedDays` was red. Never met without reports.
public struct ExitCriterion: Hashable, Sendable {
    public var greenDays: Int
    public var window: Int
    public var noRedDays: Int

    public init(greenDays: Int = 5, window: Int = 7, noRedDays: Int = 3) {
        self.greenDays = greenDays
        self.window = window
        self.noRedDays = noRedDays
    }
}

/// One exercise in a stage: its ladder of doses and when it is done.
public struct Prescription: Hashable, Sendable {
    /// The library id (a top-level exercise; rungs may pick one of its variants).
    public var exercise: String
    public var ladder: DoseLadder
    /// 1-based indexes into the stage's sessions; nil for every session.
    public var sessions: [Int]?
    /// Days it is done; nil for every day the stage has sessions.
    public var weekdays: Set<Weekday>?
    /// Paused during a flare (nerve glides and every exercise that tensions the nerve).
    public var skipInFlare: Bool
    /// Where the dose comes from; never empty in a valid program.
    public var sources: [String]
    /// Clinical warnings the therapist has kept for this prescription, with why.
    public var accept: [AcceptedWarning] = []
    /// Tighter zones for reports naming this exercise; nil for the program's.
    public var zones: ZoneLimits?
    /// Good news comes only from a during/after report naming it (nerve glides).
    public var ownReport: Bool
    /// Green days at one dose before a step up; nil for the program's `daysAtDose`.
    public var daysAtDose: Int?
    /// How the dose rises: on green evidence, or by a quota of session days.
    public var progression: Progression
    /// Rung indexes the planner steps onto only after a clinician's approval.
    public var approvalRungs: Set<Int>

    public init(exercise: String, ladder: DoseLadder, sessions: [Int]? = nil, weekdays: Set<Weekday>? = nil,
                skipInFlare: Bool = false, sources: [String], zones: ZoneLimits? = nil, ownReport: Bool = false,
                daysAtDose: Int? = nil, progression: Progression = .pain, approvalRungs: Set<Int> = []) {
        self.exercise = exercise
        self.ladder = ladder
        self.sessions = sessions
        self.weekdays = weekdays
        self.skipInFlare = skipInFlare
        self.sources = sources
        self.zones = zones
        self.ownReport = ownReport
        self.daysAtDose = daysAtDose
        self.progression = progression
        self.approvalRungs = approvalRungs
    }

    /// The zones that judge a report naming this exercise.
    public func limits(_ rules: PainRules) -> ZoneLimits { zones ?? rules.limits }

    /// The first gated rung above rung `index` (nil when none lies above).
    public func gatedRung(above index: Int) -> Int? {
        approvalRungs.filter { $0 > index }.min()
    }
}

/// How a prescription's dose rises (the pain rules, version 2: README, "How doses move").
public enum Progression: Hashable, Sendable {
    /// One rung after `daysAtDose` green-evidence days since the last change.
    case pain
    /// Graded activity: one rung every `everyDays` of its session days since the last
    /// change; missing reports do not stop it, an amber or red day restarts the count.
    case quota(everyDays: Int)
}

/// A green and an amber ceiling: 0...greenMax green, up to amberMax amber, above red.
/// `amberMax == greenMax` means no amber zone (unless the usual pain reaches it).
public struct ZoneLimits: Hashable, Sendable {
    public var greenMax: Int
    public var amberMax: Int

    public init(greenMax: Int, amberMax: Int) {
        self.greenMax = greenMax
        self.amberMax = amberMax
    }
}

/// The numbers of the pain rules; a program may change any of them.
public struct PainRules: Hashable, Sendable {
    /// Highest green score (0...greenMax).
    public var greenMax: Int = 3
    /// Highest amber score; above is red.
    public var amberMax: Int = 5
    /// A next-morning score this far above baseline is amber ...
    public var morningAmberAbove: Int = 1
    /// ... and this far above is red.
    public var morningRedAbove: Int = 2
    /// Green-evidence scheduled days at one dose before a step up (`days_at_dose`).
    public var daysAtDose: Int = 3
    /// Version 1's name for `daysAtDose`, still read from program files.
    public var progressGreenDays: Int {
        get { daysAtDose }
        set { daysAtDose = newValue }
    }
    /// Scheduled days in a row without any report that make a `no-reports` alert.
    public var quietDays: Int = 3
    /// Days that must pass after a dose change before the next progress.
    public var minDaysBetweenChanges: Int = 2
    /// Red days within `flareWindow` days that make a flare.
    public var flareRedDays: Int = 2
    public var flareWindow: Int = 3
    /// Green-evidence days in a row that end a flare.
    public var flareExitGreenDays: Int = 2
    /// A flare longer than this many days adds advice to contact the clinical team.
    public var escalateAfterDays: Int = 7

    public init() {}

    /// The program's own zones.
    public var limits: ZoneLimits { ZoneLimits(greenMax: greenMax, amberMax: amberMax) }
}
