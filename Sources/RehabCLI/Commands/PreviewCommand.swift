import ArgumentParser
import Foundation
import RehabFormat
import RehabKit

/// `rehab preview PROGRAM --surgery-date D [--procedure P] [--format text|json]`: a program's
/// stages laid out on the calendar from a surgery date.
struct PreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Show a program's timeline from a surgery date: stages, sessions and doses from start to cap."
    )

    @Argument(help: "A built-in program id (e.g. lumbar-decompression) or a path to a program file.")
    var program: String

    @Option(help: "The date of the operation, YYYY-MM-DD.")
    var surgeryDate: String

    @Option(help: "Show the restrictions for this procedure only: discectomy, laminectomy or fusion.")
    var procedure: String?

    @Option(help: "Output format: text or json.")
    var format: TextJSONFormat = .text

    func run() throws {
        guard let date = LocalDate(iso: surgeryDate) else {
            // As for --as-of: a well-formed date that does not exist is invalid input (65),
            // anything else wrong usage (64).
            if surgeryDate.utf8.count == 10, LocalDateTime.looksLikeDate(surgeryDate) {
                throw CLIError(.invalidInput, "rehab preview: --surgery-date \(surgeryDate): no such date")
            }
            throw CLIError(.usage, "rehab preview: --surgery-date '\(surgeryDate.prefix(30))' is not a date; write YYYY-MM-DD, e.g. 2026-11-02")
        }
        var chosen: Procedure?
        if let procedure {
            guard let p = Procedure(rawValue: procedure) else {
                throw CLIError(.usage, "rehab preview: unknown --procedure '\(procedure)'; use "
                               + Procedure.allCases.map(\.rawValue).joined(separator: ", "))
            }
            chosen = p
        }
        let catalog = try Catalog.shippedForCLI()
        let resolved: Program
        do {
            resolved = try catalog.program(reference: program, relativeTo: FileManager.default.currentDirectoryPath)
        } catch {
            let diagnostics = error.diagnostics
            if !diagnostics.isEmpty { throw CLIError(.invalidInput, Diagnostic.renderText(diagnostics)) }
            if case .unreadable = error { throw CLIError(.io, "rehab preview: \(error.description)") }
            throw CLIError(.invalidInput, "rehab preview: \(error.description)")
        }
        if let chosen, !resolved.procedures.contains(chosen) {
            throw CLIError(.invalidInput, "rehab preview: program '\(resolved.id)' is written for "
                           + resolved.procedures.map(\.rawValue).joined(separator: ", ")
                           + ", not \(chosen.rawValue); pick a program for \(chosen.rawValue)")
        }
        let preview = ProgramPreview(program: resolved, library: catalog.library, surgeryDate: date, procedure: chosen)
        print(format == .json ? preview.json() : preview.text(), terminator: "")
    }
}
