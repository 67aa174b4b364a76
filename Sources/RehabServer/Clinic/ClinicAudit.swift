import Foundation
#if canImport(Glibc)
import Glibc
#endif
import RehabFormat

/// The clinic's audit trail: one JSON line per clinician page view or action, appended to
/// `<clinician file>.audit` (0600, opened through `PrivateFile`: never a link, only a
/// regular file). A line says when (UTC), who, what, and which patient when there is one,
/// e.g. `{"at":"2026-11-20T08:30:00Z","by":"Dr Weber","what":"resume","patient":"p-0001"}`.
/// Writes are made one at a time on a queue of their own, off the event loops; the caller
/// waits for its line to be written.
final class ClinicAudit: Sendable {
    let path: String
    private let queue = DispatchQueue(label: "rehab.clinic.audit")

    init(path: String) { self.path = path }

    struct Line: Encodable {
        var at: String
        var by: String
        var what: String
        var patient: String?
        var detail: String?
    }

    /// Appends one line; false when it could not be written (the caller logs that, without the line).
    @discardableResult
    func record(_ what: String, by: String, patient: String? = nil, detail: String? = nil, now: Date) async -> Bool {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        let line = Line(at: formatter.string(from: now), by: by, what: what, patient: patient, detail: detail)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let encoded = try? Array(encoder.encode(line)) else { return false }
        let bytes = encoded + [UInt8(ascii: "\n")]
        let path = self.path
        return await withCheckedContinuation { (done: CheckedContinuation<Bool, Never>) in
            queue.async {
                switch PrivateFile.openFile(path, O_WRONLY | O_APPEND | O_CREAT, mode: 0o600) {
                case .success(let file):
                    // An audit file made by hand keeps no looser mode than ours.
                    _ = fchmod(file.fd, 0o600)
                    let failed = PrivateFile.writeAll(file.fd, bytes) != nil || fsync(file.fd) != 0
                    close(file.fd)
                    done.resume(returning: !failed)
                case .failure:
                    done.resume(returning: false)
                }
            }
        }
    }
}
