import ArgumentParser
import Foundation
import RehabServer

/// `rehab link PATIENT [--rotate] [--base-url URL]`: creates (or rotates) the patient's
/// secret link and prints the calendar subscription and check-in addresses.
struct LinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link",
        abstract: "Create or rotate a patient's secret calendar and check-in links.",
        discussion: """
        The token (256 random bits) is kept beside the patient file as NAME.token, readable \
        only by its owner. --rotate makes a new one; the old links then stop working. \
        `rehab serve` answers these links; put it behind an HTTPS reverse proxy (docs/serve.md).
        """
    )

    @Argument(help: "The patient file (YAML).") var patient: String
    @Flag(help: "Replace the token; the old links stop working.") var rotate = false
    @Option(help: "The public address of `rehab serve`, e.g. https://rehab.example.org.")
    var baseURL: String = "http://127.0.0.1:8080"

    func run() throws {
        let base = try Self.checkBaseURL(baseURL)
        let context = try PatientContext.load(patient)
        let result: (token: String, created: Bool)
        do {
            result = try PatientLink.create(forPatientFile: context.patientFile, rotate: rotate)
        } catch let error as PatientLink.LinkError {
            throw CLIError(.io, "error: \(error.description)")
        }
        let urls = PatientLink.urls(token: result.token, baseURL: base)
        let state = rotate ? "New link (the old one no longer works)" : result.created ? "New link" : "Existing link"
        print("\(state) for \(context.patient.id):")
        print("Calendar feed:     \(urls.feed)")
        print("Subscribe (Apple): \(urls.webcal)")
        print("Google Calendar:   \(urls.google)")
        print("Pain check-in:     \(urls.checkIn)")
        if base.hasPrefix("http://") {
            print("Note: calendar apps need https for subscriptions; serve through an HTTPS proxy and pass --base-url https://...")
        }
    }

    /// An http(s) URL without query or fragment; trailing slashes removed.
    static func checkBaseURL(_ text: String) throws -> String {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              url.host != nil, url.query == nil, url.fragment == nil else {
            throw CLIError(.usage, "error: --base-url \(text.prefix(80)) is not an http(s) address; write it like https://rehab.example.org")
        }
        var base = text
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }
}
