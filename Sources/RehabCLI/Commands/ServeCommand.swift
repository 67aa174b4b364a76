import ArgumentParser
import Foundation
import RehabFormat
import RehabServer

/// `rehab serve --patients DIR [--host 127.0.0.1] [--port 8080] [--base-url URL]
/// [--clinicians FILE]`: serves each linked patient's calendar feed and pain check-in page,
/// and with a clinician file the clinic's pages under /clinic/ (docs/clinic.md), until stopped.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve linked patients' calendar feeds and pain check-in pages over HTTP.",
        discussion: """
        Binds to 127.0.0.1 by default: put an HTTPS reverse proxy (e.g. nginx) in front \
        and pass its public address as --base-url (docs/serve.md). Link a patient first \
        with `rehab link`. Stop with Ctrl-C.
        """
    )

    @Option(help: "The folder of patient files (and their .token files).") var patients: String
    @Option(help: "The address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "The port to listen on (0 picks a free one).") var port: Int = 8080
    @Option(help: "The public address, used in the links inside the calendar.") var baseURL: String?
    /// `--alert-webhook-file` and its test-only timings.
    @OptionGroup var webhook: WebhookOptions
    @Option(help: "Check-in reports allowed per patient link each minute (warning signs are never limited).")
    var postsPerMinute: Int = 30
    @Option(help: "Seconds a new connection has to send its request line and headers (and a request its body).")
    var headerTimeout: Int = 10
    @Option(help: "Seconds a kept-alive connection may stay idle between requests.")
    var idleTimeout: Int = 30
    @Option(help: "Open connections at most (more are closed at once); lowered to fit the open-file limit.")
    var maxConnections: Int = 512
    @Option(help: "The clinician file (`rehab clinician add`): serves the clinic's pages under /clinic/; without it they are 404.")
    var clinicians: String?
    @Flag(help: "Send the clinic's session cookie without Secure, for plain-HTTP tests on loopback only.")
    var insecureCookies = false
    @Option(help: "The address of the reverse proxy whose X-Forwarded-For names the client (for the sign-in lockout).")
    var trustedProxy: String?
    @Option(help: "Test only: seconds over which failed sign-ins are counted (default 900).")
    var testLockoutWindow: Double?
    @Option(help: "Test only: seconds a name and address stay locked (default 900).")
    var testLockoutDuration: Double?
    @Option(help: "Test only: seconds a clinic session may stay idle (default 28800).")
    var testSessionIdle: Double?
    @Option(help: "Test only: seconds a clinic session lasts at most (default 43200).")
    var testSessionLifetime: Double?

    func run() throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: patients, isDirectory: &isDir), isDir.boolValue else {
            throw CLIError(.io, "error: --patients \(patients): no such folder; give the folder that holds the patient files")
        }
        guard (0...65535).contains(port) else { throw CLIError(.usage, "error: --port \(port) is out of range; give 0 to 65535") }
        guard postsPerMinute >= 1 else { throw CLIError(.usage, "error: --posts-per-minute must be at least 1") }
        for (name, value) in [("--header-timeout", headerTimeout), ("--idle-timeout", idleTimeout)] where !(1...3600).contains(value) {
            throw CLIError(.usage, "error: \(name) \(value) is out of range; give 1 to 3600 seconds")
        }
        guard maxConnections >= 1 else { throw CLIError(.usage, "error: --max-connections must be at least 1") }
        // Each connection holds a file descriptor; keep 64 for patient files, logs and the listener.
        var limit = rlimit()
        var connections = maxConnections
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max {
            let room = Int(limit.rlim_cur) - 64
            guard room >= 1 else {
                throw CLIError(.io, "error: the open-file limit (ulimit -n \(limit.rlim_cur)) is too low to serve; raise it above 64")
            }
            if room < connections {
                printError("rehab serve: --max-connections lowered from \(connections) to \(room) to fit the open-file limit (ulimit -n \(limit.rlim_cur))")
                connections = room
            }
        }
        _ = try Clock.now()  // a broken REHAB_NOW is a usage error before the server starts
        var config = RehabServer.Configuration(patients: URL(fileURLWithPath: patients))
        config.host = host
        config.port = port
        config.baseURL = try LinkCommand.checkBaseURL(baseURL ?? "http://\(host.contains(":") ? "[\(host)]" : host):\(port)")
        // The webhook's state file goes beside the clinician file.
        config.alertWebhook = try webhook.settings(baseURL: baseURL.map { _ in config.baseURL }, clinicians: clinicians)
        config.postLimit = postsPerMinute
        config.headerTimeout = headerTimeout
        config.idleTimeout = idleTimeout
        config.maxConnections = connections
        config.now = { (try? Clock.now()) ?? Date() }
        config.clinic = try clinicSettings()
        let server = RehabServer(config)
        let base = config.baseURL
        let done = DispatchSemaphore(value: 0)
        let failure = ErrorBox()
        Task {
            do {
                try await server.run { port in
                    let line = "rehab serve: listening on http://\(host):\(port) (links use \(base))\n"
                    FileHandle.standardOutput.write(Data(line.utf8))
                }
            } catch { failure.error = error }
            done.signal()
        }
        done.wait()
        if let error = failure.error {
            throw CLIError(.io, "error: rehab serve stopped: \(error)")
        }
    }
}

extension ServeCommand {
    /// The clinic's settings, or nil without --clinicians. The clinician file must be
    /// readable and every line a clinician (65 naming the lines, never their text).
    func clinicSettings() throws -> ClinicSettings? {
        guard let clinicians else {
            let clinicFlags = [(insecureCookies ? "--insecure-cookies" : nil), trustedProxy.map { _ in "--trusted-proxy" }]
            if let flag = clinicFlags.compactMap({ $0 }).first {
                throw CLIError(.usage, "error: \(flag) needs --clinicians FILE")
            }
            return nil
        }
        let file: ClinicianFile?
        do { file = try ClinicianFile.read(path: clinicians) } catch {
            var invalid = error == .tooLarge
            if case .refused(let refusal) = error { invalid = refusal.isInvalidInput }
            throw CLIError(invalid ? .invalidInput : .io, "error: --clinicians \(clinicians): \(error.message)")
        }
        guard let file else {
            throw CLIError(.io, "error: --clinicians \(clinicians): no such file; create it with `rehab clinician add NAME --file \(clinicians) --password-stdin`")
        }
        if !file.problems.isEmpty {
            throw CLIError(.invalidInput, file.problems.map { "\(clinicians): \($0)" }.joined(separator: "\n"))
        }
        // The file holds password hashes: readable by its owner only, as `rehab clinician add` writes it.
        var info = stat()
        if lstat(clinicians, &info) == 0, info.st_mode & 0o077 != 0 {
            throw CLIError(.invalidInput, "error: --clinicians \(clinicians): others may read or change it; run chmod 600 on it")
        }
        if insecureCookies, !["127.0.0.1", "::1", "localhost"].contains(host) {
            throw CLIError(.usage, "error: --insecure-cookies is for tests on loopback only (--host 127.0.0.1 or ::1)")
        }
        if let trustedProxy, !Self.isIPAddress(trustedProxy) {
            throw CLIError(.usage, "error: --trusted-proxy \(trustedProxy.prefix(64)): give the proxy's IP address, e.g. 127.0.0.1")
        }
        var settings = ClinicSettings(clinicians: URL(fileURLWithPath: clinicians))
        settings.secureCookies = !insecureCookies
        settings.trustedProxy = trustedProxy
        let knobs: [(String, Double?, WritableKeyPath<ClinicSettings, TimeInterval>)] = [
            ("--test-lockout-window", testLockoutWindow, \.lockoutWindow),
            ("--test-lockout-duration", testLockoutDuration, \.lockoutDuration),
            ("--test-session-idle", testSessionIdle, \.sessionIdle),
            ("--test-session-lifetime", testSessionLifetime, \.sessionLifetime),
        ]
        for (flag, value, path) in knobs {
            guard let value else { continue }
            guard value >= 1, value <= 86_400 else { throw CLIError(.usage, "error: \(flag) \(value) is out of range; give 1 to 86400 seconds") }
            settings[keyPath: path] = value
        }
        return settings
    }

    static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}

private final class ErrorBox: @unchecked Sendable { var error: (any Error)? }
