import Foundation
import RehabKit

/// The exercise library and the programs a patient file may name: the shipped ones
/// (built into the binary), or a program file given by path.
///
/// ```swift
/// let catalog = try Catalog.shipped()
/// let program = try catalog.program(reference: "lumbar-decompression", relativeTo: nil)
/// ```
public struct Catalog: Sendable {
    public var library: ExerciseLibrary
    /// Programs known by id (the shipped ones, in file-name order).
    public var programs: [Program]

    public init(library: ExerciseLibrary, programs: [Program] = []) {
        self.library = library
        self.programs = programs
    }

    /// The library and programs built into this binary (see `ShippedPrograms`).
    public static func shipped() throws(CatalogError) -> Catalog { try cachedShipped.get() }

    private static let cachedShipped = Result<Catalog, CatalogError> { () throws(CatalogError) -> Catalog in
        try load(files: ShippedPrograms.files)
    }

    /// Builds a catalog from file texts keyed by file name: `exercises.yaml` is the library,
    /// every other file a program.
    public static func load(files: [String: String]) throws(CatalogError) -> Catalog {
        guard let libraryText = files[ShippedPrograms.libraryFile] else { throw .noLibrary }
        let library: ExerciseLibrary
        do {
            library = try LibraryReader.read(text: libraryText, file: "programs/\(ShippedPrograms.libraryFile)")
        } catch { throw .invalidShipped(error) }
        var programs: [Program] = []
        for name in files.keys.sorted() where name != ShippedPrograms.libraryFile {
            do {
                programs.append(try ProgramReader.read(text: files[name] ?? "", file: "programs/\(name)", library: library))
            } catch { throw .invalidShipped(error) }
        }
        return Catalog(library: library, programs: programs)
    }

    /// The program a reference names: a known program id, or else a path to a program file
    /// (relative paths resolve against `directory`, e.g. the patient file's folder).
    public func program(reference: String, relativeTo directory: String?) throws(CatalogError) -> Program {
        if let program = programs.first(where: { $0.id == reference }) { return program }
        let path = reference.hasPrefix("/") || directory == nil
            ? reference : ((directory ?? "") as NSString).appendingPathComponent(reference)
        let looksLikePath = reference.contains("/") || reference.hasSuffix(".yaml") || reference.hasSuffix(".yml")
        guard looksLikePath || FileManager.default.fileExists(atPath: path) else {
            throw .unknownProgram(reference, known: programs.map(\.id))
        }
        let text: String
        do { text = try SourceFile.read(path: path, file: reference) } catch {
            throw .unreadable(reference, error.diagnostic.message)
        }
        do { return try ProgramReader.read(text: text, file: path, library: library) } catch {
            throw .invalidProgram(reference, error)
        }
    }
}

/// Why a catalog or a program reference could not be used.
public enum CatalogError: Error, CustomStringConvertible, Sendable {
    /// The binary carries no exercise library (programs/ was empty when it was built).
    case noLibrary
    /// A built-in file does not validate (the binary was built from broken programs).
    case invalidShipped(DiagnosticsError)
    /// Neither a known program id nor an existing file.
    case unknownProgram(String, known: [String])
    /// The program file exists but cannot be read.
    case unreadable(String, String)
    /// The program file has problems.
    case invalidProgram(String, DiagnosticsError)

    public var description: String {
        switch self {
        case .noLibrary:
            return "this rehab has no exercise library built in; run `make embed` and build again"
        case .invalidShipped(let error):
            return "a built-in program file is invalid; run `rehab validate programs/*.yaml`, fix it, then `make embed`:\n"
                + error.description
        case let .unknownProgram(reference, known):
            let list = known.isEmpty ? "none are built in" : "known programs: " + known.joined(separator: ", ")
            return "no program '\(Checker.clip(reference))'." + Suggest.didYouMeanSentence(reference, among: known)
                + " Use a program id or a path to a program file (\(list))."
        case let .unreadable(reference, reason):
            return "cannot read program file '\(Checker.clip(reference))': \(reason)"
        case let .invalidProgram(reference, error):
            let n = error.diagnostics.count
            return "program file '\(Checker.clip(reference))' has \(n) problem\(n == 1 ? "" : "s"); "
                + "run `rehab validate \(reference)`"
        }
    }

    /// The program file's own diagnostics, when that is the problem.
    public var diagnostics: [Diagnostic] {
        switch self {
        case .invalidShipped(let e), .invalidProgram(_, let e): e.diagnostics
        default: []
        }
    }
}

extension ShippedPrograms {
    /// The library's file name among `files`.
    public static let libraryFile = "exercises.yaml"
}
