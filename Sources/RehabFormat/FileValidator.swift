import RehabKit
import Yams

/// The kinds of YAML file rehab reads.
public enum FileKind: String, Sendable, CaseIterable {
    case library, program, patient, references
}

/// Checks files of any kind, telling the kind from the content: a top-level `exercises:`
/// makes a library, `stages:` a program, `program:` or `surgery_date:` a patient file.
public enum FileValidator {
    /// One file's text, composed and classified (or its syntax problems).
    public struct Parsed {
        public let file: String
        public let kind: FileKind?
        let root: Node?
        let text: String
        /// Problems found before the kind could be checked (syntax, unknown kind).
        public let diagnostics: [Diagnostic]
    }

    /// Parses `text` and tells its kind.
    public static func parse(text: String, file: String) -> Parsed {
        var c = Checker(file: file, text: text)
        guard let root = c.compose(text) else {
            return Parsed(file: file, kind: nil, root: nil, text: text, diagnostics: c.diagnostics)
        }
        guard let keys = c.peekKeys(root) else {
            c.error("file-kind", "the file must be a mapping of 'key: value' lines, found \(Checker.describe(root))",
                    at: root)
            return Parsed(file: file, kind: nil, root: nil, text: text, diagnostics: c.diagnostics)
        }
        let kind: FileKind
        if keys.contains("references") {
            kind = .references
        } else if keys.contains("exercises") {
            kind = .library
        } else if keys.contains("stages") {
            kind = .program
        } else if keys.contains("program") || keys.contains("surgery_date") {
            kind = .patient
        } else {
            c.error("file-kind", "cannot tell what kind of file this is: a library has 'exercises:', a program "
                    + "'stages:', a patient file 'program:' and 'surgery_date:'", at: root)
            return Parsed(file: file, kind: nil, root: nil, text: text, diagnostics: c.diagnostics)
        }
        return Parsed(file: file, kind: kind, root: root, text: text, diagnostics: [])
    }

    /// Every problem of a parsed library, and the library when there is none.
    public static func checkLibrary(_ parsed: Parsed) -> (ExerciseLibrary?, [Diagnostic]) {
        guard parsed.kind == .library, let root = parsed.root else { return (nil, parsed.diagnostics) }
        var c = Checker(file: parsed.file, text: parsed.text)
        let library = LibraryReader.parse(root, &c)
        return (c.hasErrors ? nil : library, c.diagnostics)
    }

    /// Every problem of a parsed program, and the program when there is none.
    public static func checkProgram(_ parsed: Parsed, library: ExerciseLibrary) -> (Program?, [Diagnostic]) {
        guard parsed.kind == .program, let root = parsed.root else { return (nil, parsed.diagnostics) }
        var c = Checker(file: parsed.file, text: parsed.text)
        let program = ProgramReader.parse(root, library: library, &c)
        return (c.hasErrors ? nil : program, c.diagnostics)
    }

    /// Every problem of a parsed reference list, and the list when there is none.
    public static func checkReferences(_ parsed: Parsed) -> (ReferenceList?, [Diagnostic]) {
        guard parsed.kind == .references, let root = parsed.root else { return (nil, parsed.diagnostics) }
        var c = Checker(file: parsed.file, text: parsed.text)
        let list = ReferencesReader.parse(root, &c)
        return (c.hasErrors ? nil : list, c.diagnostics)
    }

    /// The source-key errors of a parsed library or program (none without a reference list).
    static func checkSources(_ parsed: Parsed, references: ReferenceList?) -> [Diagnostic] {
        guard let references, let root = parsed.root else { return [] }
        return SourceKeys.check(root: root, references: references, file: parsed.file, text: parsed.text)
    }

    /// The clinical warnings of a valid program (`ClinicalLint`).
    public static func lintProgram(_ parsed: Parsed, program: Program, library: ExerciseLibrary) -> [Diagnostic] {
        guard let root = parsed.root else { return [] }
        return ClinicalLint.check(program: program, root: root, library: library, file: parsed.file, text: parsed.text)
    }

    /// Every problem of a parsed patient file.
    public static func checkPatient(_ parsed: Parsed, catalog: Catalog) -> [Diagnostic] {
        guard parsed.kind == .patient, let root = parsed.root else { return parsed.diagnostics }
        var c = Checker(file: parsed.file, text: parsed.text)
        _ = PatientReader.parse(root, catalog: catalog, &c)
        return c.diagnostics
    }

    /// Checks a set of files together: a reference list among them is used for every
    /// `sources:` entry, a library among them for the programs, and programs among them are
    /// known to the patient files (ahead of `fallback`'s). A valid program is also given its
    /// clinical warnings. Returns the diagnostics of each file in the order given.
    public static func validate(_ files: [(file: String, text: String)], fallback: Catalog?) -> [[Diagnostic]] {
        let parsed = files.map { parse(text: $0.text, file: $0.file) }
        var results = parsed.map(\.diagnostics)
        var references: ReferenceList?
        var referencesBroken = false
        for (i, p) in parsed.enumerated() where p.kind == .references {
            let (list, diagnostics) = checkReferences(p)
            results[i] = diagnostics
            if list == nil { referencesBroken = true }
            if references == nil { references = list }
        }
        // A broken reference list among the files checks no keys (its own errors say why).
        let refs = references ?? (referencesBroken ? nil : fallback?.references)
        var library: ExerciseLibrary?
        for (i, p) in parsed.enumerated() where p.kind == .library {
            let (lib, diagnostics) = checkLibrary(p)
            results[i] = diagnostics + checkSources(p, references: refs)
            if library == nil { library = lib }
        }
        let lib = library ?? fallback?.library ?? ExerciseLibrary(exercises: [])
        var programs: [Program] = []
        for (i, p) in parsed.enumerated() where p.kind == .program {
            let (program, diagnostics) = checkProgram(p, library: lib)
            let sourceErrors = checkSources(p, references: refs)
            results[i] = diagnostics + sourceErrors
            if let program {
                programs.append(program)
                results[i] += lintProgram(p, program: program, library: lib)
            }
        }
        let known = Set(programs.map(\.id))
        let catalog = Catalog(library: lib, programs: programs + (fallback?.programs ?? []).filter { !known.contains($0.id) })
        for (i, p) in parsed.enumerated() where p.kind == .patient {
            results[i] = checkPatient(p, catalog: catalog)
        }
        return results
    }
}
