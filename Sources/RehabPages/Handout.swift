import RehabKit

/// The printable handout (`rehab handout`): one self-contained HTML file from the
/// `handout` template, with inline CSS, the exercise drawings and, when the patient is
/// linked, QR codes for the calendar feed and the check-in page. Nothing in it loads
/// anything from a network.
///
/// Pure: the caller hands in the plan for the week, the contacts and the links. The sheet
/// prints the program's education items for the week after surgery it starts in
/// (`Program.education(for:on:)`), each whole, and every caution of each exercise.
public enum Handout {
    /// The links of a linked patient.
    public struct Links: Sendable {
        public var feed: String
        public var checkIn: String
        public init(feed: String, checkIn: String) { self.feed = feed; self.checkIn = checkIn }
    }

    public struct Input: Sendable {
        public var program: Program
        public var library: ExerciseLibrary
        public var patient: Patient
        /// The plan for the week the handout shows (`as_of` and `days` from it).
        public var plan: Plan
        public var contacts: Contacts
        public var links: Links?

        public init(program: Program, library: ExerciseLibrary, patient: Patient, plan: Plan, contacts: Contacts,
                    links: Links?) {
            self.program = program
            self.library = library
            self.patient = patient
            self.plan = plan
            self.contacts = contacts
            self.links = links
        }
    }

    struct Row { var days: String; var time: String; var lines: [String] }
    struct Card {
        var name: String
        var drawing: String
        var doses: String?
        var steps: [String]
        var hasCautions: Bool
        var cautions: [String]
    }
    struct SignLine { var words: String; var todo: String }
    struct Education { var title: String; var text: String }

    struct View {
        var title: String
        var programTitle: String
        var stageTitle: String
        var firstDay: String
        var lastDay: String
        var halted: Bool
        var restrictions: [String]
        var hasWeek: Bool
        var week: [Row]
        var linked: Bool
        var exercises: [Card]
        var zones: ZoneWords
        /// This week's exercises judged by tighter zones of their own (nerve glides).
        var ownZones: [OwnZones]
        var baseline: Int
        var morning: String
        var hasEducation: Bool
        var education: [Education]
        var signs: [SignLine]
        var recordSign: String
        var feedQR: String
        var feedURL: String
        var checkInQR: String
        var checkInURL: String
        var diaryUse: String
        var diary: [String]
        var emergencyNumber: String?
        var emergencyDial: String?
        var clinicName: String
        var clinicPhone: String?
        var clinicPhoneDial: String?
    }

    /// The handout as one HTML document.
    public static func html(_ input: Input) throws -> String {
        let plan = input.plan
        let last = plan.asOf + (max(plan.days, 1) - 1)
        let calls = input.contacts.view
        // What the program says patients should know in the week after surgery the sheet starts in, whole.
        let education = input.program.education(for: input.patient, on: plan.asOf).map {
            Education(title: $0.title, text: $0.text.split(whereSeparator: \.isNewline).joined(separator: " "))
        }
        var feedQR = "", checkInQR = ""
        if let links = input.links {
            feedQR = try QRCode(encoding: links.feed).svg(label: "QR code of your calendar link")
            checkInQR = try QRCode(encoding: links.checkIn).svg(label: "QR code of your check-in page")
        }
        let rules = input.program.painRules
        let b = plan.usualPain
        let morning = "up to \(b + rules.morningAmberAbove - 1) is fine; \(b + rules.morningAmberAbove)"
            + (rules.morningRedAbove - rules.morningAmberAbove > 1 ? " to \(b + rules.morningRedAbove - 1)" : "")
            + " means keep to your doses; \(b + rules.morningRedAbove) or more means your plan steps back."
        let view = View(
            title: "Your home exercises",
            programTitle: input.program.title,
            stageTitle: input.program.stage(id: plan.stage)?.title ?? plan.stage,
            firstDay: dayLabel(plan.asOf), lastDay: dayLabel(last),
            halted: plan.status == .halted,
            restrictions: input.program.restrictions(for: input.patient, from: plan.asOf, through: last).map(\.line),
            hasWeek: !plan.sessions.isEmpty, week: weekRows(plan.sessions, library: input.library),
            linked: input.links != nil,
            exercises: try cards(input),
            zones: ZoneWords(rules.limits, usual: b), ownZones: ownZones(input, usual: b), baseline: b, morning: morning,
            hasEducation: !education.isEmpty, education: education,
            signs: RedFlag.allCases.filter(\.halts).map { SignLine(words: SignWords.words($0), todo: SignWords.todo($0, contacts: input.contacts)) },
            recordSign: input.links != nil
                ? "Once you have help, report the sign on your check-in page too, so your plan stops. Only your clinical team can restart your exercises."
                : "Once you have help, write the sign in your pain diary and tell your clinic, so your plan stops. Only your clinical team can restart your exercises.",
            feedQR: feedQR, feedURL: input.links?.feed ?? "", checkInQR: checkInQR, checkInURL: input.links?.checkIn ?? "",
            diaryUse: input.links != nil
                ? "If you cannot use your check-in page, write your scores here and bring this sheet to your next visit."
                : "Write your scores here and bring this sheet to your next visit.",
            diary: (0..<14).map { dayLabel(plan.asOf + $0) },
            emergencyNumber: calls.emergencyNumber, emergencyDial: calls.emergencyDial, clinicName: calls.clinicName,
            clinicPhone: calls.clinicPhone, clinicPhoneDial: calls.clinicPhoneDial)
        return try PageRenderer.render(view, template: "handout")
    }

    static let weekdayNames: [Weekday: String] = [.mon: "Mon", .tue: "Tue", .wed: "Wed", .thu: "Thu", .fri: "Fri", .sat: "Sat", .sun: "Sun"]
    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// "Mon 23 Nov".
    static func dayLabel(_ date: LocalDate) -> String {
        let c = date.components
        return "\(weekdayNames[date.weekday] ?? "") \(c.day) \(monthNames[c.month - 1])"
    }

    /// One row per time of day and run of consecutive days with the same exercises and doses.
    static func weekRows(_ sessions: [PlannedSession], library: ExerciseLibrary) -> [Row] {
        struct Run { var first: LocalDate; var last: LocalDate; var time: LocalTime; var lines: [String] }
        var runs: [Run] = []
        var open: [LocalTime: Int] = [:]
        for s in sessions.sorted(by: { $0.slot < $1.slot }) {
            let lines = s.exercises.map { e in
                let dose = e.dose.description
                return (library[e.id]?.name ?? e.id) + (dose.isEmpty ? "" : ": \(dose)")
            }
            if let i = open[s.slot.time], runs[i].lines == lines, runs[i].last + 1 == s.slot.date {
                runs[i].last = s.slot.date
            } else {
                runs.append(Run(first: s.slot.date, last: s.slot.date, time: s.slot.time, lines: lines))
                open[s.slot.time] = runs.count - 1
            }
        }
        runs.sort { ($0.first, $0.time) < ($1.first, $1.time) }
        return runs.map { r in
            Row(days: r.first == r.last ? dayLabel(r.first) : "\(dayLabel(r.first)) to \(dayLabel(r.last))",
                time: "\(r.time)", lines: r.lines)
        }
    }

    /// A card for each exercise of the week (the variant done), in the order first done;
    /// for a week without sessions, the current stage's exercises.
    static func cards(_ input: Input) throws -> [Card] {
        var order: [String] = []
        var doses: [String: [String]] = [:]
        for s in input.plan.sessions.sorted(by: { $0.slot < $1.slot }) {
            for e in s.exercises {
                if doses[e.id] == nil { order.append(e.id); doses[e.id] = [] }
                let d = e.dose.description
                if !d.isEmpty, doses[e.id]?.last != d { doses[e.id]?.append(d) }
            }
        }
        if order.isEmpty, let stage = input.program.stage(id: input.plan.stage) {
            for p in stage.prescriptions where !order.contains(p.exercise) { order.append(p.exercise) }
        }
        return try order.compactMap { id -> Card? in
            guard let exercise = input.library[id] else { return nil }
            let list = doses[id] ?? []
            return Card(name: exercise.name, drawing: try Drawings.svg(for: exercise),
                        doses: list.isEmpty ? nil : list.joined(separator: ", then "),
                        steps: exercise.instructions, hasCautions: !exercise.cautions.isEmpty, cautions: exercise.cautions)
        }
    }

    /// An exercise whose own zones differ from the general ones for this patient.
    struct OwnZones { var name: String; var zones: ZoneWords }

    /// This week's exercises with zones of their own that read differently from the
    /// general guide (the nerve glides: no amber, stop above 2), each once by name.
    static func ownZones(_ input: Input, usual: Int) -> [OwnZones] {
        let general = ZoneWords(input.program.painRules.limits, usual: usual)
        guard let stage = input.program.stage(id: input.plan.stage) else { return [] }
        var seen: Set<String> = []
        var out: [OwnZones] = []
        for session in input.plan.sessions {
            for e in session.exercises {
                guard let p = stage.prescriptions.first(where: { $0.exercise == e.prescription }), let limits = p.zones,
                      seen.insert(p.exercise).inserted else { continue }
                let words = ZoneWords(limits, usual: usual)
                guard words != general else { continue }
                out.append(OwnZones(name: input.library[p.exercise]?.name ?? p.exercise, zones: words))
            }
        }
        return out
    }
}

/// The exercise drawings (`Templates/drawing-<id>.mustache`): an exercise's own, else its
/// family's.
public enum Drawings {
    /// The template name of an exercise's drawing, or nil when it has none.
    public static func templateName(for exercise: Exercise) -> String? {
        guard let renderer = try? PageRenderer.shared.get() else { return nil }
        for id in [exercise.id, exercise.family].compactMap({ $0 }) where renderer.has("drawing-\(id)") {
            return "drawing-\(id)"
        }
        return nil
    }

    /// The drawing as inline SVG; a plain frame with the name for an exercise without one.
    public static func svg(for exercise: Exercise) throws -> String {
        guard let name = templateName(for: exercise) else {
            return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"drawing\" viewBox=\"0 0 200 120\" role=\"img\" "
                + "aria-label=\"\(PageEscaping.attribute(exercise.name))\"><rect x=\"2\" y=\"2\" width=\"196\" height=\"116\" "
                + "fill=\"none\" stroke=\"#8a8a8a\" stroke-width=\"2\"/></svg>"
        }
        return try PageRenderer.render([String: String](), template: name)
    }
}
