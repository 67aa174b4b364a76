import ArgumentParser
import Foundation

/// `rehab publish ...`: runs `rehab-publish` (installed beside `rehab`) with the same
/// arguments, standard streams and environment, and exits with its status.
///
/// The CalDAV client needs FoundationNetworking and FoundationXML, which bring about 34
/// shared libraries (curl, GnuTLS, Kerberos, LDAP, libxml2) and about 9 ms to the start
/// of every process that links them; kept in their own executable, only `publish` pays.
/// The command itself is `CalDAVPublishCommand` in Sources/rehab-publish.
struct PublishCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Publish the patient's sessions to a CalDAV calendar, updating earlier publishes.",
        discussion: """
        Runs rehab-publish, installed beside rehab; `rehab publish --help` shows its options: \
        PATIENT --caldav URL --user NAME --password-env VAR [--as-of D] [--days N] [--base-url URL].
        """
    )

    @Argument(parsing: .captureForPassthrough, help: "The arguments of rehab-publish.")
    var arguments: [String] = []

    func run() throws {
        let helper = Self.helperPath
        guard FileManager.default.isExecutableFile(atPath: helper) else {
            throw CLIError(.io, "error: rehab publish needs \(helper), which is missing; build all products (`swift build`) or install rehab-publish beside rehab")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: helper)
        process.arguments = arguments
        do { try process.run() } catch {
            throw CLIError(.io, "error: cannot start \(helper): \(error.localizedDescription)")
        }
        process.waitUntilExit()
        if process.terminationReason == .uncaughtSignal {
            throw CLIError(.io, "error: rehab-publish stopped on signal \(process.terminationStatus)")
        }
        throw ExitCode(process.terminationStatus)
    }

    /// `rehab-publish` in the folder of the running executable (links resolved).
    static var helperPath: String {
        let running = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments.first ?? "rehab")
        return running.resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("rehab-publish").path
    }
}
