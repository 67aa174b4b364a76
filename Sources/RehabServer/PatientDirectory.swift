import Foundation
import RehabFormat
import RehabKit

/// The linked patients of a folder: each `NAME.token` beside `NAME.yaml` (or `.yml`).
///
/// Looked up afresh on each request, so `rehab link --rotate` takes effect at once. A
/// token is compared with every stored token in constant time.
public struct PatientDirectory: Sendable {
    public var folder: URL

    public init(folder: URL) { self.folder = folder }

    /// The patient file whose token equals `token`, or nil.
    public func patientFile(forToken token: String) -> URL? {
        guard PatientLink.isWellFormed(token) else { return nil }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var found: URL?
        for name in names.sorted() where name.hasSuffix(".token") && !name.hasPrefix(".") {
            let base = folder.appendingPathComponent(String(name.dropLast(".token".count)))
            for ext in ["yaml", "yml"] {
                let patient = base.appendingPathExtension(ext)
                guard FileManager.default.fileExists(atPath: patient.path),
                      let stored = PatientLink.read(forPatientFile: patient) else { continue }
                // No early exit: every stored token is compared.
                if PatientLink.constantTimeEqual(stored, token), found == nil { found = patient }
            }
        }
        return found
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
