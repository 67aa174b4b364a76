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

    static let maxNoteLength = ReportDraft.maxNoteLength

    var draft: ReportDraft {
        ReportDraft(pain: pain, when: when, exercise: exercise, at: at, flags: flags, note: note)
    }

    func run() throws {
        let draft = self.draft
        let known = draft.knownFlags
        var program: Program?
        do {
            let context = try PatientContext.load(patient)
            program = context.program
            try record(draft, in: context)
        } catch {
            // Any command naming a halting flag prints its advice, even when it fails.
            if draft.halting { ReportDraft.adviceLines(for: known, program: program).forEach { print($0) } }
            throw error
        }
        ReportDraft.adviceLines(for: known, program: program).forEach { print($0) }
    }

    private func record(_ draft: ReportDraft, in context: PatientContext) throws {
        let rules = ReportDraft.Rules(program: context.program, library: context.library, zone: context.zone,
                                      now: try Clock.now())
        let accepted: ReportDraft.Accepted
        switch draft.check(rules) {
        case .refused(let problems):
            let code: CLIError.Code = problems.contains { $0.kind == .usage } ? .usage : .invalidInput
            throw CLIError(code, problems.map { "rehab log: error: \($0.message)" }.joined(separator: "\n"))
        case .accepted(let a):
            accepted = a
        }
        for problem in accepted.dropped {
            printError("rehab log: warning: \(problem.message); left out of this report, the warning sign is still recorded")
        }

        let report = accepted.report
        var wasHalted = false
        // A warning sign is saved even when earlier lines of the log are damaged: lost, it
        // could not stop the plan once the log is repaired.
        let damage = try context.append(.report(report), keepingDamage: report.flags.contains(where: \.halts)) {
            (log: PainLog) throws(PainLogError) in
            wasHalted = log.isHalted(at: report.at)
        }

        if let moved = accepted.movedFrom {
            print("\(moved.time) does not exist on \(moved.date) in \(context.zone.identifier) (the clocks went forward); recorded at \(report.at.time).")
        }
        var parts = ["\(report.at)", report.when.rawValue]
        if let score = report.pain { parts.append("pain \(score)/10") }
        if let exerciseID = report.exercise { parts.append(context.library[exerciseID]?.name ?? exerciseID) }
        if !report.flags.isEmpty { parts.append("flags: " + report.flags.map(\.rawValue).joined(separator: ", ")) }
        print("Logged for \(context.patient.id): " + parts.joined(separator: ", ") + ".")
        if let damage {
            printError(damage.description)
            printError("rehab log: warning: the pain log has damaged lines (above). Your warning sign is saved after them, "
                       + "but no plan or calendar can be made until they are repaired.")
        }
        if wasHalted {
            print("The plan is stopped by an earlier warning sign: this report is kept, but exercises restart only after a clinician clears you (`rehab resume`).")
        }
    }
}
