import Foundation
import Logging
import RehabKit
import Testing
@testable import RehabServer

/// The alert webhook's parts without a network: the address file's checks, alert ids and
/// bodies, the delivery state file, the timing, and the watcher against a fake transport.
/// (The real server, binary and receiver: Tests/RehabCLITests/WebhookTests.swift.)
@Suite("alert webhook: parts")
struct WebhookUnitTests {
    static let day = LocalDate(year: 2026, month: 11, day: 20)!

    func temporaryFolder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rehab-webhook-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    // MARK: the address

    @Test func httpsAnywhereAndHttpOnlyToThisMachine() throws {
        for ok in ["https://hooks.example.org/services/T0/B0/secret", "http://127.0.0.1:9000/hook", "http://127.8.9.1/x",
                   "http://localhost:80/hook?key=1", "http://[::1]:8080/hook", "  https://a.example.org/h  \n\n"] {
            #expect(throws: Never.self, "\(ok)") { try WebhookTarget.parse(ok) }
        }
        #expect(try WebhookTarget.parse("http://127.0.0.1:9000/hook?secret=s3").host == "127.0.0.1:9000")
        for bad in ["http://example.org/hook?secret=s3cr3t", "http://127.0.0.1.evil.org/path-secret", "http://128.0.0.1/path-secret",
                    "http://127.0.0.300/path-secret", "ftp://example.org/path-secret", "https://user:pw@example.org/path-secret",
                    "https://example.org/path-secret#frag", "", "https://a.example.org/path-secret\nhttps://b.example.org/",
                    "not an address"] {
            do {
                _ = try WebhookTarget.parse(bad)
                Issue.record("accepted \(bad)")
            } catch {
                #expect(error.invalidInput)
                #expect(!error.message.contains("secret") && !error.message.contains("s3cr3t") && !error.message.contains("pw"),
                        "the message shows the path or query: \(error.message)")
            }
        }
    }

    @Test func theFileMustBeTheOwnersAlone() throws {
        let dir = try temporaryFolder()
        let file = dir.appendingPathComponent("hook")
        try Data("https://hooks.example.org/secret\n".utf8).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        #expect(try WebhookTarget.read(path: file.path).host == "hooks.example.org")
        for loose in [0o640, 0o604, 0o620] {
            try FileManager.default.setAttributes([.posixPermissions: loose], ofItemAtPath: file.path)
            #expect(throws: WebhookTarget.Refusal.self) { try WebhookTarget.read(path: file.path) }
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        let link = dir.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: file)
        do { _ = try WebhookTarget.read(path: link.path); Issue.record("a link was followed") } catch {
            #expect(error.message.contains("symbolic link"))
        }
    }

    // MARK: ids and bodies

    @Test func idsAreTheAlertsIdentityAndTheBodyHoldsNoPatientText() throws {
        let glide = Alert(kind: .awaitingApproval, since: Self.day, exercise: "nerve-glide", text: "nerve-glide is ready for 5 reps")
        let halt = Alert(kind: .halted, since: Self.day, text: "Halted by a warning sign reported on 2026-11-20 (fever)")
        #expect(AlertMessage.id(patient: "p-0001", alert: halt) == "p-0001:halted:2026-11-20")
        #expect(AlertMessage.id(patient: "p-0001", alert: glide) == "p-0001:awaiting-approval:nerve-glide:2026-11-20")
        var later = halt
        later.since = Self.day + 3
        later.text = "other words"
        #expect(AlertMessage.id(patient: "p-0001", alert: later) == "p-0001:halted:2026-11-23")
        #expect(AlertMessage(patient: "p-0001", alert: Alert(kind: .redDay, since: Self.day, text: "Red pain"), baseURL: "https://x") == nil)
        #expect(AlertMessage(patient: "p-0001", alert: Alert(kind: .noReports, since: Self.day, text: "-"), baseURL: "https://x") == nil)

        let message = try #require(AlertMessage(patient: "p-0001", alert: halt, baseURL: "https://clinic.example.org/rehab/"))
        let body = String(decoding: message.body, as: UTF8.self)
        #expect(body == #"{"id":"p-0001:halted:2026-11-20","kind":"halted","patient":"p-0001","since":"2026-11-20","#
                + #""text":"Plan halted by a warning sign: a clinician must clear it.","clinic_url":"https://clinic.example.org/rehab/clinic/patients/p-0001"}"#)
        #expect(!body.contains("fever"))
        for kind in Alert.Kind.allCases {
            #expect(!AlertMessage.text(kind).contains { $0.isNumber }, "a number in \(kind)'s words")
        }
    }

    // MARK: the state file

    @Test func theStateFileRoundTripsPrivatelyAndRefusesDamage() throws {
        let dir = try temporaryFolder()
        let file = DeliveryState.file(clinicians: dir.appendingPathComponent("clinicians").path, webhookFile: "/elsewhere/hook")
        #expect(file.lastPathComponent == "clinicians.webhook-sent")
        #expect(DeliveryState.file(clinicians: nil, webhookFile: "/etc/rehab/hook").path == "/etc/rehab/hook.webhook-sent")
        #expect(try DeliveryState.load(file) == DeliveryState())  // none yet: empty
        var state = DeliveryState()
        state.record("p-0001:halted:2026-11-20", at: Date(timeIntervalSince1970: 1_795_000_000))
        state.record("p-0002:escalated:2026-11-02", at: Date(timeIntervalSince1970: 1_780_000_000))
        try state.save(file)
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try DeliveryState.load(file) == state)
        state.forget(deliveredBefore: Date(timeIntervalSince1970: 1_790_000_000), except: [])
        #expect(state.delivered.keys.sorted() == ["p-0001:halted:2026-11-20"])
        var kept = try DeliveryState.load(file)
        kept.forget(deliveredBefore: Date(timeIntervalSince1970: 1_790_000_000), except: ["p-0002:escalated:2026-11-02"])
        #expect(kept.delivered.count == 2)  // still in force: remembered

        try Data("{\"version\":1,\"delivered\":[{\"id\":3}]}".utf8).write(to: file)
        #expect(throws: DeliveryState.Failure.self) { try DeliveryState.load(file) }
        try FileManager.default.removeItem(at: file)
        try FileManager.default.createSymbolicLink(at: file, withDestinationURL: dir.appendingPathComponent("elsewhere"))
        #expect(throws: DeliveryState.Failure.self) { try DeliveryState.load(file) }
    }

    // MARK: timing

    @Test func retriesDoubleToTheLongestAndScansLandOnQuarterHours() {
        var timing = AlertWatcher.Timing()
        #expect((1...8).map { timing.retryDelay(afterAttempts: $0) } == [10, 20, 40, 80, 160, 320, 600, 600])
        timing.period = 60
        // 23:59:30 UTC: the next scan is just after midnight, not 60 s later.
        let late = Date(timeIntervalSince1970: 1_795_219_170)  // 2026-11-20T23:59:30Z
        #expect(timing.nextScanDelay(now: late) == 30.5)
        #expect(timing.nextScanDelay(now: Date(timeIntervalSince1970: 1_795_218_000)) == 60)
        // A zone 5:45 ahead has its midnight at 18:15 UTC: a quarter hour too.
        let nepal = Date(timeIntervalSince1970: 1_795_198_500 - 20)  // 2026-11-20T18:14:40Z
        #expect(timing.nextScanDelay(now: nepal) == 20.5)
    }

    /// The companion's exit status and output read as the watcher needs them: only a 2xx
    /// with exit 0 is a delivery; a 3xx is an answer that failed.
    @Test func theHelpersAnswerIsReadStrictly() {
        #expect(HelperTransport.outcome(exit: 0, signalled: false, output: "204\n") == .delivered(status: 204))
        #expect(HelperTransport.outcome(exit: 1, signalled: false, output: "302\n") == .refused(status: 302))
        #expect(HelperTransport.outcome(exit: 0, signalled: false, output: "302\n") != .delivered(status: 302))
        #expect(HelperTransport.outcome(exit: 2, signalled: false, output: "no answer: timed out\n") == .failed("no answer: timed out"))
        #expect(HelperTransport.outcome(exit: 9, signalled: true, output: "") == .failed("the helper was stopped"))
        #expect(HelperTransport.outcome(exit: 0, signalled: false, output: "") == .failed("the helper failed (exit 0)"))
    }

    // MARK: the watcher

    @Test func aNewAlertIsPostedOnceAndRetriedUntilTaken() async throws {
        let dir = try temporaryFolder()
        let transport = FakeTransport(answers: [.refused(status: 500), .failed("timed out"), .refused(status: 302)])
        let rows = Rows()
        var settings = AlertWatcher.Settings(
            target: try WebhookTarget.parse("https://hooks.example.org/x"), stateFile: dir.appendingPathComponent("state"),
            baseURL: "https://clinic.example.org", transport: transport, state: DeliveryState())
        settings.timing.period = 0.2
        settings.timing.firstRetry = 0.05
        let watcher = AlertWatcher(settings: settings, summaries: { _ in rows.get() }, now: { Date() },
                                   logger: Logger(label: "test"))
        watcher.start()
        try await Task.sleep(for: .milliseconds(500))
        #expect(transport.bodies.isEmpty)  // nothing in force
        rows.set([WatchedPatient(id: "p-0001", alerts: [
            Alert(kind: .halted, since: Self.day, text: "fever"),
            Alert(kind: .redDay, since: Self.day, text: "Red pain"),
        ])])
        watcher.checkInSaved()
        try await waitUntil { watcher.snapshot().delivered.count == 1 }
        try await Task.sleep(for: .milliseconds(600))  // a few more scans
        #expect(transport.bodies.count == 4)  // 500, no answer, 302, then 200
        #expect(Set(transport.bodies).count == 1)
        #expect(watcher.snapshot().pending.isEmpty)
        #expect(try DeliveryState.load(settings.stateFile).contains("p-0001:halted:2026-11-20"))

        // A new watcher on the same state file (a restart) sends nothing.
        settings.state = try DeliveryState.load(settings.stateFile)
        let again = AlertWatcher(settings: settings, summaries: { _ in rows.get() }, now: { Date() }, logger: Logger(label: "test"))
        again.start()
        try await Task.sleep(for: .milliseconds(600))
        #expect(transport.bodies.count == 4)
    }

    @Test func aWebhookThatNeverTakesItIsGivenUpAfterRetryFor() async throws {
        let dir = try temporaryFolder()
        let transport = FakeTransport(answers: Array(repeating: .refused(status: 503), count: 1000))
        var settings = AlertWatcher.Settings(
            target: try WebhookTarget.parse("https://hooks.example.org/x"), stateFile: dir.appendingPathComponent("state"),
            baseURL: "https://clinic.example.org", transport: transport, state: DeliveryState())
        settings.timing.period = 0.1
        settings.timing.firstRetry = 0.05
        settings.timing.longestRetry = 0.1
        settings.timing.retryFor = 0.5
        let rows = Rows()
        rows.set([WatchedPatient(id: "p-0002", alerts: [Alert(kind: .escalated, since: Self.day, text: "flare")])])
        let watcher = AlertWatcher(settings: settings, summaries: { _ in rows.get() }, now: { Date() },
                                   logger: Logger(label: "test"))
        watcher.start()
        try await waitUntil { watcher.snapshot().givenUp.count == 1 }
        let tries = transport.bodies.count
        // Retried at least once before giving up, and backing off (a busy machine may get
        // fewer tries into the half second, never more than a dozen).
        #expect((2...12).contains(tries), "\(tries) tries in half a second")
        try await Task.sleep(for: .milliseconds(500))
        #expect(transport.bodies.count == tries)  // not queued again while in force
        #expect(watcher.snapshot().delivered.isEmpty)
    }

    func waitUntil(seconds: Double = 10, _ condition: () -> Bool) async throws {
        let end = Date().addingTimeInterval(seconds)
        while !condition() {
            guard Date() < end else { Issue.record("not within \(seconds) s"); return }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// Answers with `answers` in turn, then 200; keeps every body.
final class FakeTransport: WebhookTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var answers: [DeliveryOutcome]
    private var _bodies: [Data] = []
    init(answers: [DeliveryOutcome]) { self.answers = answers }
    var bodies: [Data] { lock.withLock { _bodies } }

    func post(_ body: Data, to target: WebhookTarget, timeout: TimeInterval,
              completion: @escaping @Sendable (DeliveryOutcome) -> Void) {
        let outcome = lock.withLock { () -> DeliveryOutcome in
            _bodies.append(body)
            return answers.isEmpty ? .delivered(status: 200) : answers.removeFirst()
        }
        DispatchQueue.global().async { completion(outcome) }
    }
}

/// The caseload a test hands the watcher.
final class Rows: @unchecked Sendable {
    private let lock = NSLock()
    private var rows: [WatchedPatient] = []
    func get() -> [WatchedPatient] { lock.withLock { rows } }
    func set(_ new: [WatchedPatient]) { lock.withLock { rows = new } }
}
