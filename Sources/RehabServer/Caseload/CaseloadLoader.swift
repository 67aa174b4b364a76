import Foundation
#if canImport(Glibc)
import Glibc
#endif
import RehabFormat
import RehabKit
import RehabPages

/// Reads and plans one candidate file of the caseload into a store entry: a patient row,
/// a failed row (with `halted` when the readable part of its log holds a warning sign
/// after the last clearance), or no row for a program or library file. Reads through
/// `PrivateFile` (via `SourceFile` and `PainLogStore`); names no file content in a row.
enum CaseloadLoader {
    static func entry(path: String, relativePath: String, stamp: FileStamp, now: Date, fixed: LocalDate?) -> CaseloadStore.Entry {
        let url = URL(fileURLWithPath: path)
        let logURL = PainLogStore.logURL(forPatientFile: url)
        var inputs = [path, logURL.path]
        var stamps: [FileStamp?] = [stamp, FileStamp.read(logURL.path)]
        func failed(_ problem: String, zone: TimeZone? = nil) -> CaseloadStore.Entry {
            let stem = String(url.deletingPathExtension().lastPathComponent)
            let row = PatientSummary(id: stem, relativePath: relativePath, status: "failed",
                                     alerts: haltedAlert(logURL).map { [$0] } ?? [],
                                     asOf: fixed ?? zone.map { LocalDateTime.at(now, in: $0).date }, problem: problem)
            return CaseloadStore.Entry(inputs: inputs, stamps: stamps, zone: nil, fixed: fixed, summary: row)
        }
        let text: String
        do { text = try SourceFile.read(path: path) } catch {
            // Unreadable: a patient file only if its name says so cannot be told; list it.
            return failed("The patient file cannot be read.")
        }
        guard text.contains("surgery_date") else {
            return CaseloadStore.Entry(inputs: inputs, stamps: stamps, zone: nil, fixed: fixed, summary: nil)
        }
        let loaded: LoadedPatient
        do { loaded = try LoadedPatient.load(url) } catch {
            return failed("The patient file or its program is not valid; check it with the validate command.")
        }
        inputs = loaded.inputs.map(\.path)
        stamps = [stamp] + loaded.inputs.dropFirst().map { FileStamp.read($0.path) }
        if FileStamp.read(path) != stamp { stamps[0] = nil }  // changed while read: read again next time
        let asOf = fixed ?? LocalDateTime.at(now, in: loaded.zone).date
        let log: PainLog
        do { log = try PainLogStore.read(from: loaded.logURL, patient: loaded.patient.id) } catch {
            var entry = failed(error.kind == .mismatch ? "The pain log belongs to another patient."
                               : "The pain log cannot be read or has damaged lines.", zone: loaded.zone)
            entry.summary?.id = loaded.patient.id
            entry.summary?.program = loaded.program.id
            entry.zone = loaded.zone
            return entry
        }
        let plan = Planner.plan(PlanRequest(program: loaded.program, library: loaded.library, patient: loaded.patient,
                                            zone: loaded.zone, log: log.entries, asOf: asOf, days: 1))
        let row = CaseloadFacts.summary(patient: loaded.patient, program: loaded.program, plan: plan,
                                        reports: log.reports, relativePath: relativePath)
        return CaseloadStore.Entry(inputs: inputs, stamps: stamps, zone: loaded.zone, fixed: fixed, summary: row, loaded: loaded)
    }

    /// A `halted` alert when a readable line of the log after the last clearance carries a
    /// halting flag (the log itself may be damaged or another patient's).
    static func haltedAlert(_ logURL: URL) -> Alert? {
        guard case .success(let opened) = PrivateFile.openFile(logURL.path, O_RDONLY) else { return nil }
        defer { close(opened.fd) }
        guard case .success(let bytes) = PrivateFile.readAll(opened.fd, limit: PainLogStore.sizeLimit) else { return nil }
        var halt: PainReport?
        for entry in PainLog.readableEntries(bytes).sorted(by: { $0.at < $1.at }) {
            switch entry {
            case .report(let r) where r.flags.contains(where: \.halts): if halt == nil { halt = r }
            case .resume: halt = nil
            default: break
            }
        }
        guard let halt else { return nil }
        return Alert(kind: .halted, since: halt.at.date,
                     text: "A warning sign was reported on \(halt.at.date); the patient's files cannot be planned.")
    }
}
