import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import RehabFormat
import RehabKit

/// The linked patients of a folder: each `NAME.token` beside `NAME.yaml` (or `.yml`).
///
/// The folder's listing is kept while the folder's stamp (mtime, size, inode) stays the
/// same, so `rehab link --rotate` (which renames a new token file into place) takes effect
/// on the next request. Token files are read by content, through `PrivateFile` (no link,
/// no pipe), and kept by their own stat: the file a token matches is checked again on
/// every request, so emptying or deleting it revokes the link at once; every token file
/// is checked again at least once a second, so a token written in place is found. A file
/// changed in the last two seconds is always read again. Two links holding the same token
/// are both refused (neither patient is served) and the server's log says so, by the
/// files' inode numbers. A token is compared with every stored token in constant time.
public struct PatientDirectory: Sendable {
    public var folder: URL
    private let cache: TokenCache

    public init(folder: URL, logger: Logger? = nil) {
        self.folder = folder
        cache = TokenCache(logger: logger)
    }

    /// Sends the directory's own warnings (links sharing a token) to `logger` from now on.
    public func log(to logger: Logger) { cache.log(to: logger) }

    /// The patient file whose token equals `token`, or nil.
    public func patientFile(forToken token: String) -> URL? {
        guard PatientLink.isWellFormed(token) else { return nil }
        return cache.patientFile(forToken: token, folder: folder)
    }
}

/// The folder's token files, their tokens and stats.
private final class TokenCache: @unchecked Sendable {
    /// One token file and the patient files beside it.
    struct Link {
        var tokenPath: String
        var patients: [URL]
        var identity: PrivateFile.Identity?
        var token: String?
    }

    private let lock = NSLock()
    private var logger: Logger?
    private var stamp: FileStamp?
    private var links: [Link] = []
    private var checked = Date.distantPast
    private var reportedDuplicates: Set<String> = []

    init(logger: Logger?) { self.logger = logger }

    func log(to logger: Logger) {
        lock.withLock {
            self.logger = logger
            reportedDuplicates = []
        }
    }

    func patientFile(forToken token: String, folder: URL) -> URL? {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        let folderStamp = FileStamp.read(folder.path)
        if folderStamp == nil || !(folderStamp?.isSettled ?? false) || folderStamp != stamp {
            links = Self.list(folder, keeping: links)
            stamp = folderStamp
            checked = .distantPast
        }
        if now.timeIntervalSince(checked) >= 1 || now < checked {
            for i in links.indices { Self.refresh(&links[i]) }
            checked = now
            reportDuplicates()
        }
        var found: [Int] = []
        for (i, link) in links.enumerated() {
            // No early exit: every stored token is compared.
            if let stored = link.token, PatientLink.constantTimeEqual(stored, token) { found.append(i) }
        }
        guard found.count == 1, let i = found.first else { return nil }
        // The file this token came from, checked again now: emptied, replaced or gone, it
        // no longer opens the link.
        Self.refresh(&links[i])
        guard let stored = links[i].token, PatientLink.constantTimeEqual(stored, token),
              !links.indices.contains(where: { $0 != i && links[$0].token == stored }),
              links[i].patients.count == 1 else { return nil }
        return links[i].patients[0]
    }

    /// The folder's token files with a patient file beside them, in name order; tokens of
    /// unchanged files are kept from `old`.
    private static func list(_ folder: URL, keeping old: [Link]) -> [Link] {
        let known = Dictionary(old.map { ($0.tokenPath, $0) }, uniquingKeysWith: { a, _ in a })
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var result: [Link] = []
        for name in names.sorted() where name.hasSuffix(".token") && !name.hasPrefix(".") {
            let base = folder.appendingPathComponent(String(name.dropLast(".token".count)))
            let patients = ["yaml", "yml"].map { base.appendingPathExtension($0) }
                .filter { FileManager.default.fileExists(atPath: $0.path) }
            guard !patients.isEmpty else { continue }
            let path = folder.appendingPathComponent(name).path
            var link = known[path] ?? Link(tokenPath: path, patients: patients)
            link.patients = patients
            result.append(link)
        }
        return result
    }

    /// Reads the token file again when its stat changed or it changed too recently to tell.
    private static func refresh(_ link: inout Link) {
        let now = PrivateFile.identity(link.tokenPath)
        if let now, now == link.identity, now.isSettled() { return }
        guard now != nil, let read = PatientLink.readIdentified(link.tokenPath) else {
            link.identity = nil
            link.token = nil
            return
        }
        link.identity = read.identity
        link.token = read.token
    }

    /// Logs each set of token files that hold one token (or one token file beside two
    /// patient files), once, by inode number.
    private func reportDuplicates() {
        var byToken: [String: [Link]] = [:]
        for link in links { if let token = link.token { byToken[token, default: []].append(link) } }
        var current: Set<String> = []
        for group in byToken.values where group.count > 1 || group[0].patients.count > 1 {
            let inodes = group.compactMap { $0.identity.map { String($0.inode) } }.sorted().joined(separator: ",")
            current.insert(inodes)
            if !reportedDuplicates.contains(inodes) {
                logger?.error("patient links share one token; none of them is served until each has its own (rehab link --rotate)",
                              metadata: ["token_file_inodes": "\(inodes)"])
            }
        }
        reportedDuplicates = current
    }
}

/// What `stat` says about a file, to tell that it changed.
struct FileStamp: Equatable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var seconds: Int
    var nanoseconds: Int

    static func read(_ path: String) -> FileStamp? {
        var s = stat()
        guard stat(path, &s) == 0 else { return nil }
        return FileStamp(device: UInt64(s.st_dev), inode: UInt64(s.st_ino), size: Int64(s.st_size),
                         seconds: Int(s.st_mtim.tv_sec), nanoseconds: Int(s.st_mtim.tv_nsec))
    }

    /// True when the file last changed more than two seconds ago: a later change within
    /// the same timestamp tick is then impossible, so equal stamps mean equal contents.
    var isSettled: Bool { Double(seconds) + 2 < Date().timeIntervalSince1970 }
}

/// Loaded patients, kept while the patient file's and program file's stamps stay the same.
final class PatientCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (stamps: [FileStamp?], patient: LoadedPatient)] = [:]

    func load(_ file: URL) throws -> LoadedPatient {
        lock.lock()
        let hit = entries[file.path]
        lock.unlock()
        if let hit {
            let stamps = hit.patient.sources.map { FileStamp.read($0.path) }
            if stamps == hit.stamps, stamps.allSatisfy({ $0?.isSettled ?? true }) { return hit.patient }
        }
        let before = [file].map { FileStamp.read($0.path) }
        let patient = try LoadedPatient.load(file)
        var stamps = patient.sources.map { FileStamp.read($0.path) }
        if stamps.first != before.first { stamps[0] = nil }  // changed while read: read again next time
        lock.lock()
        if entries.count > 10_000 { entries.removeAll() }
        entries[file.path] = (stamps, patient)
        lock.unlock()
        return patient
    }
}

/// A patient loaded for one request: the patient, program, library and zone.
struct LoadedPatient {
    var file: URL
    var patient: Patient
    var program: Program
    var library: ExerciseLibrary
    var zone: TimeZone
    var logURL: URL
    /// Files whose changes change the feed.
    var inputs: [URL]
    /// The files the patient was loaded from (the patient file, then a program file).
    var sources: [URL] { inputs.filter { $0 != logURL } }

    /// Why a linked patient cannot be served. Descriptions name no patient data.
    struct LoadError: Error { var reason: String }

    static func load(_ file: URL) throws -> LoadedPatient {
        let text: String
        do { text = try SourceFile.read(path: file.path) } catch { throw LoadError(reason: "patient file unreadable") }
        let catalog: Catalog
        do { catalog = try Catalog.shipped() } catch { throw LoadError(reason: "shipped programs unreadable") }
        let resolved: (patient: Patient, program: Program)
        do {
            resolved = try PatientReader.readResolved(text: text, file: file.path, catalog: catalog)
        } catch { throw LoadError(reason: "patient file invalid") }
        guard let zone = TimeZone(identifier: resolved.patient.timezone) else { throw LoadError(reason: "unknown zone") }
        var inputs = [file]
        let reference = resolved.patient.program
        if !catalog.programs.contains(where: { $0.id == reference }) {
            let dir = file.deletingLastPathComponent()
            inputs.append(reference.hasPrefix("/") ? URL(fileURLWithPath: reference) : dir.appendingPathComponent(reference))
        }
        let logURL = PainLogStore.logURL(forPatientFile: file)
        inputs.append(logURL)
        return LoadedPatient(file: file, patient: resolved.patient, program: resolved.program,
                             library: catalog.library, zone: zone, logURL: logURL, inputs: inputs)
    }
}

/// Modification times, to the second, of files (missing files count as none).
func latestChange(of files: [URL]) -> Date? {
    files.compactMap { (try? FileManager.default.attributesOfItem(atPath: $0.path))?[.modificationDate] as? Date }.max()
}
