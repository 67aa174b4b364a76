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
        let request: ClinicianAction.Request = stage.map { .stage($0) } ?? .exercise(exercise ?? "")
        let approval: Approval
        do {
            approval = try ClinicianAction.approve(request, by: name, at: time.at, for: context.subject)
        } catch {
            if case .log(let logError) = error { throw PatientContext.cliError(logError) }
            throw CLIError(.invalidInput, "rehab approve: error: \(error.message)")
        }
        let opened = approval.rung
        switch approval.target {
        case .exercise(let id):
            print("Approved for \(patientID): \(id) may rise to \(opened.map(ExplainCommand.dose) ?? "its next gated dose") once the reports show it is ready (approved by \(name) at \(time.at)).")
        case .stage(let id):
            print("Approved for \(patientID): stage \(id) may begin once its week and goal are reached (approved by \(name) at \(time.at)).")
        }
    }
}
