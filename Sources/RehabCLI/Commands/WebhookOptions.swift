import ArgumentParser
import Foundation
import RehabServer

/// `rehab serve --alert-webhook-file FILE` and its test-only timing flags, checked before
/// the server starts (docs/webhook.md). May touch: the webhook file (read) and the
/// delivery state file (read, and created empty when missing, so that a folder it cannot
/// be written to is found at start).
struct WebhookOptions: ParsableArguments {
    @Option(name: .customLong("alert-webhook-file"),
            help: "A file (mode 0600) holding the https address that new halted, escalated and awaiting-approval alerts are posted to; needs --base-url.")
    var file: String?

    // Shortened timings for tests (docs/webhook.md, "Test-only flags").
    @Option(name: .customLong("test-webhook-period"), help: "Test only: seconds between alert checks (default 60).")
    var period: Double?
    @Option(name: .customLong("test-webhook-first-retry"), help: "Test only: seconds before an alert's first retry (default 10).")
    var firstRetry: Double?
    @Option(name: .customLong("test-webhook-retry-for"), help: "Test only: seconds an alert is retried (default 3600).")
    var retryFor: Double?
    @Option(name: .customLong("test-webhook-timeout"), help: "Test only: seconds one webhook POST may take (default 10).")
    var timeout: Double?

    /// The watcher's settings, or nil without `--alert-webhook-file`. `clinicians` is the
    /// clinician file (the state file goes beside it), `baseURL` the checked --base-url.
    func settings(baseURL: String?, clinicians: String?) throws -> AlertWatcher.Settings? {
        guard let file else {
            if [period, firstRetry, retryFor, timeout].contains(where: { $0 != nil }) {
                throw CLIError(.usage, "error: the --test-webhook-* flags need --alert-webhook-file")
            }
            return nil
        }
        guard let baseURL else {
            throw CLIError(.usage, "error: --alert-webhook-file needs --base-url: the alerts link to the clinic's pages at that address")
        }
        let target: WebhookTarget
        do { target = try WebhookTarget.read(path: file) } catch {
            throw CLIError(error.invalidInput ? .invalidInput : .io, "error: --alert-webhook-file \(file): \(error.message)")
        }
        let helper = URL(fileURLWithPath: PublishCommand.helperPath)
        guard FileManager.default.isExecutableFile(atPath: helper.path) else {
            throw CLIError(.io, "error: --alert-webhook-file needs \(helper.path), which posts the alerts and is missing; build all products (`swift build`) or install rehab-publish beside rehab")
        }
        let stateFile = DeliveryState.file(clinicians: clinicians, webhookFile: file)
        let state: DeliveryState
        do {
            state = try DeliveryState.load(stateFile)
            try state.save(stateFile)
        } catch let failure as DeliveryState.Failure {
            throw CLIError(failure.invalidInput ? .invalidInput : .io, "error: webhook state file \(stateFile.path): \(failure.message)")
        } catch {
            throw CLIError(.io, "error: webhook state file \(stateFile.path) cannot be written: \(error)")
        }
        var settings = AlertWatcher.Settings(target: target, stateFile: stateFile, baseURL: baseURL,
                                             transport: HelperTransport(helper: helper), state: state)
        let limits: [(String, Double?, ClosedRange<Double>, WritableKeyPath<AlertWatcher.Timing, TimeInterval>)] = [
            ("--test-webhook-period", period, 0.1...3600, \.period),
            ("--test-webhook-first-retry", firstRetry, 0.1...3600, \.firstRetry),
            ("--test-webhook-retry-for", retryFor, 0.1...86_400, \.retryFor),
            ("--test-webhook-timeout", timeout, 1...600, \.attemptTimeout),
        ]
        for (name, value, range, path) in limits {
            guard let value else { continue }
            guard range.contains(value) else {
                throw CLIError(.usage, "error: \(name) \(value) is out of range; give \(range.lowerBound) to \(range.upperBound) seconds")
            }
            settings.timing[keyPath: path] = value
        }
        settings.timing.longestRetry = max(settings.timing.firstRetry, min(settings.timing.longestRetry, settings.timing.retryFor))
        return settings
    }
}
