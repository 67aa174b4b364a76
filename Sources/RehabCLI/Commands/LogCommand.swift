import ArgumentParser
import Foundation
import RehabFormat
import RehabKit

/// `rehab log PATIENT --pain N --when during|after|next-morning [--exercise ID]
/// [--at DATE[THH:MM]] [--flag NAME]... [--note TEXT]`: appends one pain report.
///
/// Options are read as text and checked here, so that a report with a halting flag is
/// never refused because of another field: such a field is dropped with a warning.
struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Record a pain score (and any warning signs) in the patient's pain log.",
        discussion: """
        Flags that stop the plan: \(RedFlag.allCases.filter(\.halts).map(\.rawValue).joined(separator: ", ")). \
        Not stopping: spreading (pain moving further down the leg). A report with a stopping flag may leave out --pain.
        """
    )

    @Argument(help: "The patient file (YAML).") var patient: String
    @Option(parsing: .unconditional, help: "Pain from 0 (none) to 10 (worst).") var pain: String?
    @Option(help: "during, after or next-morning.") var when: String?
    @Option(help: "The exercise the score is about (a library id); leave out for all of the day's.") var exercise: String?
    @Option(help: "Local time DATE or DATETHH:MM in the patient's zone; default now.") var at: String?
    @Option(name: .customLong("flag"), help: "A warning sign (repeat for more).") var flags: [String] = []
    @Option(parsing: .unconditional, help: "A short note, kept in the log.") var note: String?

    static let maxNoteLength = 2_000

    func run() throws {
        let known = flags.compactMap { RedFlag(rawValue: $0) }
        let halting = known.contains(where: \.halts)
        var program: Program?
        do {
            let context = try PatientContext.load(patient)
            program = context.program
            try record(in: context, halting: halting)
        } catch {
            // Any command naming a halting flag prints its advice, even when it fails.
            if halting { advice(for: known, program: program).forEach { print($0) } }
            throw error
        }
        advice(for: known, program: program).forEach { print($0) }
    }

    private func record(in context: PatientContext, halting: Bool) throws {
        var problems: [(CLIError.Code, String)] = []
        var flagSet: [RedFlag] = []
        for name in flags {
            if let flag = RedFlag(rawValue: name) {
                if !flagSet.contains(flag) { flagSet.append(flag) }
            } else {
                problems.append((.usage, "--flag \(name.prefix(40)) is not a flag name; use one of \(RedFlag.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
        }
        flagSet.sort()

        var score: Int?
        if let pain {
            if let n = Int(pain.trimmingCharacters(in: .whitespaces)) {
                if (0...10).contains(n) { score = n } else {
                    problems.append((.invalidInput, "--pain \(n) is out of range; give a whole number from 0 (no pain) to 10 (worst)"))
                }
            } else {
                problems.append((.usage, "--pain \(pain.prefix(20)) is not a whole number; give a score from 0 (no pain) to 10 (worst)"))
            }
        } else if !halting {
            problems.append((.usage, "missing --pain N: your pain from 0 (no pain) to 10 (worst)"))
        }

        var timing: ReportTiming?
        if let when {
            timing = ReportTiming(rawValue: when)
            if timing == nil {
                problems.append((.usage, "--when \(when.prefix(30)) is not one of during, after, next-morning"))
            }
        } else if !halting {
            problems.append((.usage, "missing --when during|after|next-morning"))
        }

        var exerciseID: String?
        if let exercise {
            let allowed = context.reportableExercises
            if allowed.contains(exercise) { exerciseID = exercise } else {
                let what = context.library[exercise] == nil ? "is not an exercise in the library" :
                    "is not part of program \(context.program.id)"
                problems.append((.invalidInput, "--exercise \(exercise.prefix(64)) \(what); use one of \(allowed.joined(separator: ", "))"))
            }
        }

        var noteText = note
        if let note, note.count > Self.maxNoteLength {
            noteText = nil
            problems.append((.invalidInput, "--note is longer than \(Self.maxNoteLength) characters; shorten it"))
        }

        var time: PatientContext.ReportTime?
        do {
            time = try context.reportTime(at)
        } catch let error as CLIError where at != nil {
            problems.append((error.code, error.message))
        }

        if !problems.isEmpty {
            guard halting else {
                let code: CLIError.Code = problems.contains { $0.0 == .usage } ? .usage : .invalidInput
                throw CLIError(code, problems.map { "rehab log: error: \($0.1)" }.joined(separator: "\n"))
            }
            for problem in problems {
                printError("rehab log: warning: \(problem.1); left out of this report, the warning sign is still recorded")
            }
        }

        let reportTime = try time ?? context.reportTime(nil)
        let report = PainReport(at: reportTime.at, pain: score, when: timing ?? .after, exercise: exerciseID,
                                flags: flagSet, note: noteText)
        var wasHalted = false
        try context.append(.report(report)) { (log: PainLog) throws(PainLogError) in
            wasHalted = log.isHalted(at: report.at)
        }

        if let moved = reportTime.movedFrom {
            print("\(moved.time) does not exist on \(moved.date) in \(context.zone.identifier) (the clocks went forward); recorded at \(reportTime.at.time).")
        }
        var parts = ["\(report.at)", report.when.rawValue]
        if let score { parts.append("pain \(score)/10") }
        if let exerciseID { parts.append(context.library[exerciseID]?.name ?? exerciseID) }
        if !flagSet.isEmpty { parts.append("flags: " + flagSet.map(\.rawValue).joined(separator: ", ")) }
        print("Logged for \(context.patient.id): " + parts.joined(separator: ", ") + ".")
        if wasHalted {
            print("The plan is stopped by an earlier warning sign: this report is kept, but exercises restart only after a clinician clears you (`rehab resume`).")
        }
    }

    /// Each named flag's advice, most urgent first, once each.
    private func advice(for flags: [RedFlag], program: Program?) -> [String] {
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
