import Foundation
#if canImport(Glibc)
import Glibc
#endif
import RehabFormat
import RehabKit

/// The linked patients of a folder: each `NAME.token` beside `NAME.yaml` (or `.yml`).
///
/// The token map is read again whenever the folder changes (its modification time,
/// size or inode), so `rehab link --rotate` (which renames a new token file into place)
/// takes effect on the next request. A folder changed in the last two seconds is always
/// read again, so a change within one timestamp tick is not missed. A token is compared
/// with every stored token in constant time.
public struct PatientDirectory: Sendable {
    public var folder: URL
    private let cache = TokenCache()

    public init(folder: URL) { self.folder = folder }

    /// The patient file whose token equals `token`, or nil.
    public func patientFile(forToken token: String) -> URL? {
        guard PatientLink.isWellFormed(token) else { return nil }
        let links = cache.links(folder: folder, scan: scan)
        var found: URL?
        for (stored, patient) in links {
            // No early exit: every stored token is compared.
            if PatientLink.constantTimeEqual(stored, token), found == nil { found = patient }
        }
        return found
    }

    /// (token, patient file) for every linked patient, in name order.
    private func scan() -> [(String, URL)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var links: [(String, URL)] = []
        for name in names.sorted() where name.hasSuffix(".token") && !name.hasPrefix(".") {
            let base = folder.appendingPathComponent(String(name.dropLast(".token".count)))
            for ext in ["yaml", "yml"] {
                let patient = base.appendingPathExtension(ext)
                guard FileManager.default.fileExists(atPath: patient.path),
                      let stored = PatientLink.read(forPatientFile: patient) else { continue }
                links.append((stored, patient))
            }
        }
        return links
    }
}

/// The folder's token map, kept while the folder's stamp stays the same.
private final class TokenCache: @unchecked Sendable {
    private let lock = NSLock()
    private var stamp: FileStamp?
    private var links: [(String, URL)] = []

    func links(folder: URL, scan: () -> [(String, URL)]) -> [(String, URL)] {
        let now = FileStamp.read(folder.path)
        lock.lock()
        if let now, now.isSettled, now == stamp { defer { lock.unlock() }; return links }
        lock.unlock()
        let fresh = scan()
        lock.lock()
        stamp = now
        links = fresh
        lock.unlock()
        return fresh
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
