/// A patient file: who, which program, when the operation was, and their times.
public struct Patient: Hashable, Sendable {
    public var id: String
    /// A shipped program id or a path to a program file, as written.
    public var program: String
    public var procedure: Procedure
    public var surgeryDate: LocalDate
    public var startDate: LocalDate
    /// IANA zone name; the CLI resolves it to a `TimeZone`.
    public var timezone: String
    /// Replaces the program's default session times in order.
    public var sessionTimes: [LocalTime]?
    public var baselinePain: Int
    public var reminderMinutes: Int?
    public var startStage: String?
    /// Who the patient calls about their exercises (shown wherever advice says to call).
    public var clinic: Clinic?
    /// The number to call in an emergency, as written in the file; nil for the default
    /// (`EmergencyNumber.for(patient:)` resolves it).
    public var emergencyNumber: String?

    /// The patient file's `clinic`: a name and a phone number, both as written.
    public struct Clinic: Hashable, Sendable {
        public var name: String
        public var phone: String

        public init(name: String, phone: String) {
            self.name = name
            self.phone = phone
        }
    }

    /// This patient's changes to the program.
    public var tailoring: Tailoring
    /// A dated `baseline_pain` (`[{from, value}]`, in date order); empty when the file gives
    /// one number (`baselinePain`). A change never rewrites the days before it.
    public var baselineChanges: [BaselineChange] = []

    /// The `baseline_pain` in force on `day`: the last change from that day or before (the
    /// first one before any), or `baselinePain` when the file gives one number.
    public func baseline(on day: LocalDate) -> Int {
        guard let first = baselineChanges.first else { return baselinePain }
        return baselineChanges.last { $0.from <= day }?.value ?? first.value
    }

    public init(id: String, program: String, procedure: Procedure, surgeryDate: LocalDate, startDate: LocalDate,
                timezone: String, sessionTimes: [LocalTime]? = nil, baselinePain: Int = 0,
                reminderMinutes: Int? = nil, startStage: String? = nil, tailoring: Tailoring = Tailoring(),
                clinic: Clinic? = nil, emergencyNumber: String? = nil) {
        self.tailoring = tailoring
        self.clinic = clinic
        self.emergencyNumber = emergencyNumber
        self.id = id
        self.program = program
        self.procedure = procedure
        self.surgeryDate = surgeryDate
        self.startDate = startDate
        self.timezone = timezone
        self.sessionTimes = sessionTimes
        self.baselinePain = baselinePain
        self.reminderMinutes = reminderMinutes
        self.startStage = startStage
    }

    /// The id rule: a letter or digit, then up to 63 of `A-Z a-z 0-9 . _ -`, no "..".
    /// Checked before any path is built from an id.
    public static func isValidID(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        guard (1...64).contains(bytes.count), !id.contains("..") else { return false }
        func alnum(_ b: UInt8) -> Bool {
            (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122)
        }
        return alnum(bytes[0]) && bytes.dropFirst().allSatisfy { alnum($0) || $0 == 46 || $0 == 95 || $0 == 45 }
    }
}

/// A patient's changes to the program (patient file `tailoring`); each item applies from its
/// `from` date (nil: from the start date). They only ever make the plan more careful.
public struct Tailoring: Hashable, Sendable {
    /// A prescription withheld entirely.
    public struct Exclusion: Hashable, Sendable {
        public var exercise: String
        public var from: LocalDate?
        public init(exercise: String, from: LocalDate? = nil) { self.exercise = exercise; self.from = from }
    }

    /// A lower cap: the prescription's dose never rises above `dose` (a rung of its ladder).
    public struct Cap: Hashable, Sendable {
        public var exercise: String
        public var dose: Dose
        public var from: LocalDate?
        public init(exercise: String, dose: Dose, from: LocalDate? = nil) {
            self.exercise = exercise
            self.dose = dose
            self.from = from
        }
    }

    /// Every rung above the start rung needs a clinician's approval.
    public struct Gate: Hashable, Sendable {
        public var exercise: String
        public var from: LocalDate?
        public init(exercise: String, from: LocalDate? = nil) { self.exercise = exercise; self.from = from }
    }

    public var exclude: [Exclusion]
    public var cap: [Cap]
    public var approval: [Gate]

    public init(exclude: [Exclusion] = [], cap: [Cap] = [], approval: [Gate] = []) {
        self.exclude = exclude
        self.cap = cap
        self.approval = approval
    }

    public var isEmpty: Bool { exclude.isEmpty && cap.isEmpty && approval.isEmpty }

    /// The days on which some item begins (after the start date), in order.
    func changeDays(after start: LocalDate) -> [LocalDate] {
        let days = exclude.compactMap(\.from) + cap.compactMap(\.from) + approval.compactMap(\.from)
        return Array(Set(days.filter { $0 > start })).sorted()
    }

    /// `stage` as this patient does it on `day`: excluded prescriptions left out, lower caps
    /// cutting the ladder, and approval gates on every rung above the start.
    public func apply(to stage: Stage, on day: LocalDate, start: LocalDate) -> Stage {
        guard !isEmpty else { return stage }
        func active(_ from: LocalDate?) -> Bool { (from ?? start) <= day }
        var result = stage
        let excluded = Set(exclude.filter { active($0.from) }.map(\.exercise))
        result.prescriptions = stage.prescriptions.filter { !excluded.contains($0.exercise) }.map { rx in
            var rx = rx
            for c in cap where c.exercise == rx.exercise && active(c.from) {
                let ladder = rx.ladder
                guard let top = ladder.rungs.lastIndex(where: { $0.isAtMost(c.dose) }) else { continue }
                let rungs = Array(ladder.rungs[...top])
                rx.ladder = DoseLadder(rungs: rungs, startIndex: min(ladder.startIndex, top))
                rx.approvalRungs = rx.approvalRungs.filter { $0 <= top }
            }
            if approval.contains(where: { $0.exercise == rx.exercise && active($0.from) }) {
                rx.approvalRungs.formUnion((rx.ladder.startIndex + 1)..<rx.ladder.rungs.count)
            }
            return rx
        }
        return result
    }
}

/// One dated value of a patient's `baseline_pain`.
public struct BaselineChange: Hashable, Sendable {
    public var from: LocalDate
    public var value: Int
    public init(from: LocalDate, value: Int) { self.from = from; self.value = value }
}
