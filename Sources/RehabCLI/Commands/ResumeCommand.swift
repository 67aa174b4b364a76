import ArgumentParser
import Foundation
import RehabFormat
import RehabKit

/// `rehab resume PATIENT --cleared-by NAME [--at DATE[THH:MM]]`: records a clinician's
/// clearance that restarts a plan stopped by a red flag. Refused when the plan is not
/// stopped at that time.
struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "The clinician's command: restart a plan stopped by a warning sign, once the patient is cleared."
    )

    @Argument(help: "The patient file (YAML).") var patient: String
    @Option(name: .customLong("cleared-by"), help: "Who cleared the patient (name of the clinician).") var clearedBy: String
    @Option(help: "Local time DATE or DATETHH:MM in the patient's zone; default now.") var at: String?

    static let maxNameLength = 200

    func run() throws {
        let context = try PatientContext.load(patient)
        let name = clearedBy.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else {
            throw CLIError(.invalidInput, "rehab resume: error: --cleared-by is empty; give the name of the clinician who cleared the patient")
        }
        guard name.count <= Self.maxNameLength, !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw CLIError(.invalidInput, "rehab resume: error: --cleared-by must be one line of at most \(Self.maxNameLength) characters")
        }
        let time: PatientContext.ReportTime
        do { time = try context.reportTime(at) } catch let error as CLIError {
            throw CLIError(error.code, "rehab resume: error: \(error.message)")
        }
        let patientID = context.patient.id
        do {
            try ClinicianAction.resume(by: name, at: time.at, for: context.subject)
        } catch {
            if case .log(let logError) = error { throw PatientContext.cliError(logError) }
            throw CLIError(.invalidInput, "rehab resume: error: \(error.message)")
        }
        if let moved = time.movedFrom {
            print("\(moved.time) does not exist on \(moved.date) in \(context.zone.identifier) (the clocks went forward); recorded at \(time.at.time).")
        }
        print("Resumed \(patientID) at \(time.at), cleared by \(name). Exercises restart at their stage's starting doses or lower.")
    }
}
