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

    public init(id: String, program: String, procedure: Procedure, surgeryDate: LocalDate, startDate: LocalDate,
                timezone: String, sessionTimes: [LocalTime]? = nil, baselinePain: Int = 0,
                reminderMinutes: Int? = nil, startStage: String? = nil,
                clinic: Clinic? = nil, emergencyNumber: String? = nil) {
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

    /// SPEC.md's id rule: a letter or digit, then up to 63 of `A-Z a-z 0-9 . _ -`, no "..".
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
