import ArgumentParser
import Foundation
import RehabFormat

/// `--format text|json` for validate, exercises and preview.
enum TextJSONFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json
}

/// `rehab validate FILE... [--format text|json]`: every problem of every file.
///
/// Exit codes: 0 when no file has an error (warnings - clinical sense, a patient without a
/// known emergency number - are printed but pass, unless
/// `--strict`); 65 when any file has an error, or a warning under `--strict` (a too-large or
/// non-UTF-8 file counts as an error); 74 when a file cannot be read at all (missing, a
/// folder, no permission) - the other files are still checked and reported.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check exercise library, program and patient files, reporting every problem.",
        discussion: """
            The kind of each file is told from its content; a file named *.painlog is read as a pain \
            log, line by line, and its damaged lines are named but never shown (they may hold notes). \
            A library named among the files is used to check the programs, and programs named among \
            them are used to check the patient files; otherwise the built-in ones are. Programs \
            also get clinical warnings ([clinical/RULE], docs/program-format.md); a prescription \
            keeps one with accept: [{rule, because}]. Exit 0 when no file has an error (warnings \
            pass unless --strict), 65 when any file has an error or, with --strict, a warning, \
            74 when a file cannot be read.
            """
    )

    @Argument(help: "YAML files (the exercise library, programs, patient files) and pain logs (*.painlog).")
    var files: [String] = []

    @Option(help: "Output format: text (diagnostics on stderr) or json (an array on stdout).")
    var format: TextJSONFormat = .text

    @Flag(help: "Refuse clinical warnings too (exit 65); info lines never fail.")
    var strict = false

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
        let errors = all.filter { $0.severity == .error }
        let warnings = all.filter { $0.severity == .warning }
        let infos = all.count - errors.count - warnings.count
        switch format {
        case .json:
            print(Diagnostic.renderJSON(all), terminator: "")
        case .text:
            if !all.isEmpty { printError(Diagnostic.renderText(all)) }
            let bad = perFile.filter { $0.contains { $0.severity == .error } }.count
            let fileCount = "\(files.count) file\(files.count == 1 ? "" : "s")"
            var notes: [String] = []
            if !warnings.isEmpty { notes.append("\(warnings.count) warning\(warnings.count == 1 ? "" : "s")") }
            if infos > 0 { notes.append("\(infos) note\(infos == 1 ? "" : "s")") }
            let tail = notes.isEmpty ? "" : " (" + notes.joined(separator: ", ") + ")"
            if all.isEmpty {
                print("\(fileCount) checked: no problems")
            } else if errors.isEmpty, strict, !warnings.isEmpty {
                printError("\(fileCount) checked: no problems" + tail + "; --strict refuses warnings")
            } else if errors.isEmpty {
                print("\(fileCount) checked: no problems" + tail)
            } else {
                printError("\(errors.count) problem\(errors.count == 1 ? "" : "s") in \(bad) of \(fileCount)" + tail)
            }
        }
        if unreadable { throw ExitCode(CLIError.Code.io.rawValue) }
        if !errors.isEmpty || (strict && !warnings.isEmpty) { throw ExitCode(CLIError.Code.invalidInput.rawValue) }
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
