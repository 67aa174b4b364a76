import ArgumentParser
import Foundation
import RehabCalendar
import RehabFormat
import RehabCalDAV
import RehabCLI
import RehabKit

/// `rehab publish PATIENT --caldav URL --user NAME --password-env VAR [--as-of D] [--days N]`
/// (run as `rehab-publish`, which `rehab publish` starts): puts the patient's calendar on a
/// CalDAV server, one resource per event, and says what changed. See docs/serve.md.
struct CalDAVPublishCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rehab publish",
        abstract: "Publish the patient's sessions to a CalDAV calendar, updating earlier publishes.",
        discussion: """
        Creates the calendar (MKCALENDAR) when it is missing and puts each event as its own \
        resource. Sessions that vanished from the plan are kept as cancelled events. The \
        password is read from the environment variable named by --password-env, never from \
        the command line.
        """
    )

    @Argument(help: "The patient file (YAML).") var patient: String
    @Option(help: "The calendar collection's address, e.g. https://dav.example.org/alice/rehab-p-0001/.")
    var caldav: String
    @Option(help: "The CalDAV user name.") var user: String
    @Option(name: .customLong("password-env"), help: "The environment variable that holds the password.")
    var passwordEnv: String
    @OptionGroup var window: CalendarWindowOptions

    func run() throws {
        try PatientContext.checkDays(window.days)
        guard let url = URL(string: caldav), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              url.host != nil, url.query == nil, url.fragment == nil else {
            throw CLIError(.usage, "error: --caldav: give the calendar's http(s) address, e.g. https://dav.example.org/alice/rehab/")
        }
        guard url.user == nil, url.password == nil else {
            throw CLIError(.usage, "error: --caldav: leave the user name and password out of the address; use --user and --password-env")
        }
        guard let password = ProcessInfo.processInfo.environment[passwordEnv], !password.isEmpty else {
            throw CLIError(.usage, "error: --password-env \(passwordEnv.prefix(60)): that environment variable is not set (or empty); export the CalDAV password in it")
        }
        let (context, plan, checkInURL) = try window.plan(patient: patient)
        let publisher = CalDAVPublisher(client: CalDAVClient(user: user, password: password), collection: url)
        let summary: CalDAVPublisher.Summary
        do {
            summary = try publisher.publish(patient: context.patient.id, displayName: "Rehab exercises \(context.patient.id)") { previous in
                try CalendarExporter.export(CalendarRequest(
                    plan: plan, program: context.program, library: context.library, patient: context.patient,
                    zone: context.zone, previous: previous, patientFile: patient, checkInURL: checkInURL))
            }
        } catch let failure as CalDAVClient.Failure {
            throw CLIError(.io, "error: [caldav] \(failure.description)")
        } catch let refusal as CalDAVPublisher.Refusal {
            throw CLIError(.invalidInput, "error: [caldav] \(refusal.description)")
        } catch let error as CalendarError {
            throw CLIError(.invalidInput, "error: [caldav] the calendar on the server could not be used: \(error.description)")
        } catch {
            throw CLIError(.io, "error: [caldav] publishing failed: \(error)")
        }
        if let halt = plan.halt {
            print("STOPPED since \(halt.at) (\(halt.flags.map(\.rawValue).joined(separator: ", "))):")
            for advice in halt.advice { print("  ! \(advice)") }
        }
        let made = summary.createdCalendar ? "created the calendar; " : ""
        print("\(CalDAVClient.display(publisher.collection)): \(made)\(summary)")
    }
}
