/// When, relative to exercise, a pain score was taken.
public enum ReportTiming: String, Sendable, Hashable, CaseIterable {
    case during, after
    case nextMorning = "next-morning"
}

/// One pain report as the patient logged it.
public struct PainReport: Hashable, Sendable {
    /// Local wall time in the patient's zone.
    public var at: LocalDateTime
    /// 0-10; nil only on a report carrying a halting flag.
    public var pain: Int?
    public var when: ReportTiming
    /// A library id (exercise or variant); nil covers every exercise scheduled that day.
    public var exercise: String?
    public var flags: [RedFlag]
    /// Free text; never echoed in error messages.
    public var note: String?

    public init(at: LocalDateTime, pain: Int?, when: ReportTiming, exercise: String? = nil,
                flags: [RedFlag] = [], note: String? = nil) {
        self.at = at
        self.pain = pain
        self.when = when
        self.exercise = exercise
        self.flags = flags
        self.note = note
    }

    /// The day the report counts for: a next-morning report belongs to the day before.
    public var day: LocalDate { when == .nextMorning ? at.date - 1 : at.date }
}

/// A clinician's clearance that restarts a halted plan (`rehab resume`).
public struct Resume: Hashable, Sendable {
    public var at: LocalDateTime
    public var clearedBy: String

    public init(at: LocalDateTime, clearedBy: String) {
        self.at = at
        self.clearedBy = clearedBy
    }
}

/// A clinician's approval (`rehab approve`): it opens the next gated rung above an
/// exercise's dose, or a stage's gate. An approval is not a step: the step still needs its
/// evidence after it.
public struct Approval: Hashable, Sendable {
    public enum Target: Hashable, Sendable {
        case exercise(String)
        case stage(String)
    }

    public var at: LocalDateTime
    public var by: String
    public var target: Target
    /// The rung it opens, as recorded when it was given (exercise approvals only).
    public var rung: Dose?

    public init(at: LocalDateTime, by: String, target: Target, rung: Dose? = nil) {
        self.at = at
        self.by = by
        self.target = target
        self.rung = rung
    }
}

/// One line of the pain log, in the order written.
public enum LogEntry: Hashable, Sendable {
    case report(PainReport)
    case resume(Resume)
    case approval(Approval)

    public var at: LocalDateTime {
        switch self {
        case .report(let r): r.at
        case .resume(let r): r.at
        case .approval(let a): a.at
        }
    }
}
