import RehabKit

/// The words patients read in their calendar. Plain and short; our own words for the facts
/// the programs carry (docs/clinical-basis.md).
///
/// Never a command line or a file name: where to log is the
/// check-in page when the patient has a link, otherwise the paper pain diary of the handout.
/// Whoever is to be called is named with their number: the patient's clinic (`clinic`) and
/// the emergency number (`EmergencyNumber.for(patient:)`). Warning signs are said in words,
/// never by their flag names.
enum EventText {
    static func name(_ id: String, _ library: ExerciseLibrary) -> String { library[id]?.name ?? id }

    static func sessionSummary(_ exercises: [PlannedExercise], library: ExerciseLibrary) -> String {
        let names = exercises.map { name($0.id, library) }
        let full = "Rehab: " + names.joined(separator: ", ")
        return full.count <= 70 ? full : "Rehab: \(exercises.count) exercises"
    }

    static func sessionAlarm(_ exercises: [PlannedExercise], library: ExerciseLibrary) -> String {
        "Rehab exercises soon: " + exercises.map { name($0.id, library) }.joined(separator: ", ")
    }

    /// The paper way to log, for a patient without a check-in link (the agreed words).
    static let diary = "Write your scores in your pain diary (the handout) and bring it to your next visit."

    /// A session (short, under 1,200 characters): its exercises with dose and one line each first, then the
    /// pain guide, any plan advice, the warning signs in one block, and where to send scores
    /// and warning signs. The program's restrictions are in the morning check-in, once a day.
    static func sessionDescription(index: Int, exercises: [PlannedExercise], request: CalendarRequest) -> String {
        var lines: [String] = []
        for e in exercises {
            let dose = e.dose.description
            var line = "- \(name(e.id, request.library))" + (dose.isEmpty ? "" : ": \(dose)") + "."
            if let how = request.library[e.id]?.summary, !how.isEmpty { line += " " + how }
            lines.append(line)
        }
        lines += ["", painGuide(request.program.painRules, usual: request.plan.usualPain)]
        lines += planAdvice(request)
        lines += [""] + warningSigns(request) + [""] + sendScores(request)
        return lines.joined(separator: "\n")
    }

    /// The last lines of a session or check-in: where the scores go, and that a warning
    /// sign goes to the clinical team too (through the check-in page when linked).
    static func sendScores(_ request: CalendarRequest) -> [String] {
        if let url = request.checkInURL {
            return ["Send your scores and warning signs here: \(url)"]
        }
        return [diary, "Tell your clinical team of a warning sign."]
    }

    /// "Leg pain 0-10 during and after: 0-3 is fine. ..." in this patient's zones: the
    /// program's limits relative to the usual pain the plan judged its day by.
    static func painGuide(_ rules: PainRules, usual: Int) -> String {
        "Leg pain 0-10 during and after: " + zoneLine(ZoneBands(usual: usual, limits: rules.limits))
    }

    /// The zones in words (the defaults for a usual pain of 0-2: "0-3 is fine. 4-5:
    /// keep to this dose. 6 or more: stop that exercise.").
    static func zoneLine(_ bands: ZoneBands) -> String {
        func span(_ low: Int, _ high: Int) -> String { low == high ? "\(low)" : "\(low)-\(high)" }
        var line = "\(span(0, bands.greenUpTo)) is fine. "
        if let amber = bands.amber { line += "\(span(amber.lowerBound, amber.upperBound)): keep to this dose. " }
        return line + "\(bands.redFrom) or more: stop that exercise."
    }

    /// The morning check-in: the next-morning score and where to send it, the program's
    /// restrictions in force on any of its days (each says until when), any plan advice and
    /// the warning signs.
    static func checkInDescription(restrictions: [Program.RestrictionInForce], request: CalendarRequest) -> String {
        var lines = [
            "How does your leg feel this morning? Rate your leg pain from 0 (none) to 10 (worst).",
            "This score tells your plan how yesterday's exercises went.",
        ]
        if !restrictions.isEmpty { lines += ["", "Remember:"] + restrictions.map { "- " + $0.line } }
        lines += planAdvice(request)
        lines += [""] + warningSigns(request) + [""] + sendScores(request)
        return lines.joined(separator: "\n")
    }

    /// The plan's own advice (an escalation), each as a paragraph, with the clinic to call.
    static func planAdvice(_ request: CalendarRequest) -> [String] {
        guard !request.plan.advice.isEmpty else { return [] }
        var lines: [String] = []
        for advice in request.plan.advice { lines += ["", advice] }
        if let clinic = clinicLine(request.patient) { lines.append(clinic) }
        return lines
    }

    static func haltSummary(_ halt: Halt) -> String {
        halt.flags.contains { $0.urgency == .emergency }
            ? "STOP your exercises: get emergency care now"
            : "STOP your exercises: contact your surgical team today"
    }

    static func haltDescription(_ halt: Halt, request: CalendarRequest) -> String {
        var advice = halt.advice
        if advice.isEmpty { advice = halt.flags.filter(\.halts).map { request.program.advice(for: $0) } }
        let number = EmergencyNumber.for(patient: request.patient)
        if !EmergencyNumber.isUnknown(for: request.patient) {
            // The program's words say "call your emergency number": give the number.
            advice = advice.map { $0.replacingOccurrences(of: "your emergency number", with: number) }
        }
        var lines = ["Your exercises stopped on \(halt.date) because of a warning sign you reported.", ""]
        lines += unique(advice)
        lines += [""]
        // The number once: said here unless the advice already says it.
        if halt.flags.contains(where: { $0.urgency == .emergency }), !advice.contains(where: { $0.contains(number) }) {
            lines.append("Emergency: call \(number).")
        }
        if let clinic = clinicLine(request.patient) { lines.append(clinic) }
        lines.append("Only your clinical team can restart your exercises. Wait until they have cleared you.")
        return lines.joined(separator: "\n")
    }

    /// "Your clinic: Riverside Spine Physio, +49 30 1234567." or nil without a clinic.
    static func clinicLine(_ patient: Patient) -> String? {
        patient.clinic.map { "Your clinic: \($0.name), \($0.phone)." }
    }

    /// The signs in plain words, each once. The full advice for each lives in the handout
    /// and on the check-in page; a session only needs to say what to watch for and whom to call.
    static func words(_ flag: RedFlag) -> String {
        switch flag {
        case .saddleNumbness: "numbness between your legs or around your bottom"
        case .bladderBowel: "new bladder or bowel trouble"
        case .worseningWeakness: "worsening leg weakness"
        case .chestPain: "chest pain"
        case .breathlessness: "sudden breathlessness"
        case .fever: "a fever"
        case .woundInfection: "a red or leaking wound"
        case .calfSwelling: "a painful swollen calf"
        case .suddenLegPain: "sudden new leg pain"
        case .spreading: "pain moving further down your leg"
        }
    }

    /// The warning-sign block of every session and check-in: the signs in a few words each
    /// and whom to call for which (emergency ones first, with the number). The full list,
    /// with what to do for each, is in the handout and on the check-in page.
    static func warningSigns(_ request: CalendarRequest) -> [String] {
        let patient = request.patient
        let emergency = RedFlag.allCases.filter { $0.urgency == .emergency }.map(words)
        let today = RedFlag.allCases.filter { $0.urgency == .surgicalTeamToday }.map(words)
        let team = patient.clinic.map { "\($0.name) (\($0.phone)) or your surgical team" } ?? "your surgical team"
        return [
            "Warning signs - stop and get help:",
            "- Call \(EmergencyNumber.for(patient: patient)) now: " + emergency.joined(separator: "; ") + ".",
            "- Call \(team) today: " + today.joined(separator: "; ") + ".",
        ]
    }

    /// A rough session length: minutes for timed exercises, about 5 s a rep plus holds
    /// and a minute between exercises otherwise; rounded up to 5 minutes, at least 10.
    static func durationMinutes(_ exercises: [PlannedExercise]) -> Int {
        var seconds = 0
        for e in exercises {
            if let m = e.dose.minutes { seconds += m * 60; continue }
            let reps = (e.dose.sets ?? 1) * (e.dose.reps ?? 1)
            seconds += reps * (5 + (e.dose.holdSeconds ?? 0)) + 60
        }
        let minutes = (seconds + 299) / 300 * 5
        return max(10, minutes)
    }

    private static func unique(_ texts: [String]) -> [String] {
        var seen = Set<String>()
        return texts.filter { seen.insert($0).inserted }
    }
}
