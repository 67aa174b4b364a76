import ArgumentParser
import Foundation
import RehabCalendar
import RehabFormat
import RehabKit
import RehabPages
import RehabServer

/// `rehab handout PATIENT --out FILE.html [--as-of DATE] [--days N] [--base-url URL]`: the
/// printable handout, one self-contained HTML file (inline CSS, drawings and QR codes; no
/// network), written atomically with mode 0600 since it holds the patient's plan.
struct HandoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handout",
        abstract: "Write the patient's printable handout: doses, steps and drawings, pain guide, warning signs, pain diary.",
        discussion: """
        The file prints on A4 or US Letter from a browser. With --base-url (the public address \
        of `rehab serve`; the patient must be linked with `rehab link`), it carries QR codes \
        for the calendar subscription and the check-in page.
        """
    )

    @Argument(help: "The patient file (YAML).") var patient: String
    @Option(help: "The .html file to write (replaced if it exists).") var out: String
    @Option(name: .customLong("as-of"), help: "First day, YYYY-MM-DD in the patient's zone; default today there.")
    var asOf: String?
    @Option(help: "How many days the sessions table shows (1-366).") var days: Int = 7
    @Option(help: "The public address of `rehab serve`, for the QR codes (needs `rehab link`).") var baseURL: String?

    func run() throws {
        try PatientContext.checkDays(days)
        let base = try baseURL.map(LinkCommand.checkBaseURL)
        let context = try PatientContext.load(patient)
        var links: Handout.Links?
        if let base {
            _ = try context.checkInURL(baseURL: base)  // refuses an unlinked patient with its message
            if let token = PatientLink.read(forPatientFile: URL(fileURLWithPath: patient)) {
                let urls = PatientLink.urls(token: token, baseURL: base)
                links = Handout.Links(feed: urls.feed, checkIn: urls.checkIn)
            }
        }
        let date = try context.asOfDate(asOf)
        let plan = context.plan(asOf: date, days: days, log: try context.readLog())
        let contacts = Contacts(patient: context.patient)
        let html: String
        do {
            html = try Handout.html(Handout.Input(program: context.program, library: context.library,
                                                  patient: context.patient, plan: plan, contacts: contacts, links: links))
        } catch let error as QRCode.EncodingError {
            throw CLIError(.invalidInput, "error: --base-url: \(error.description); give a shorter address")
        } catch {
            throw CLIError(.io, "error: the handout could not be made: \(error)")
        }
        try ExportCommand.write(bytes: Data(html.utf8), to: out, durable: true, mode: 0o600)
        printError("\(out): handout for \(plan.days) days from \(plan.asOf)\(links == nil ? "" : ", with QR codes")")
    }
}
