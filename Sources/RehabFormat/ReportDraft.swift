import Foundation
import RehabKit

/// A pain report as typed by a person (`rehab log` options or the check-in form), before
/// it is checked. `check` turns it into a `PainReport` or the reasons it is refused.
///
/// I/O-free: the caller passes the current instant, the patient's zone and what the
/// program allows, so `rehab log` and `rehab serve` share one set of rules. A report with
/// a halting flag is never refused because of another field: that field is dropped and a
/// warning says so.
///
/// ```swift
/// let draft = ReportDraft(pain: "3", when: "after")
/// switch draft.check(ReportDraft.Rules(...)) { case .accepted(let r): ...; case .refused(let p): ... }
/// ```
public struct ReportDraft: Sendable, Equatable {
    public var pain: String?
    public var when: String?
    public var exercise: String?
    public var at: String?
    public var flags: [String]
    public var note: String?

    /// The longest note kept, in characters.
    public static let maxNoteLength = 2_000

    public init(pain: String? = nil, when: String? = nil, exercise: String? = nil, at: String? = nil,
                flags: [String] = [], note: String? = nil) {
        self.pain = pain
        self.when = when
        self.exercise = exercise
        self.at = at
        self.flags = flags
        self.note = note
    }

    /// What a report is checked against.
    public struct Rules: Sendable {
        /// Library ids a report may name (`Program.reportableExercises(in:)`).
        public var reportableExercises: [String]
        public var library: ExerciseLibrary
        public var programID: String
        public var zone: TimeZone
        public var now: Date
        /// Put before field names in messages: "--" for the command line, "" for a form.
        public var fieldPrefix: String

        public init(program: Program, library: ExerciseLibrary, zone: TimeZone, now: Date, fieldPrefix: String = "--") {
            self.reportableExercises = program.reportableExercises(in: library)
            self.library = library
            self.programID = program.id
            self.zone = zone
            self.now = now
            self.fieldPrefix = fieldPrefix
        }
    }

    /// One reason a field is wrong. `usage` is a malformed value (exit 64), `invalid` a
    /// well-formed one out of range (exit 65). Messages never quote the note.
    public struct Problem: Error, Sendable, Equatable {
        public enum Kind: Sendable, Equatable { case usage, invalid }
        public var kind: Kind
        /// The field: pain, when, exercise, at, flag or note.
        public var field: String
        public var message: String
    }

    /// A checked report, with the problems that were dropped because it carries a halting flag.
    public struct Accepted: Sendable, Equatable {
        public var report: PainReport
        /// Fields left out of a halting report, each with its reason.
        public var dropped: [Problem]
        /// The requested wall time when it fell in a daylight-saving gap (the report is
        /// recorded at the moved time).
        public var movedFrom: LocalDateTime?
    }

    public enum Outcome: Sendable, Equatable {
        case accepted(Accepted)
        case refused([Problem])
    }

    /// The known flags named, in order, once each.
    public var knownFlags: [RedFlag] {
        var seen: [RedFlag] = []
        for name in flags { if let f = RedFlag(rawValue: name), !seen.contains(f) { seen.append(f) } }
        return seen
    }

    /// True when a halting flag is named.
    public var halting: Bool { knownFlags.contains(where: \.halts) }

    /// Checks every field; all problems are collected, not just the first.
    public func check(_ rules: Rules) -> Outcome {
        let dash = rules.fieldPrefix
        var problems: [Problem] = []
        func fail(_ kind: Problem.Kind, _ field: String, _ message: String) { problems.append(Problem(kind: kind, field: field, message: message)) }
        let halting = self.halting

        for name in flags where RedFlag(rawValue: name) == nil {
            fail(.usage, "flag", "\(dash)flag \(name.prefix(40)) is not a flag name; use one of \(RedFlag.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let flagSet = knownFlags.sorted()

        var score: Int?
        if let pain {
            if let n = Int(pain.trimmingCharacters(in: .whitespaces)) {
                if (0...10).contains(n) { score = n } else {
                    fail(.invalid, "pain", "\(dash)pain \(n) is out of range; give a whole number from 0 (no pain) to 10 (worst)")
                }
            } else {
                fail(.usage, "pain", "\(dash)pain \(pain.prefix(20)) is not a whole number; give a score from 0 (no pain) to 10 (worst)")
            }
        } else if !halting {
            fail(.usage, "pain", "missing \(dash)pain\(dash.isEmpty ? "" : " N"): your pain from 0 (no pain) to 10 (worst)")
        }

        var timing: ReportTiming?
        if let when {
            timing = ReportTiming(rawValue: when)
            if timing == nil { fail(.usage, "when", "\(dash)when \(when.prefix(30)) is not one of during, after, next-morning") }
        } else if !halting {
            fail(.usage, "when", "missing \(dash)when\(dash.isEmpty ? ": during, after or next-morning" : " during|after|next-morning")")
        }

        var exerciseID: String?
        if let exercise {
            let allowed = rules.reportableExercises
            if allowed.contains(exercise) { exerciseID = exercise } else {
                let what = rules.library[exercise] == nil ? "is not an exercise in the library" :
                    "is not part of program \(rules.programID)"
                fail(.invalid, "exercise", "\(dash)exercise \(exercise.prefix(64)) \(what); use one of \(allowed.joined(separator: ", "))")
            }
        }

        var noteText = note
        if let note, note.count > Self.maxNoteLength {
            noteText = nil
            fail(.invalid, "note", "\(dash)note is longer than \(Self.maxNoteLength) characters; shorten it")
        }

        var at = LocalDateTime.at(rules.now, in: rules.zone)
        var movedFrom: LocalDateTime?
        if let text = self.at {
            switch Self.reportTime(text, rules: rules) {
            case .success(let time): (at, movedFrom) = time
            case .failure(let problem): problems.append(problem)
            }
        }

        if !problems.isEmpty && !halting { return .refused(problems) }
        let report = PainReport(at: at, pain: score, when: timing ?? .after, exercise: exerciseID,
                                flags: flagSet, note: noteText)
        return .accepted(Accepted(report: report, dropped: problems, movedFrom: movedFrom))
    }

    /// Reads a time `DATE` or `DATETHH:MM`, local to the zone. A time in a daylight-saving
    /// gap moves forward by the gap; more than ten minutes ahead of now is refused.
    public static func reportTime(_ text: String, rules: Rules, option: String? = nil)
        -> Result<(at: LocalDateTime, movedFrom: LocalDateTime?), Problem> {
        let option = option ?? "\(rules.fieldPrefix)at"
        let zone = rules.zone
        guard let requested = LocalDateTime(iso: text) else {
            let shaped = (text.utf8.count == 10 || text.utf8.count == 16) && LocalDateTime.looksLikeDate(text)
            if shaped {
                return .failure(Problem(kind: .invalid, field: "at", message: "\(option) \(text): no such date or time of day (hours 00-23, minutes 00-59)"))
            }
            return .failure(Problem(kind: .usage, field: "at", message: "\(option) \(text.prefix(30)): write the time as YYYY-MM-DD or YYYY-MM-DDTHH:MM, local to \(zone.identifier)"))
        }
        let instant = requested.resolved(in: zone)
        let ahead = instant.date.timeIntervalSince(rules.now)
        if ahead > 600 {
            return .failure(Problem(kind: .invalid, field: "at", message: "\(option) \(requested) is \(Int(ahead / 60)) minutes in the future (now is \(LocalDateTime.at(rules.now, in: zone)) in \(zone.identifier)); a report may be at most 10 minutes ahead"))
        }
        return .success((instant.local, instant.local == requested ? nil : requested))
    }

    /// Each named flag's advice, most urgent first, once each, as lines to show.
    public static func adviceLines(for flags: [RedFlag], program: Program?) -> [String] {
        var seen: Set<String> = []
        var lines: [String] = []
        for flag in Set(flags).sorted() {
            let advice = program?.advice(for: flag) ?? flag.defaultAdvice
            guard seen.insert(advice).inserted else { continue }
            lines.append((flag.halts ? "WARNING (\(flag.rawValue)): " : "Note (\(flag.rawValue)): ") + advice)
        }
        return lines
    }
}

extension Program {
    /// Library ids a report may name: each prescribed exercise of any stage, its variants,
    /// and the variants its rungs use.
    public func reportableExercises(in library: ExerciseLibrary) -> [String] {
        var ids: [String] = []
        func add(_ id: String) { if !ids.contains(id) { ids.append(id) } }
        for stage in stages {
            for p in stage.prescriptions {
                add(p.exercise)
                library[p.exercise]?.variants.forEach(add)
                p.ladder.rungs.compactMap(\.variant).forEach(add)
            }
        }
        return ids
    }
}
