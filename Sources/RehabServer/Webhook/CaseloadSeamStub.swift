import Foundation
import RehabFormat
import RehabKit

// THROWAWAY STUB of the views engineer's seam (Sources/RehabServer/Caseload/, branch
// `clinic-views`): only what the alert watcher reads. Deleted when that branch is merged.

/// One patient file under the served folder, planned as of its own local today.
public struct PatientSummary: Sendable {
    public var id: String
    public var relativePath: String
    public var status: String
    public var alerts: [Alert]
    public var asOf: LocalDate?
}

/// Every patient under a folder with the alerts of its own today (no cache in the stub).
public final class CaseloadStore: @unchecked Sendable {
    let folder: URL

    public init(folder: URL) { self.folder = folder }

    public func summaries(now: Date) -> [PatientSummary] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var rows: [PatientSummary] = []
        for name in names.sorted() where name.hasSuffix(".yaml") {
            let file = folder.appendingPathComponent(name)
            guard let patient = try? LoadedPatient.load(file),
                  let log = try? PainLogStore.read(from: patient.logURL, patient: patient.patient.id) else { continue }
            let asOf = LocalDateTime.at(now, in: patient.zone).date
            let plan = Planner.plan(PlanRequest(program: patient.program, library: patient.library, patient: patient.patient,
                                                zone: patient.zone, log: log.entries, asOf: asOf, days: 1))
            rows.append(PatientSummary(id: plan.patient, relativePath: name, status: plan.status.rawValue,
                                       alerts: plan.alerts, asOf: asOf))
        }
        return rows
    }
}
