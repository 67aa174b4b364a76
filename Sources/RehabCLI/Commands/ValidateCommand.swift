import ArgumentParser
import Foundation
import RehabFormat

/// `--format text|json` for validate, exercises and preview.
enum TextJSONFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json
}

/// `rehab validate FILE... [--format text|json]`: every problem of every file.
///
/// Exit codes: 0 when every file is clean; 65 when any file has a problem (a too-large or
/// non-UTF-8 file counts as a problem); 74 when a file cannot be read at all (missing, a
/// folder, no permission) - the other files are still checked and reported.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check exercise library, program and patient files, reporting every problem.",
        discussion: """
            The kind of each file is told from its content; a file named *.painlog is read as a pain \
            log, line by line, and its damaged lines are named but never shown (they may hold notes). \
            A library named among the files is used to check the programs, and programs named among \
            them are used to check the patient files; otherwise the built-in ones are. Exit 0 when \
            clean, 65 when any file has a problem, 74 when a file cannot be read.
            """
    )

    @Argument(help: "YAML files (the exercise library, programs, patient files) and pain logs (*.painlog).")
    var files: [String] = []

    @Option(help: "Output format: text (diagnostics on stderr) or json (an array on stdout).")
    var format: TextJSONFormat = .text

    func validate() throws {
        if files.isEmpty { throw ValidationError("Name at least one file to check, e.g. `rehab validate programs/*.yaml`.") }
    }

    func run() throws {
        var perFile: [[Diagnostic]] = Array(repeating: [], count: files.count)
        var readable: [(index: Int, file: String, text: String)] = []
        var unreadable = false
        for (i, file) in files.enumerated() {
            if file.hasSuffix(".painlog") {
                perFile[i] = Self.checkPainLog(file, unreadable: &unreadable)
                continue
            }
            do {
                readable.append((i, file, try SourceFile.read(path: file)))
            } catch {
                if case .unreadable = error { unreadable = true }
                perFile[i] = [error.diagnostic]
            }
        }
        let results = FileValidator.validate(readable.map { ($0.file, $0.text) }, fallback: try? Catalog.shipped())
        for (entry, diagnostics) in zip(readable, results) { perFile[entry.index] = diagnostics }
        let all = perFile.flatMap { $0 }
        switch format {
        case .json:
            print(Diagnostic.renderJSON(all), terminator: "")
        case .text:
            if !all.isEmpty { printError(Diagnostic.renderText(all)) }
            let bad = perFile.filter { !$0.isEmpty }.count
            if all.isEmpty {
                print("\(files.count) file\(files.count == 1 ? "" : "s") checked: no problems")
            } else {
                printError("\(all.count) problem\(all.count == 1 ? "" : "s") in \(bad) of \(files.count) "
                           + "file\(files.count == 1 ? "" : "s")")
            }
        }
        if unreadable { throw ExitCode(CLIError.Code.io.rawValue) }
        if !all.isEmpty { throw ExitCode(CLIError.Code.invalidInput.rawValue) }
    }

    /// A pain log's problems, read as `rehab plan` reads it (shared lock, size limit).
    static func checkPainLog(_ file: String, unreadable: inout Bool) -> [Diagnostic] {
        // A missing log reads as empty to the commands; named here, it must be there.
        if PrivateFile.identity(file) == nil {
            unreadable = true
            return [Diagnostic(file: file, line: 0, column: 0, category: "io", message: "cannot read the pain log: no such file; check the path")]
        }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: file, isDirectory: &isFolder), isFolder.boolValue {
            unreadable = true
            return [Diagnostic(file: file, line: 0, column: 0, category: "io", message: "cannot read the pain log: this is a folder, not a file")]
        }
        do {
            _ = try PainLogStore.read(from: URL(fileURLWithPath: file))
            return []
        } catch {
            if error.kind == .io { unreadable = true }
            return error.diagnostics(file: file)
        }
    }
}
