import ArgumentParser
import Foundation
import RehabFormat
import RehabKit
import RehabPages
import RehabServer

/// `rehab alerts DIR [--as-of DATE] [--format text|json]`: every patient under DIR with an
/// alert, most urgent first (the alerts: docs/json.md). A patient file that cannot be planned is
/// listed as failed (and as halted when a readable log line after the last clearance has a
/// halting flag), never skipped.
struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "List the patients under a folder who need a clinician's attention, most urgent first."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "A folder of patient files (searched recursively).") var folder: String
    @Option(name: .customLong("as-of"), help: "YYYY-MM-DD; default each patient's own today.") var asOf: String?
    @Option(help: "text or json.") var format: Format = .text

    func run() throws {
        let fixed: LocalDate?
        if let asOf {
            guard let d = LocalDate(iso: asOf) else {
                throw CLIError(.usage, "rehab alerts: error: --as-of \(asOf.prefix(30)): write the date as YYYY-MM-DD")
            }
            fixed = d
        } else {
            fixed = nil
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) else {
            throw CLIError(.io, "\(folder): error: [io] no such folder; check the path")
        }
        guard isFolder.boolValue else {
            throw CLIError(.invalidInput, "\(folder): error: [input] this is a file; `rehab alerts` takes a folder of patient files")
        }
        let now = try Clock.now()
        let rows = AlertsDocument.rows(CaseloadStore(folder: URL(fileURLWithPath: folder)).summaries(now: now, asOf: fixed))
        switch format {
        case .json: print(AlertsDocument.json(rows, asOf: fixed), terminator: "")
        case .text: print(Self.text(rows, asOf: fixed), terminator: "")
        }
    }

    static func text(_ rows: [PatientSummary], asOf: LocalDate?) -> String {
        guard !rows.isEmpty else { return "No alerts.\n" }
        var out = ""
        for row in rows {
            out += "\(row.id)  \(row.status)" + (row.stage.map { ", stage \($0)" } ?? "") + "  (\(row.relativePath))\n"
            if row.isFailed { out += "  failed: " + (row.problem ?? "the patient's files cannot be planned") + "\n" }
            for a in row.alerts {
                out += "  \(a.kind.rawValue) since \(a.since)" + (a.exercise.map { " [\($0)]" } ?? "") + ": \(a.text)\n"
            }
        }
        return out
    }
}
