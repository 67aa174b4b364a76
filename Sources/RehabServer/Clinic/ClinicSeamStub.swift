import Foundation
import RehabFormat
import RehabKit

/// THROWAWAY stand-in for the views engineer's seam (CaseloadStore, PatientSummary,
/// AlertsDocument, ClinicPages), deleted when `clinic-views` is merged. Lists the folder's
/// patients by id and renders bare pages, so the sign-in, sessions and actions can be built
/// and tested first.
public struct PatientSummary: Sendable {
    public var id: String
    public var status: String
}

public struct PatientDetail: Sendable { public var summary: PatientSummary }

public final class CaseloadStore: @unchecked Sendable {
    public let folder: URL
    public init(folder: URL) { self.folder = folder }

    public enum PatientDetailResult: Sendable { case found(PatientDetail), notFound, duplicate }

    private func all() -> [(URL, LoadedPatient)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().compactMap { name in
            let url = folder.appendingPathComponent(name)
            return (try? LoadedPatient.load(url)).map { (url, $0) }
        }
    }

    public func summaries(now: Date) -> [PatientSummary] {
        all().map { PatientSummary(id: $0.1.patient.id, status: "active") }
    }

    public func detail(id: String, now: Date) -> PatientDetailResult {
        let matches = all().filter { $0.1.patient.id == id }
        if matches.count > 1 { return .duplicate }
        return matches.first.map { .found(PatientDetail(summary: PatientSummary(id: $0.1.patient.id, status: "active"))) } ?? .notFound
    }

    public func patientFile(id: String) -> URL? {
        let matches = all().filter { $0.1.patient.id == id }
        return matches.count == 1 ? matches[0].0 : nil
    }
}

public enum AlertsDocument {
    public static func json(_ rows: [PatientSummary], asOf: LocalDate?) -> String {
        "{\"schema\":1,\"patients\":[" + rows.map { "\"\($0.id)\"" }.joined(separator: ",") + "]}\n"
    }
}

enum ClinicPages {
    static func login(error: String?, action: String) -> String {
        "<!doctype html><title>Sign in</title><p>\(error ?? "")</p><form method=post action=\"\(action)\"><input name=name><input name=password type=password><button>Sign in</button></form>"
    }
    static func caseload(_ rows: [PatientSummary], clinician: String, csrf: String, prefix: String) -> String {
        "<!doctype html><title>Caseload</title>" + rows.map { "<p><a href=\"\(prefix)/clinic/patients/\($0.id)\">\($0.id)</a></p>" }.joined()
    }
    static func patient(_ detail: PatientDetail, clinician: String, csrf: String, prefix: String) -> String {
        "<!doctype html><title>\(detail.summary.id)</title><p>\(detail.summary.status)</p>"
            + "<form method=post action=\"\(prefix)/clinic/patients/\(detail.summary.id)/resume\"><input type=hidden name=\"csrf\" value=\"\(csrf)\"><button>Resume</button></form>"
    }
}
