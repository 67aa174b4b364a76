/// The clinical annotations of the library and programs: what an exercise loads, what a
/// restriction forbids, warnings a therapist has accepted, and the education items a
/// patient reads (docs/program-format.md, "Clinical checks"; docs/clinical-basis.md).

/// What an exercise loads or asks of the healing spine and nerve.
public enum Movement: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Bending the low back forward.
    case flexion
    /// Arching the low back.
    case `extension`
    /// Twisting the trunk.
    case rotation
    /// Carrying or lifting a load.
    case lifting
    /// Moving the sciatic nerve without stretching it (a slider).
    case neuralGlide = "neural-glide"
    /// Stretching the sciatic nerve (a tensioner, a straight-leg raise, a hamstring stretch).
    case neuralTension = "neural-tension"
    /// Jumping, running, landing.
    case impact
    /// Holding the trunk on hands and knees (bird-dog and other quadruped work).
    case quadruped

    /// Moves the nerve at all (a glide or a stretch): never into pain, paused in a flare.
    public var movesNerve: Bool { self == .neuralGlide || self == .neuralTension }

    public static func < (a: Movement, b: Movement) -> Bool {
        allCases.firstIndex(of: a) ?? 0 < allCases.firstIndex(of: b) ?? 0
    }
}

/// A clinical warning a therapist has looked at and kept for one prescription, with why.
public struct AcceptedWarning: Hashable, Sendable {
    /// The rule's id without its `clinical/` prefix, e.g. `volume-jump`.
    public var rule: String
    public var because: String

    public init(rule: String, because: String) {
        self.rule = rule
        self.because = because
    }
}

/// Something a patient should know, shown in the plan in the weeks it applies and printed
/// whole in the handout.
public struct EducationItem: Hashable, Sendable {
    public var id: String
    public var title: String
    /// A few short sentences in plain words; the first one stands alone as the plan's line.
    public var text: String
    /// From this week after surgery (`floor(days / 7)`), inclusive.
    public var fromWeek: Int
    /// Up to this week, exclusive; nil for no end.
    public var untilWeek: Int?
    /// Only for these procedures; empty for all.
    public var procedures: [Procedure]
    /// Reference keys.
    public var sources: [String]

    public init(id: String, title: String, text: String, fromWeek: Int = 0, untilWeek: Int? = nil,
                procedures: [Procedure] = [], sources: [String]) {
        self.id = id
        self.title = title
        self.text = text
        self.fromWeek = fromWeek
        self.untilWeek = untilWeek
        self.procedures = procedures
        self.sources = sources
    }

    /// The first sentence of `text`: what the plan shows under the title.
    public var firstLine: String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        guard let end = flat.range(of: ". ") else { return flat }
        return String(flat[..<end.lowerBound]) + "."
    }

    /// True when the item applies in `week` after surgery to a patient who had `procedure`.
    public func applies(week: Int, procedure: Procedure) -> Bool {
        week >= fromWeek && untilWeek.map { week < $0 } ?? true
            && (procedures.isEmpty || procedures.contains(procedure))
    }
}

extension Program {
    /// The education items that apply to `patient` in the week after surgery that holds
    /// `date`, in program order. A handout prints each whole (`title`, `text`); the plan
    /// prints `title` and `firstLine`.
    public func education(for patient: Patient, on date: LocalDate) -> [EducationItem] {
        let days = date.days(since: patient.surgeryDate)
        let week = days < 0 ? 0 : days / 7
        return education.filter { $0.applies(week: week, procedure: patient.procedure) }
    }
}
