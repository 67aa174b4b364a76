/// What the planner decided for a patient as of one date: the stage, the sessions of
/// the coming days and every decision that led there. Encoded as the plan JSON (docs/json.md) by
/// the format layer and as iCalendar by the calendar layer.
public struct Plan: Hashable, Sendable {
    public enum Status: String, Sendable { case active, halted }

    public var patient: String
    public var program: String
    public var asOf: LocalDate
    public var days: Int
    public var status: Status
    public var halt: Halt?
    /// The stage in force on `asOf`.
    public var stage: String
    /// Sessions in `[asOf, asOf + days)`, in time order.
    public var sessions: [PlannedSession]
    /// Every decision up to `asOf`, oldest first.
    public var decisions: [Decision]
    /// Advice in force (for example, contact the clinical team after a long flare).
    public var advice: [String]
    /// What a clinician must see first, most urgent first.
    public var alerts: [Alert]
    /// The patient's usual pain on `asOf` (`UsualPain`): the zones the planner judges that
    /// day's scores by are relative to it, so patient text about the zones uses it too.
    public var usualPain: Int

    public init(patient: String, program: String, asOf: LocalDate, days: Int, status: Status, halt: Halt?,
                stage: String, sessions: [PlannedSession], decisions: [Decision], advice: [String] = [],
                alerts: [Alert] = [], usualPain: Int = 0) {
        self.alerts = alerts
        self.usualPain = usualPain
        self.patient = patient
        self.program = program
        self.asOf = asOf
        self.days = days
        self.status = status
        self.halt = halt
        self.stage = stage
        self.sessions = sessions
        self.decisions = decisions
        self.advice = advice
    }
}

/// The plan is stopped by a red flag until a clinician clears it.
public struct Halt: Hashable, Sendable {
    /// The local date of the halting report.
    public var date: LocalDate
    /// The instant sessions stop (the report's time).
    public var at: LocalDateTime
    public var flags: [RedFlag]
    /// Advice for each flag, most urgent first.
    public var advice: [String]

    public init(date: LocalDate, at: LocalDateTime, flags: [RedFlag], advice: [String]) {
        self.date = date
        self.at = at
        self.flags = flags
        self.advice = advice
    }
}

/// One session: a time on one day and what to do in it.
public struct PlannedSession: Hashable, Sendable {
    /// The instant and the wall time actually shown (moved forward in a DST gap).
    public var start: ZonedInstant
    /// The session's time as scheduled, before any DST adjustment; with `start.local.date`'s
    /// requested date it identifies the slot (calendar UIDs use it).
    public var slot: LocalDateTime
    /// 1-based index of the session within its day.
    public var index: Int
    public var stage: String
    public var exercises: [PlannedExercise]

    public init(start: ZonedInstant, slot: LocalDateTime, index: Int, stage: String, exercises: [PlannedExercise]) {
        self.start = start
        self.slot = slot
        self.index = index
        self.stage = stage
        self.exercises = exercises
    }
}

/// An exercise in a session with its dose.
public struct PlannedExercise: Hashable, Sendable {
    /// The library id actually done (a variant where the rung names one).
    public var id: String
    /// The prescription's exercise (the progression key).
    public var prescription: String
    public var dose: Dose

    public init(id: String, prescription: String, dose: Dose) {
        self.id = id
        self.prescription = prescription
        self.dose = dose
    }
}

/// One step the planner took, with the rule and the reports it rested on.
public struct Decision: Hashable, Sendable {
    public enum Action: String, Sendable, CaseIterable {
        case progress, hold, regress, advanceStage = "advance-stage", flare, halt, resume, escalate, approve
    }

    public var date: LocalDate
    /// The prescription's exercise; nil for decisions about the whole plan.
    public var exercise: String?
    public var action: Action
    public var from: Dose?
    public var to: Dose?
    /// A stable rule id, e.g. `two-green-days`, `red-day`, `spreading`, `flare`, `stage-gate`.
    public var rule: String
    /// Plain words: why.
    public var because: String
    /// The reports the decision rested on.
    public var reports: [PainReport]
    /// The wall time on `date` it acts from: a halt's or clearance's own minute; nil for the
    /// rest, which act from the start of their day. Not part of the plan JSON.
    public var time: LocalTime?

    public init(date: LocalDate, exercise: String?, action: Action, from: Dose? = nil, to: Dose? = nil,
                rule: String, because: String, reports: [PainReport] = [], time: LocalTime? = nil) {
        self.date = date
        self.time = time
        self.exercise = exercise
        self.action = action
        self.from = from
        self.to = to
        self.rule = rule
        self.because = because
        self.reports = reports
    }
}

/// Something a clinician must see (the alerts: docs/json.md); identified by (patient, kind,
/// exercise, since).
public struct Alert: Hashable, Sendable {
    /// Most urgent first (`Kind.allCases` order).
    public enum Kind: String, Sendable, CaseIterable, Comparable {
        case halted, escalated, awaitingApproval = "awaiting-approval", redDay = "red-day", spreading, stalled
        case noReports = "no-reports"

        public var urgency: Int { Self.allCases.firstIndex(of: self) ?? 0 }
        public static func < (a: Kind, b: Kind) -> Bool { a.urgency < b.urgency }
    }

    public var kind: Kind
    public var since: LocalDate
    /// The prescription it is about; nil for the whole plan.
    public var exercise: String?
    /// Plain words for the clinician.
    public var text: String

    public init(kind: Kind, since: LocalDate, exercise: String? = nil, text: String) {
        self.kind = kind
        self.since = since
        self.exercise = exercise
        self.text = text
    }
}
