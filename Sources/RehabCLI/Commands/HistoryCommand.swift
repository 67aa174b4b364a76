import ArgumentParser
import Foundation
import RehabFormat
import RehabKit

/// `rehab history PATIENT [--format text|json]`: every report and resume ever logged,
/// in time order.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show every pain report and resume in the patient's pain log."
    )

    @Argument(help: "The patient file (YAML).") var patient: String
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(help: "text or json.") var format: Format = .text

    func run() throws {
        let context = try PatientContext.load(patient)
        let log = try context.readLog()
        switch format {
        case .json:
            print(HistoryJSON.encode(patient: context.patient.id, log: log, zone: context.zone), terminator: "")
        case .text:
            print(Self.text(log: log, context: context), terminator: "")
        }
    }

    static func text(log: PainLog, context: PatientContext) -> String {
        var out = "Pain log of \(context.patient.id) (times in \(context.zone.identifier))\n"
        guard !log.entries.isEmpty else { return out + "No reports yet. Record one with `rehab log`.\n" }
        out += "\n"
        for entry in log.chronological {
            switch entry {
            case .report(let r):
                var line = "\(r.at)  " + r.when.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)
                line += r.pain.map { ($0 < 10 ? " " : "") + "\($0)/10" } ?? "  -  "
                line += "  " + (r.exercise.map { context.library[$0]?.name ?? $0 } ?? "all exercises")
                if !r.flags.isEmpty { line += "  [" + r.flags.map(\.rawValue).joined(separator: ", ") + "]" }
                if let note = r.note, !note.isEmpty { line += "  \"" + oneLine(note) + "\"" }
                out += line + "\n"
            case .resume(let r):
                out += "\(r.at)  resumed, cleared by \(oneLine(r.clearedBy))\n"
            case .approval(let a):
                let what: String
                switch a.target {
                case .exercise(let id):
                    what = (context.library[id]?.name ?? id) + (a.rung.map { " up to \(ExplainCommand.dose($0))" } ?? "")
                case .stage(let id): what = "stage \(id)"
                }
                out += "\(a.at)  approved \(what), by \(oneLine(a.by))\n"
            }
        }
        let reports = log.reports.count
        let approvals = log.approvals.count
        out += "\n\(reports) report\(reports == 1 ? "" : "s"), \(log.resumes.count) resume\(log.resumes.count == 1 ? "" : "s")"
            + (approvals == 0 ? "" : ", \(approvals) approval\(approvals == 1 ? "" : "s")") + ".\n"
        return out
    }

    /// Text on one line: line breaks and tabs become spaces.
    static func oneLine(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) })
    }
}
