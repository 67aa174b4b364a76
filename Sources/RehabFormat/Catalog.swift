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
    /// The reference list `sources:` keys resolve against; nil when there is none (then
    /// `rehab validate` does not check the keys).
    public var references: ReferenceList?
    /// Programs known by id (the shipped ones, in file-name order). For the shipped catalog
    /// this parses every built-in program not parsed yet, and leaves out any that is invalid
    /// (`program(reference:relativeTo:)` reports those).
    public var programs: [Program] {
        get { shipped?.all() ?? listed }
        set { listed = newValue; shipped = nil }
    }
    private var listed: [Program]
    /// The built-in programs, parsed one by one as they are named (nil for a catalog built
    /// from a list).
    private var shipped: ShippedStore?
    /// Program files read by path, kept by file identity (shared by copies of this catalog).
    private let programFiles = ProgramFileStore()

    public init(library: ExerciseLibrary, programs: [Program] = []) {
        self.library = library
        self.listed = programs
        self.shipped = nil
    }

    /// How many times a program file has been parsed through this catalog (for tests and
    /// benchmarks: a batch over many patients naming one program file parses it once).
    public var programFileParses: Int { programFiles.parses }

    /// The library and programs built into this binary (see `ShippedPrograms`).
    ///
    /// Only the library is parsed here; each built-in program is parsed the first time it is
    /// named and then kept for the life of the process (a `rehab plan` needs one of them).
    public static func shipped() throws(CatalogError) -> Catalog { try cachedShipped.get() }

    private static let cachedShipped = Result<Catalog, CatalogError> { () throws(CatalogError) -> Catalog in
        try loadLazily(files: ShippedPrograms.files)
    }

    /// Like `load(files:)`, but only the library is parsed now; each program is parsed when
    /// first named, and a broken one throws its diagnostics then.
    static func loadLazily(files: [String: String]) throws(CatalogError) -> Catalog {
        let library = try readLibrary(files: files)
        var catalog = Catalog(library: library)
        catalog.references = try readReferences(files: files)
        catalog.shipped = ShippedStore(files: files, library: library)
        return catalog
    }

    /// Builds a catalog from file texts keyed by file name: `exercises.yaml` is the library,
    /// every other file a program. Every file is parsed now.
    public static func load(files: [String: String]) throws(CatalogError) -> Catalog {
        let library = try readLibrary(files: files)
        var programs: [Program] = []
        for name in files.keys.sorted() where !ShippedPrograms.notPrograms.contains(name) {
            do {
                programs.append(try ProgramReader.read(text: files[name] ?? "", file: "programs/\(name)", library: library))
            } catch { throw .invalidShipped(error) }
        }
        var catalog = Catalog(library: library, programs: programs)
        catalog.references = try readReferences(files: files)
        return catalog
    }

    private static func readReferences(files: [String: String]) throws(CatalogError) -> ReferenceList? {
        guard let text = files[ReferencesReader.fileName] else { return nil }
        do {
            return try ReferencesReader.read(text: text, file: "programs/\(ReferencesReader.fileName)")
        } catch { throw .invalidShipped(error) }
    }

    private static func readLibrary(files: [String: String]) throws(CatalogError) -> ExerciseLibrary {
        guard let libraryText = files[ShippedPrograms.libraryFile] else { throw .noLibrary }
        do {
            return try LibraryReader.read(text: libraryText, file: "programs/\(ShippedPrograms.libraryFile)")
        } catch { throw .invalidShipped(error) }
    }

    /// A program known by id; nil when there is none.
    private func known(_ id: String) throws(CatalogError) -> Program? {
        if let shipped { return try shipped.program(id: id) }
        return listed.first(where: { $0.id == id })
    }

    /// The program a reference names: a known program id, or else a path to a program file
    /// (relative paths resolve against `directory`, e.g. the patient file's folder).
    public func program(reference: String, relativeTo directory: String?) throws(CatalogError) -> Program {
        if let program = try known(reference) { return program }
        let path = reference.hasPrefix("/") || directory == nil
            ? reference : ((directory ?? "") as NSString).appendingPathComponent(reference)
        let looksLikePath = reference.contains("/") || reference.hasSuffix(".yaml") || reference.hasSuffix(".yml")
        guard looksLikePath || FileManager.default.fileExists(atPath: path) else {
            throw .unknownProgram(reference, known: programs.map(\.id))
        }
        // A file unchanged (same device, inode, size and time) for more than two seconds is
        // the one parsed before: one lstat, no read. A younger one is read again, and parsed
        // again only when its bytes differ.
        if let identity = PrivateFile.identity(path), identity.isSettled(), let program = programFiles.program(identity) {
            return program
        }
        // One reader at a time past a miss, so the workers of a batch that all start with the
        // same program file read and parse it once between them.
        programFiles.reading.lock()
        defer { programFiles.reading.unlock() }
        if let identity = PrivateFile.identity(path), identity.isSettled(), let program = programFiles.program(identity) {
            return program
        }
        let read: (text: String, identity: PrivateFile.Identity)
        do { read = try SourceFile.readIdentified(path: path, file: reference) } catch {
            throw .unreadable(reference, error.diagnostic.message)
        }
        if let program = programFiles.program(read.identity, text: read.text) { return program }
        let program: Program
        do { program = try ProgramReader.read(text: read.text, file: path, library: library) } catch {
            throw .invalidProgram(reference, error)
        }
        programFiles.keep(program, identity: read.identity, text: read.text)
        return program
    }
}

/// Program files read by path, by file identity, with their text. Shared by the threads of
/// a batch and the requests of `rehab serve`.
private final class ProgramFileStore: @unchecked Sendable {
    private let lock = NSLock()
    /// Held while a program file missed by the cache is read and parsed.
    let reading = NSLock()
    private var entries: [PrivateFile.Identity: (text: String, program: Program)] = [:]
    private var parseCount = 0

    var parses: Int { lock.withLock { parseCount } }

    /// The program kept for `identity`; with `text`, only when the text is the same too.
    func program(_ identity: PrivateFile.Identity, text: String? = nil) -> Program? {
        lock.withLock {
            guard let entry = entries[identity] else { return nil }
            if let text, text != entry.text { return nil }
            return entry.program
        }
    }

    func keep(_ program: Program, identity: PrivateFile.Identity, text: String) {
        lock.withLock {
            parseCount += 1
            if entries.count >= 1_000 { entries.removeAll() }
            entries[identity] = (text, program)
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
    /// The shipped files that are not programs: the library and the reference list.
    public static let notPrograms: Set<String> = [libraryFile, ReferencesReader.fileName]
}

/// The built-in program files of one catalog, each parsed once, when first needed, and kept.
/// Shared by the threads of a batch (a lock guards the parsed programs).
private final class ShippedStore: @unchecked Sendable {
    let files: [String: String]
    let library: ExerciseLibrary
    /// Program file names in order (the library left out).
    let names: [String]
    private let lock = NSLock()
    private var parsed: [String: Result<Program, DiagnosticsError>] = [:]

    init(files: [String: String], library: ExerciseLibrary) {
        self.files = files
        self.library = library
        self.names = files.keys.sorted().filter { !ShippedPrograms.notPrograms.contains($0) }
    }

    /// The program with this id. Programs are named after their file (`ID.yaml`), so that
    /// file is tried first; otherwise every file is parsed. A broken built-in file that
    /// could be the one asked for throws its diagnostics.
    func program(id: String) throws(CatalogError) -> Program? {
        let guess = id + ".yaml"
        if !ShippedPrograms.notPrograms.contains(guess), files[guess] != nil {
            switch result(guess) {
            case .success(let program) where program.id == id: return program
            case .success: break
            case .failure(let error): throw .invalidShipped(error)
            }
        }
        var found: Program?
        for name in names {
            switch result(name) {
            case .success(let program): if found == nil, program.id == id { found = program }
            case .failure(let error): throw .invalidShipped(error)
            }
        }
        return found
    }

    /// Every valid program, in file-name order.
    func all() -> [Program] {
        names.compactMap { try? result($0).get() }
    }

    private func result(_ name: String) -> Result<Program, DiagnosticsError> {
        lock.lock()
        defer { lock.unlock() }
        if let done = parsed[name] { return done }
        let text = files[name] ?? ""
        let file = "programs/\(name)"
        let library = library
        let outcome = Result<Program, DiagnosticsError> { () throws(DiagnosticsError) -> Program in
            try ProgramReader.read(text: text, file: file, library: library)
        }
        parsed[name] = outcome
        return outcome
    }
}
