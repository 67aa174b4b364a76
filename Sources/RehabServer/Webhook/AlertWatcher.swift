import Foundation
import Logging
import RehabKit

/// One patient as the watcher sees it: its id and the alerts in force on its own today
/// (from the caseload's `PatientSummary`).
public struct WatchedPatient: Sendable {
    public var id: String
    public var alerts: [Alert]
    public init(id: String, alerts: [Alert]) { self.id = id; self.alerts = alerts }
}

/// `rehab serve --alert-webhook-file`: watches every patient for a new `halted`,
/// `escalated` or `awaiting-approval` alert and posts each to the clinic's webhook once.
/// May touch: the caseload (read through the `summaries` closure), the delivery state
/// file (`DeliveryState`) and the transport; never a request's path.
///
/// Scans run every `period`, at every quarter hour of the clock (every zone's midnight
/// falls on one, so each patient's new local day is looked at when it starts), and soon
/// after `checkInSaved()`. An alert id not yet delivered is queued; each queued alert is
/// tried at once, then after `firstRetry`, doubling up to `longestRetry`, until a 2xx or
/// until `retryFor` has passed since its first try (then it is given up until the next
/// start, and the log says so). At most `parallel` posts are in flight. Every piece of
/// state lives on one serial queue; scans and posts never run on a request's task.
public final class AlertWatcher: @unchecked Sendable {
    /// The durations, from the server's configuration (tests shorten them).
    public struct Timing: Sendable, Equatable {
        public var period: TimeInterval = 60
        public var firstRetry: TimeInterval = 10
        public var longestRetry: TimeInterval = 600
        public var retryFor: TimeInterval = 3600
        /// One POST's limit, connecting included.
        public var attemptTimeout: TimeInterval = 10
        /// Delivered ids not in force for this long are forgotten.
        public var rememberFor: TimeInterval = 180 * 86_400
        public init() {}

        /// The wait before try number `attempt + 1`, after `attempt` failed tries.
        public func retryDelay(afterAttempts attempt: Int) -> TimeInterval {
            min(longestRetry, firstRetry * pow(2, Double(max(0, attempt - 1))))
        }

        /// Seconds from `now` to the next scan: the period, or less to land just after the
        /// next quarter hour of the clock; at least one second.
        public func nextScanDelay(now: Date) -> TimeInterval {
            let t = now.timeIntervalSince1970
            let toQuarter = (t / 900).rounded(.down) * 900 + 900 - t
            return max(1, min(period, toQuarter + 0.5))
        }
    }

    /// What the server hands in.
    public struct Settings: Sendable {
        public var target: WebhookTarget
        public var stateFile: URL
        /// The public base URL; alerts link to `<base>/clinic/patients/ID`.
        public var baseURL: String
        public var transport: any WebhookTransport
        public var state: DeliveryState
        public var timing = Timing()
        public var parallel = 4

        public init(target: WebhookTarget, stateFile: URL, baseURL: String, transport: any WebhookTransport,
                    state: DeliveryState) {
            self.target = target
            self.stateFile = stateFile
            self.baseURL = baseURL
            self.transport = transport
            self.state = state
        }
    }

    struct Pending {
        var message: AlertMessage
        var firstTry: DispatchTime?
        var attempts = 0
        var due: DispatchTime
        var inFlight = false
    }

    let settings: Settings
    let summaries: @Sendable (Date) -> [WatchedPatient]
    let now: @Sendable () -> Date
    let logger: Logger
    private let queue = DispatchQueue(label: "rehab.alert-webhook")
    // Owned by `queue`:
    private var state: DeliveryState
    private var pending: [String: Pending] = [:]
    private var givenUp: Set<String> = []
    private var scanQueued = false
    private var scanGeneration = 0
    private var pumpGeneration = 0
    private var started = false

    public init(settings: Settings, summaries: @escaping @Sendable (Date) -> [WatchedPatient],
                now: @escaping @Sendable () -> Date, logger: Logger) {
        self.settings = settings
        self.summaries = summaries
        self.now = now
        self.logger = logger
        state = settings.state
    }

    /// Starts the scans (the first at once). Calling it again does nothing.
    public func start() {
        queue.async { [self] in
            guard !started else { return }
            started = true
            HelperTransport.ignoreBrokenPipes()
            logger.info("alert webhook on", metadata: ["host": "\(settings.target.host)"])
            scan()
        }
    }

    /// A check-in was saved: scan soon (one scan for a burst), off the caller's path.
    public func checkInSaved() {
        queue.async { [self] in
            guard started, !scanQueued else { return }
            scanQueued = true
            queue.async { [self] in scan() }
        }
    }

    /// What the watcher holds now (for tests): delivered ids, queued ids, given-up ids.
    public func snapshot() -> (delivered: Set<String>, pending: Set<String>, givenUp: Set<String>) {
        queue.sync { (Set(state.delivered.keys), Set(pending.keys), givenUp) }
    }

    // MARK: - On the queue

    private func scan() {
        scanQueued = false
        let instant = now()
        var inForce: Set<String> = []
        for row in summaries(instant) {
            for alert in row.alerts {
                guard let message = AlertMessage(patient: row.id, alert: alert, baseURL: settings.baseURL) else { continue }
                inForce.insert(message.id)
                guard !state.contains(message.id), pending[message.id] == nil, !givenUp.contains(message.id) else { continue }
                pending[message.id] = Pending(message: message, due: .now())
                logger.info("alert queued for the webhook", metadata: ["kind": "\(alert.kind.rawValue)"])
            }
        }
        let before = state.delivered.count
        state.forget(deliveredBefore: instant.addingTimeInterval(-settings.timing.rememberFor), except: inForce)
        if state.delivered.count != before { save() }
        scanGeneration += 1
        let generation = scanGeneration
        queue.asyncAfter(deadline: .now() + settings.timing.nextScanDelay(now: instant)) { [self] in
            if generation == scanGeneration { scan() }
        }
        pump()
    }

    /// Starts every due post (up to `parallel` in flight) and sets a wake-up for the next.
    private func pump() {
        let clock = DispatchTime.now()
        var inFlight = pending.values.filter(\.inFlight).count
        for id in pending.keys.sorted() where inFlight < settings.parallel {
            guard var item = pending[id], !item.inFlight, item.due <= clock else { continue }
            item.inFlight = true
            item.attempts += 1
            if item.firstTry == nil { item.firstTry = clock }
            pending[id] = item
            inFlight += 1
            settings.transport.post(item.message.body, to: settings.target, timeout: settings.timing.attemptTimeout) { [self] outcome in
                queue.async { [self] in finished(id, outcome) }
            }
        }
        guard let next = pending.values.filter({ !$0.inFlight }).map(\.due).min() else { return }
        pumpGeneration += 1
        let generation = pumpGeneration
        queue.asyncAfter(deadline: max(next, .now())) { [self] in
            if generation == pumpGeneration { pump() }
        }
    }

    private func finished(_ id: String, _ outcome: DeliveryOutcome) {
        guard var item = pending[id] else { return }
        var metadata: Logger.Metadata = ["kind": "\(item.message.kind.rawValue)", "host": "\(settings.target.host)",
                                         "attempt": "\(item.attempts)"]
        switch outcome {
        case .delivered(let status):
            pending[id] = nil
            state.record(id, at: now())
            save()
            metadata["status"] = "\(status)"
            logger.info("alert delivered to the webhook", metadata: metadata)
        case .refused, .failed:
            switch outcome {
            case .refused(let status): metadata["status"] = "\(status)"
            case .failed(let why): metadata["reason"] = "\(why)"
            default: break
            }
            let clock = DispatchTime.now()
            let elapsed = Double(clock.uptimeNanoseconds - (item.firstTry ?? clock).uptimeNanoseconds) / 1e9
            let delay = settings.timing.retryDelay(afterAttempts: item.attempts)
            if elapsed + delay > settings.timing.retryFor {
                pending[id] = nil
                givenUp.insert(id)
                logger.error("alert webhook gave up on an alert; it is tried again after a restart", metadata: metadata)
            } else {
                item.inFlight = false
                item.due = clock + delay
                pending[id] = item
                metadata["retry_in_s"] = "\((delay * 10).rounded() / 10)"
                logger.warning("alert webhook failed; will retry", metadata: metadata)
            }
        }
        pump()
    }

    private func save() {
        do { try state.save(settings.stateFile) } catch {
            logger.error("alert webhook state file could not be written; a restart may send an alert again")
        }
    }
}
