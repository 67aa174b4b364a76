import RehabKit

/// The words patients read in their calendar. Plain and short; facts from docs/clinical-basis.md.
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

    static func logCommand(_ request: CalendarRequest, when: String) -> String {
        "rehab log \(request.patientFile ?? "YOUR-PATIENT-FILE") --pain N --when \(when)"
    }

    /// `restrictions`: those in force on any day of the event (each says until when).
    static func sessionDescription(stage: String, index: Int, exercises: [PlannedExercise],
                                   restrictions: [Program.RestrictionInForce], request: CalendarRequest) -> String {
        var lines = ["Stage: \(stage). Session \(index) of the day.", "", "Exercises:"]
        for e in exercises {
            let dose = e.dose.description
            var line = "- \(name(e.id, request.library))" + (dose.isEmpty ? "" : ": \(dose)") + "."
            if let how = request.library[e.id]?.summary, !how.isEmpty { line += " " + how }
            lines.append(line)
        }
        if !restrictions.isEmpty { lines += ["", "Remember:"] + restrictions.map { "- " + $0.line } }
        lines += [
            "",
            "Pain check: rate your leg pain from 0 (none) to 10 (worst) during and after the session.",
            zoneLine(request.program.painRules),
        ]
        if let url = request.checkInURL {
            lines += ["Report it on your phone: \(url)"]
        }
        lines += [
            "Log it after the session: \(logCommand(request, when: "after"))",
            "Tomorrow morning: \(logCommand(request, when: "next-morning"))",
        ]
        for advice in request.plan.advice { lines += ["", advice] }
        lines += [""] + warningSigns(request)
        return lines.joined(separator: "\n")
    }

    /// The zones in the program's own numbers (SPEC.md's defaults: "0-3 is fine. 4-5: keep
    /// to this dose. 6 or more: stop that exercise."). The reader keeps
    /// 0 <= green_max < amber_max <= 9, so every zone has at least one score.
    static func zoneLine(_ rules: PainRules) -> String {
        func span(_ low: Int, _ high: Int) -> String { low == high ? "\(low)" : "\(low)-\(high)" }
        let red = rules.amberMax + 1 == 10 ? "10" : "\(rules.amberMax + 1) or more"
        return "\(span(0, rules.greenMax)) is fine. \(span(rules.greenMax + 1, rules.amberMax)): keep to this dose. "
            + "\(red): stop that exercise."
    }

    static func checkInDescription(request: CalendarRequest) -> String {
        ([
            "How does your leg feel this morning? Rate it from 0 (none) to 10 (worst).",
            "This score tells the plan how yesterday's exercises went.",
            "Log it: \(logCommand(request, when: "next-morning"))",
            "",
        ] + warningSigns(request)).joined(separator: "\n")
    }

    static func haltSummary(_ halt: Halt) -> String {
        halt.flags.contains { $0.urgency == .emergency }
            ? "STOP rehab exercises: get emergency care now"
            : "STOP rehab exercises: contact your surgical team today"
    }

    static func haltDescription(_ halt: Halt, request: CalendarRequest) -> String {
        var advice = halt.advice
        if advice.isEmpty { advice = halt.flags.filter(\.halts).map { request.program.advice(for: $0) } }
        return ([
            "Your exercises stopped on \(halt.date) because of a warning sign you reported.",
            "",
        ] + unique(advice) + [
            "",
            "Do not restart the exercises until your clinical team has cleared you.",
            "Then record the clearance: rehab resume \(request.patientFile ?? "YOUR-PATIENT-FILE") --cleared-by NAME",
        ]).joined(separator: "\n")
    }

    /// The warning-sign block of every session and check-in: a heading that says to stop,
    /// the program's advice for each halting flag (emergency ones first, each text once,
    /// without its own leading "Stop all exercises." or "Stop the exercises.": the heading
    /// says it once), and how to record the sign so the plan stops.
    static func warningSigns(_ request: CalendarRequest) -> [String] {
        let advice = unique(RedFlag.allCases.filter(\.halts).map { flag in
            var text = Substring(request.program.advice(for: flag))
            for lead in ["Stop all exercises. ", "Stop the exercises. "] where text.hasPrefix(lead) {
                text = text.dropFirst(lead.count)
            }
            return String(text)
        })
        let record = request.checkInURL != nil
            ? "Once you have help, report it on your check-in page too, so the plan stops."
            : "Once you have help, log it too, so the plan stops: rehab log \(request.patientFile ?? "YOUR-PATIENT-FILE") --flag NAME (rehab log --help lists the names)."
        return ["Warning signs: stop all exercises and get help."] + advice.map { "- " + $0 } + [record]
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
