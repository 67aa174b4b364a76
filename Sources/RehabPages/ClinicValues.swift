import RehabKit

/// The values the clinic pages are drawn from: one caseload row per patient file
/// (`PatientSummary`) and one patient's whole picture (`PatientDetail`). Plain values
/// only; `CaseloadStore` (RehabServer) fills them from the served folder, and
/// `ClinicPages` renders them. They live here, below the server, so that the pages can
/// be rendered (and tested) without files or a clock.

/// One patient file under the served folder, planned as of its own local today.
public struct PatientSummary: Sendable, Hashable {
    /// The patient id; the file's stem when the file cannot be read.
    public var id: String
    /// The patient file's path under the served folder, with `/`.
    public var relativePath: String
    /// `Plan.Status` raw value (`active`, `halted`), or `failed`.
    public var status: String
    public var program: String?
    public var stage: String?
    /// `floor(days since surgery / 7)` on `asOf`.
    public var week: Int?
    /// RehabKit's alerts, most urgent first.
    public var alerts: [Alert]
    /// The day planned for (the patient's own today, or the date asked for).
    public var asOf: LocalDate?
    /// Why the row is failed, in plain words naming no file content; nil when planned.
    public var problem: String?
    /// The latest report's local time, if any report was logged.
    public var lastReport: LocalDateTime?
    /// Days with a during/after report among the scheduled days of the last 14 days.
    public var adherence: Adherence?
    /// The highest during/after score of each of the last 14 days, oldest first, ending
    /// on `asOf`; nil for a day without one. Empty for a failed row.
    public var pain14: [Int?]

    public init(id: String, relativePath: String, status: String, program: String? = nil, stage: String? = nil,
                week: Int? = nil, alerts: [Alert] = [], asOf: LocalDate? = nil, problem: String? = nil,
                lastReport: LocalDateTime? = nil, adherence: Adherence? = nil, pain14: [Int?] = []) {
        self.id = id
        self.relativePath = relativePath
        self.status = status
        self.program = program
        self.stage = stage
        self.week = week
        self.alerts = alerts
        self.asOf = asOf
        self.problem = problem
        self.lastReport = lastReport
        self.adherence = adherence
        self.pain14 = pain14
    }

    /// True when the row cannot be planned (unreadable, invalid or a duplicate id).
    public var isFailed: Bool { status == "failed" }
    /// True when a warning sign stopped the plan (a failed row with a `halted` alert too).
    public var isHalted: Bool { status == Plan.Status.halted.rawValue || alerts.contains { $0.kind == .halted } }
}

/// Reported days among scheduled days.
public struct Adherence: Sendable, Hashable {
    public var reported: Int
    public var scheduled: Int
    public init(reported: Int, scheduled: Int) {
        self.reported = reported
        self.scheduled = scheduled
    }
    /// Whole percent, rounded down; nil when no day was scheduled.
    public var percent: Int? { scheduled > 0 ? reported * 100 / scheduled : nil }
}

/// One day of a patient's pain chart.
public struct ChartDay: Sendable, Hashable {
    public var date: LocalDate
    /// The day's highest during/after score.
    public var duringAfter: Int?
    /// The next-morning score for the day (reported the morning after).
    public var morning: Int?
    /// The patient's usual pain that day, as the planner judges reports against it.
    public var usual: Int
    /// The highest green during/after score that day.
    public var greenUpTo: Int
    /// The first red during/after score that day.
    public var redFrom: Int

    public init(date: LocalDate, duringAfter: Int?, morning: Int?, usual: Int, greenUpTo: Int, redFrom: Int) {
        self.date = date
        self.duringAfter = duringAfter
        self.morning = morning
        self.usual = usual
        self.greenUpTo = greenUpTo
        self.redFrom = redFrom
    }
}

/// A decision or stage change marked on the chart.
public struct ChartMark: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        case stage, stepUp = "step-up", stepDown = "step-down", flare, halt, resume, approval
    }
    public var date: LocalDate
    public var kind: Kind
    /// Plain words for the mark's tooltip (the decision's reason).
    public var text: String

    public init(date: LocalDate, kind: Kind, text: String) {
        self.date = date
        self.kind = kind
        self.text = text
    }
}

/// Something a clinician may approve from the patient page.
public enum ApprovalTarget: Sendable, Hashable {
    /// The next gated rung of this prescription's exercise (form field `exercise`).
    case exercise(String)
    /// This stage's gate (form field `stage`).
    case stage(String)
}

/// One patient's full picture for the patient page.
public struct PatientDetail: Sendable {
    public var summary: PatientSummary
    /// Nil for a failed row.
    public var patient: Patient?
    public var programTitle: String?
    /// The plan as of `summary.asOf` for 8 days: today and the next 7. Its decisions
    /// cover the whole history. Nil for a failed row.
    public var plan: Plan?
    /// Every readable log entry, oldest first.
    public var entries: [LogEntry]
    /// One per day from the start date (or the first report, if earlier) to `asOf`.
    public var days: [ChartDay]
    public var marks: [ChartMark]
    /// Gates awaiting a clinician's approval now.
    public var approvals: [ApprovalTarget]
    /// Exercise names by library id, for the exercises the plan names.
    public var exerciseNames: [String: String]

    public init(summary: PatientSummary, patient: Patient? = nil, programTitle: String? = nil, plan: Plan? = nil,
                entries: [LogEntry] = [], days: [ChartDay] = [], marks: [ChartMark] = [], approvals: [ApprovalTarget] = [],
                exerciseNames: [String: String] = [:]) {
        self.exerciseNames = exerciseNames
        self.summary = summary
        self.patient = patient
        self.programTitle = programTitle
        self.plan = plan
        self.entries = entries
        self.days = days
        self.marks = marks
        self.approvals = approvals
    }
}
