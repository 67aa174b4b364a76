import Foundation
import RehabFormat
import RehabKit
import RehabServer

/// Everything a patient command needs, loaded once: the patient file, its program, the
/// exercise library, the resolved time zone and where the pain log lives.
package struct PatientContext {
    var patientFile: URL
    package var patient: Patient
    package var program: Program
    package var library: ExerciseLibrary
    package var zone: TimeZone
    var logURL: URL

    /// Reads and checks the patient file and its program. Diagnostics exit 65, an
    /// unreadable file 74.
    static func load(_ path: String) throws -> PatientContext {
        let url = URL(fileURLWithPath: path)
        let text: String
        do {
            text = try SourceFile.read(path: path)
        } catch {
            switch error {
            case .unreadable(let d): throw CLIError(.io, d.rendered)
            case .invalid(let d): throw CLIError(.invalidInput, d.rendered)
            }
        }
        let catalog: Catalog
        do {
            catalog = try Catalog.shipped()
        } catch {
            throw CLIError(.io, "error: \(error.description)")
        }
        let resolved: (patient: Patient, program: Program)
        do {
            resolved = try PatientReader.readResolved(text: text, file: path, catalog: catalog)
        } catch {
            throw CLIError(.invalidInput, error.description)
        }
        // The reader has checked the zone name already; this only turns it into a value.
        guard let zone = TimeZone(identifier: resolved.patient.timezone) else {
            throw CLIError(.invalidInput, "\(path): error: [timezone] unknown time zone; use an IANA name such as Europe/Berlin")
        }
        return PatientContext(patientFile: url, patient: resolved.patient, program: resolved.program,
                              library: catalog.library, zone: zone,
                              logURL: PainLogStore.logURL(forPatientFile: url))
    }

    /// The patient's pain log (empty when none was written yet), checked to be theirs.
    func readLog() throws -> PainLog {
        do {
            return try PainLogStore.read(from: logURL, patient: patient.id)
        } catch {
            throw Self.cliError(error)
        }
    }

    /// Appends one entry; `check` may refuse it by throwing a `PainLogError`. With
    /// `keepingDamage` (a warning sign) a log with damaged lines still takes the entry, and
    /// the damage is returned (`PainLogStore.append`).
    @discardableResult
    func append(_ entry: LogEntry, keepingDamage: Bool = false,
                check: (PainLog) throws(PainLogError) -> Void = { _ throws(PainLogError) in }) throws -> PainLogError? {
        do {
            return try PainLogStore.append(entry, to: logURL, patient: patient.id, keepingDamage: keepingDamage, check: check)
        } catch {
            throw Self.cliError(error)
        }
    }

    /// The patient as `ClinicianAction` (approve, resume) needs them.
    var subject: ClinicianAction.Subject {
        ClinicianAction.Subject(patient: patient, program: program, library: library, zone: zone, logURL: logURL)
    }

    static func cliError(_ error: PainLogError) -> CLIError {
        switch error.kind {
        case .io: CLIError(.io, error.description)
        case .refused: CLIError(.invalidInput, "error: \(error.message)")
        default: CLIError(.invalidInput, error.description)
        }
    }

    /// The plan as of `asOf` for `days` days.
    func plan(asOf: LocalDate, days: Int, log: PainLog) -> Plan {
        Planner.plan(PlanRequest(program: program, library: library, patient: patient, zone: zone,
                                 log: log.entries, asOf: asOf, days: days))
    }

    /// `--as-of`: a date in the patient's zone, today there when left out.
    func asOfDate(_ text: String?) throws -> LocalDate {
        guard let text else { return try Clock.today(in: zone) }
        guard let date = LocalDate(iso: text) else {
            let shape = text.utf8.count == 10 && LocalDateTime.looksLikeDate(text)
            throw CLIError(shape ? .invalidInput : .usage,
                           shape ? "error: --as-of \(text): no such date" : "error: --as-of \(text.prefix(30)): write the date as YYYY-MM-DD")
        }
        return date
    }

    /// `--days`: 1 to 366.
    package static func checkDays(_ days: Int) throws {
        guard (1...366).contains(days) else {
            throw CLIError(.invalidInput, "error: --days \(days) is out of range; give 1 to 366 days")
        }
    }

    /// Reads `--at` (`DATE` or `DATETHH:MM`, local to the patient's zone; now when left out).
    /// A time in a daylight-saving gap moves forward by the gap; a time more than ten
    /// minutes ahead of now is refused.
    func reportTime(_ text: String?, option: String = "--at") throws -> ReportTime {
        let now = try Clock.now()
        guard let text else { return ReportTime(at: LocalDateTime.at(now, in: zone), movedFrom: nil) }
        guard let requested = LocalDateTime(iso: text) else {
            let shaped = (text.utf8.count == 10 || text.utf8.count == 16) && LocalDateTime.looksLikeDate(text)
            if shaped {
                throw CLIError(.invalidInput, "\(option) \(text): no such date or time of day (hours 00-23, minutes 00-59)")
            }
            throw CLIError(.usage, "\(option) \(text.prefix(30)): write the time as YYYY-MM-DD or YYYY-MM-DDTHH:MM, local to \(zone.identifier)")
        }
        let instant = requested.resolved(in: zone)
        let ahead = instant.date.timeIntervalSince(now)
        if ahead > 600 {
            throw CLIError(.invalidInput, "\(option) \(requested) is \(Int(ahead / 60)) minutes in the future (now is \(LocalDateTime.at(now, in: zone)) in \(zone.identifier)); a report may be at most 10 minutes ahead")
        }
        return ReportTime(at: instant.local, movedFrom: instant.local == requested ? nil : requested)
    }

    struct ReportTime {
        var at: LocalDateTime
        /// The requested wall time when it fell in a daylight-saving gap.
        var movedFrom: LocalDateTime?
    }
}

extension PatientContext {
    /// Builds the context from a patient file's text already read (used by `rehab batch`,
    /// which reports each file's problems instead of stopping). `path` is the name used in
    /// diagnostics and the base for a relative program path and for the pain log.
    static func resolve(text: String, path: String, catalog: Catalog) throws(DiagnosticsError) -> PatientContext {
        let resolved = try PatientReader.readResolved(text: text, file: path, catalog: catalog)
        guard let zone = TimeZone(identifier: resolved.patient.timezone) else {
            throw DiagnosticsError(diagnostics: [Diagnostic(file: path, line: 0, column: 0, category: "timezone",
                                                            message: "unknown time zone; use an IANA name such as Europe/Berlin")])
        }
        let url = URL(fileURLWithPath: path)
        return PatientContext(patientFile: url, patient: resolved.patient, program: resolved.program,
                              library: catalog.library, zone: zone,
                              logURL: PainLogStore.logURL(forPatientFile: url))
    }
}

extension PatientContext {
    /// The patient's check-in page under `baseURL` (`--base-url` of export and publish);
    /// the patient must have been linked with `rehab link` first.
    func checkInURL(baseURL: String) throws -> String {
        guard let token = PatientLink.read(forPatientFile: patientFile) else {
            let path = patientFile.path
            throw CLIError(.invalidInput, "error: --base-url: \(path) has no link yet; run `rehab link \(path)` first, or leave out --base-url")
        }
        return PatientLink.urls(token: token, baseURL: baseURL).checkIn
    }
}
