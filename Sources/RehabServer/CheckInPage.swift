import Foundation
import HTTPTypes
import Hummingbird
import Logging
import RehabFormat
import RehabKit
import RehabPages

/// The check-in page's HTTP side: the form (`GET /p/{token}/check-in`), and after a saved
/// report a `303 See Other` to its confirmation (`GET /p/{token}/check-in/saved/{receipt}`),
/// so a reload shows the confirmation again and never sends the report twice. The HTML
/// comes from RehabPages' templates.
extension RehabServer {
    func formResponse(token: String, logger: Logger) -> Response {
        guard let file = directory.patientFile(forToken: token) else { return Self.plain(.notFound, "Not found.") }
        let patient: LoadedPatient
        do { patient = try patients.load(file) } catch {
            // The same answer as the feed's for a linked patient whose files are broken.
            logger.error("check-in page could not be made", metadata: Self.failureMetadata(error, file: file))
            return notice(.serviceUnavailable, "The check-in page cannot be shown right now",
                          ["The clinic has been told.", "If you have a warning sign, call your clinic or the emergency number now."],
                          token: nil)
        }
        let now = configuration.now()
        let local = LocalDateTime.at(now, in: patient.zone)
        // A damaged or unreadable log, or another patient's, still gives the form (a warning
        // sign must always be sendable); today's sessions are then left out rather than shown
        // wrongly.
        let log = (try? PainLogStore.read(from: patient.logURL, patient: patient.patient.id))?.entries
        let today = log.map { entries in
            Planner.plan(PlanRequest(program: patient.program, library: patient.library, patient: patient.patient,
                                     zone: patient.zone, log: entries, asOf: local.date, days: 1))
        }
        do {
            let page = try CheckInPages.form(CheckInPages.FormInput(
                program: patient.program, library: patient.library, today: today, log: log ?? [], now: local,
                contacts: Self.contacts(of: patient), action: path("/p/\(token)/check-in")))
            return Self.html(.ok, page)
        } catch {
            return notice(.internalServerError, "The check-in page cannot be shown", ["Call your clinic."],
                          contacts: Self.contacts(of: patient), token: nil)
        }
    }

    /// The answer to a saved report: a receipt kept in memory, and a 303 to its page.
    /// `dropped` says what of the form was not saved (shown on the confirmation).
    func savedRedirect(token: String, report: PainReport, dropped: [String]) -> Response {
        let id = receipts.add(token: token, report: report, dropped: dropped, now: configuration.now())
        var headers = HTTPFields()
        headers[.location] = path("/p/\(token)/check-in/saved/\(id)")
        headers[.cacheControl] = "no-store"
        return Response(status: .seeOther, headers: headers)
    }

    func savedResponse(token: String, receipt: String) -> Response {
        guard let file = directory.patientFile(forToken: token), let patient = try? patients.load(file) else {
            return Self.plain(.notFound, "Not found.")
        }
        let now = configuration.now()
        let kept = receipts.find(receipt, token: token, now: now)
        // A red score is judged against the usual pain the plan uses today (the recent
        // mornings may have lowered it below the file's baseline).
        let today = LocalDateTime.at(now, in: patient.zone).date
        let log = (try? PainLogStore.read(from: patient.logURL, patient: patient.patient.id))?.entries
        let plan = log.map { entries in
            Planner.plan(PlanRequest(program: patient.program, library: patient.library, patient: patient.patient,
                                     zone: patient.zone, log: entries, asOf: today, days: 1))
        }
        do {
            let page = try CheckInPages.saved(CheckInPages.SavedInput(
                report: kept?.report, dropped: kept?.dropped ?? [], program: patient.program, library: patient.library,
                baseline: plan?.usualPain ?? patient.patient.baseline(on: today), contacts: Self.contacts(of: patient),
                back: path("/p/\(token)/check-in"), today: plan, log: log ?? []))
            return Self.html(.ok, page)
        } catch {
            return Self.plain(.internalServerError, "Your report is saved, but this page cannot be shown.")
        }
    }

    /// A patient-facing answer that is not a confirmation (a report not saved, too many
    /// reports, a page that cannot be made), as a page a phone shows readably, with the
    /// numbers to call and any warning-sign advice first; plain text only if even that
    /// page cannot be made. `token` adds a link back to the check-in page.
    func notice(_ status: HTTPResponse.Status, _ heading: String, _ lines: [String], advice: [String] = [],
                contacts: Contacts = Contacts(), token: String?) -> Response {
        let input = CheckInPages.NoticeInput(heading: heading, lines: lines, advice: advice, contacts: contacts,
                                             back: token.map { path("/p/\($0)/check-in") })
        guard let page = try? CheckInPages.notice(input) else {
            return Self.plain(status, (advice + [heading + "."] + lines).joined(separator: "\n\n"))
        }
        return Self.html(status, page)
    }

    /// The clinic's and emergency numbers, from the patient model.
    static func contacts(of patient: LoadedPatient) -> Contacts {
        Contacts(patient: patient.patient)
    }
}

/// Saved reports, kept in memory for their confirmation pages: a random id per report,
/// for a day, at most 10,000. A restart forgets them; the page then says the report was
/// saved without its details.
final class ReceiptBook: @unchecked Sendable {
    struct Receipt {
        var token: String
        var report: PainReport
        var dropped: [String]
        var created: Date
    }

    static let lifetime: TimeInterval = 24 * 3600
    static let capacity = 10_000
    private let lock = NSLock()
    private var receipts: [String: Receipt] = [:]

    func add(token: String, report: PainReport, dropped: [String], now: Date) -> String {
        var generator = SystemRandomNumberGenerator()
        let id = (0..<2).map { _ in String(generator.next() as UInt64, radix: 16) }
            .map { String(repeating: "0", count: 16 - $0.count) + $0 }.joined()
        lock.lock()
        defer { lock.unlock() }
        if receipts.count >= Self.capacity {
            receipts = receipts.filter { now.timeIntervalSince($0.value.created) < Self.lifetime }
            if receipts.count >= Self.capacity, let oldest = receipts.min(by: { $0.value.created < $1.value.created }) {
                receipts[oldest.key] = nil
            }
        }
        receipts[id] = Receipt(token: token, report: report, dropped: dropped, created: now)
        return id
    }

    func find(_ id: String, token: String, now: Date) -> Receipt? {
        lock.lock()
        defer { lock.unlock() }
        guard let r = receipts[id], r.token == token, now.timeIntervalSince(r.created) < Self.lifetime else { return nil }
        return r
    }
}
