import ArgumentParser
import Foundation
import RehabFormat
import RehabKit

/// `rehab approve PATIENT (--exercise ID | --stage ID) --by NAME [--at DATE[THH:MM]]`: a
/// clinician's approval, appended to the pain log. For an exercise it opens the next gated
/// rung above the current dose (recorded in the entry); for a stage, that stage's gate.
/// Refused (65) when no gated rung lies above, or the stage has no gate. An approval is not
/// a step: the dose still rises only on the evidence that follows it.
struct ApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "The clinician's command: approve the next gated dose of an exercise, or a gated stage.",
        discussion: "For clinicians only. An approval opens the next dose that needs approval (or the stage); the dose still rises only after the patient's reports show it is ready. It lapses with a flare, a warning sign or a stage change."
    )

    @Argument(help: "The patient file (YAML).") var patient: String
    @Option(help: "The exercise whose next gated dose is approved.") var exercise: String?
    @Option(help: "The gated stage that is approved.") var stage: String?
    @Option(help: "Who approves (name of the clinician).") var by: String
    @Option(help: "Local time DATE or DATETHH:MM in the patient's zone; default now.") var at: String?

    func validate() throws {
        guard (exercise == nil) != (stage == nil) else {
            throw ValidationError("give exactly one of --exercise ID and --stage ID")
        }
    }

    func run() throws {
        let context = try PatientContext.load(patient)
        let name = by.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= ResumeCommand.maxNameLength,
              !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw CLIError(.invalidInput, "rehab approve: error: --by must be the clinician's name, one line of at most \(ResumeCommand.maxNameLength) characters")
        }
        let time: PatientContext.ReportTime
        do { time = try context.reportTime(at) } catch let error as CLIError {
            throw CLIError(error.code, "rehab approve: error: \(error.message)")
        }
        let patientID = context.patient.id
        let target: Approval.Target
        if let stage {
            guard let s = context.program.stage(id: stage) else {
                throw CLIError(.invalidInput, "rehab approve: error: program \(context.program.id) has no stage '\(stage.prefix(64))'; its stages are \(context.program.stages.map(\.id).joined(separator: ", "))")
            }
            guard s.approval else {
                throw CLIError(.invalidInput, "rehab approve: error: stage \(s.id) needs no approval (it has no gate)")
            }
            target = .stage(s.id)
        } else {
            let id = exercise ?? ""
            guard context.library[id] != nil else {
                throw CLIError(.invalidInput, "rehab approve: error: unknown exercise '\(id.prefix(64))'; see `rehab exercises`")
            }
            target = .exercise(context.library.familyID(of: id) ?? id)
        }
        // The rung is worked out from the log as read, and checked again against the log
        // as it stands when the entry is appended (another writer may have come between).
        func rung(_ log: PainLog) -> Dose? {
            guard case .exercise(let id) = target else { return nil }
            let request = PlanRequest(program: context.program, library: context.library, patient: context.patient,
                                      zone: context.zone, log: log.entries, asOf: time.at.date, days: 1)
            return Planner.approvalTarget(request, exercise: id)
        }
        let opened = rung(try context.readLog())
        if case .exercise(let id) = target, opened == nil {
            throw CLIError(.invalidInput, "rehab approve: error: \(patientID)'s \(id) has no dose needing approval above its current one on \(time.at.date) (not in the current stage, or no gated step above)")
        }
        try context.append(.approval(Approval(at: time.at, by: name, target: target, rung: opened))) { (log: PainLog) throws(PainLogError) in
            guard rung(log) == opened else {
                throw PainLogError(.refused, file: context.logURL.path,
                                   message: "\(patientID)'s log changed while approving; run the command again")
            }
        }
        switch target {
        case .exercise(let id):
            print("Approved for \(patientID): \(id) may rise to \(opened.map(ExplainCommand.dose) ?? "its next gated dose") once the reports show it is ready (approved by \(name) at \(time.at)).")
        case .stage(let id):
            print("Approved for \(patientID): stage \(id) may begin once its week and goal are reached (approved by \(name) at \(time.at)).")
        }
    }
}
