import Foundation
#if canImport(Glibc)
import Glibc
#endif
import HTTPTypes
import NIOCore
import Hummingbird
import HummingbirdCore
import Logging
import RehabFormat
import RehabKit
import RehabPages

/// `rehab serve`: each linked patient's calendar feed and pain check-in page over HTTP.
///
/// Routes: `GET/HEAD /feeds/{token}/calendar.ics`, `GET/POST /p/{token}/check-in`,
/// `GET /p/{token}/check-in/saved/{receipt}` (CheckInPage.swift), and with a clinician file
/// the clinic's pages under `/clinic/` (Clinic/ClinicRoutes.swift). Everything else is 404; nothing lists a folder. Unknown tokens get 404. Responses and
/// logs never carry a patient's data beyond what the page shows to the link's holder.
public struct RehabServer: Sendable {
    public struct Configuration: Sendable {
        public var patients: URL
        public var host: String = "127.0.0.1"
        public var port: Int = 8080
        /// The public address links are made from (`https://host[/prefix]`).
        public var baseURL: String = "http://127.0.0.1:8080"
        /// Days in a feed, from today in the patient's zone.
        public var feedDays: Int = 28
        /// Check-in POSTs allowed per token in each `postWindow`.
        public var postLimit: Int = 30
        public var postWindow: TimeInterval = 60
        /// Seconds a new connection has to send its first request head, and a request its body.
        public var headerTimeout: Int = 10
        /// Seconds a kept-alive connection may wait for its next request.
        public var idleTimeout: Int = 30
        /// Open connections at most; more are closed at once (keep it below the open-file limit).
        public var maxConnections: Int = 512
        /// The current instant (a hook for tests).
        public var now: @Sendable () -> Date = { Date() }
        /// The clinic's pages (`--clinicians FILE`); nil serves none (every `/clinic/` path is 404).
        public var clinic: ClinicSettings?
        /// Where new alerts are posted (`--alert-webhook-file`); nil posts none.
        public var alertWebhook: AlertWatcher.Settings?

        public init(patients: URL) { self.patients = patients }
    }

    public let configuration: Configuration
    let directory: PatientDirectory
    let feeds: FeedBuilder
    let limiter: RateLimiter
    let patients = PatientCache()
    let writer = LogWriter()
    let receipts = ReceiptBook()
    let warningMemo = WarningMemo()
    /// The served folder planned patient by patient: one cache for the clinic pages,
    /// `/clinic/alerts.json` and the alert webhook.
    let caseload: CaseloadStore
    let alertWatcher: AlertWatcher?

    public init(_ configuration: Configuration) {
        self.configuration = configuration
        directory = PatientDirectory(folder: configuration.patients, logger: Logger(label: "rehab.serve"))
        feeds = FeedBuilder(days: configuration.feedDays)
        limiter = RateLimiter(limit: configuration.postLimit, window: configuration.postWindow)
        let caseload = CaseloadStore(folder: configuration.patients)
        self.caseload = caseload
        // The webhook's watcher scans the caseload off the request path.
        alertWatcher = configuration.alertWebhook.map { settings in
            var log = Logger(label: "rehab.serve")
            log.logLevel = .info
            return AlertWatcher(settings: settings, summaries: { caseload.summaries(now: $0).map { WatchedPatient(id: $0.id, alerts: $0.alerts) } }, now: configuration.now, logger: log)
        }
    }

    /// The application, ready to run or to test. `onRunning` gets the bound port.
    public func application(logger: Logger? = nil,
                            onRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol {
        var log = logger ?? Logger(label: "rehab.serve")
        if logger == nil { log.logLevel = .info }
        directory.log(to: log)
        let router = Router(context: ServerContext.self)
        router.add(middleware: SecurityHeaders())
        let server = self
        let feedLogger = log
        router.get("/feeds/:token/calendar.ics") { request, context in
            server.feedResponse(request, token: context.parameters.get("token") ?? "", head: false, logger: feedLogger)
        }
        router.head("/feeds/:token/calendar.ics") { request, context in
            server.feedResponse(request, token: context.parameters.get("token") ?? "", head: true, logger: feedLogger)
        }
        router.get("/p/:token/check-in") { _, context in
            server.formResponse(token: context.parameters.get("token") ?? "", logger: feedLogger)
        }
        router.get("/p/:token/check-in/saved/:receipt") { _, context in
            server.savedResponse(token: context.parameters.get("token") ?? "", receipt: context.parameters.get("receipt") ?? "")
        }
        router.post("/p/:token/check-in") { request, context in
            await server.postResponse(request, token: context.parameters.get("token") ?? "", logger: feedLogger)
        }
        let clinic = configuration.clinic.map {
            Clinic(settings: $0, caseload: caseload, baseURL: configuration.baseURL, now: configuration.now, logger: log)
        }
        clinic?.register(on: router)
        let counter = ConnectionCounter(limit: configuration.maxConnections)
        let headerTimeout = TimeAmount.seconds(Int64(configuration.headerTimeout))
        let http1 = HTTP1Channel.Configuration(
            additionalChannelHandlers: [ConnectionGuard(counter: counter, headerTimeout: headerTimeout)],
            idleTimeout: .seconds(Int64(configuration.idleTimeout)))
        return Application(
            router: router,
            server: .http1(configuration: http1),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            services: clinic.map { [$0.sessions.driver] } ?? [],
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                clinic?.boundPort.set(port)
                await onRunning(port)
            },
            logger: log)
    }

    /// Runs until SIGINT or SIGTERM.
    public func run(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        alertWatcher?.start()
        if configuration.clinic != nil, alertWatcher == nil {
            // Plan the caseload once in the background, so the first clinician to sign in
            // does not wait for every patient to be planned (the webhook's first check
            // does the same when it runs).
            let caseload = self.caseload, now = configuration.now
            DispatchQueue.global(qos: .utility).async { _ = caseload.summaries(now: now()) }
        }
        try await application(onRunning: onRunning).runService()
    }

    // MARK: - Handlers

    func urls(_ token: String) -> PatientLink.URLs { PatientLink.urls(token: token, baseURL: configuration.baseURL) }

    func feedResponse(_ request: Request, token: String, head: Bool, logger: Logger) -> Response {
        guard let file = directory.patientFile(forToken: token) else { return Self.plain(.notFound, "Not found.") }
        let feed: FeedBuilder.Feed
        do {
            let patient = try patients.load(file)
            feed = try feeds.feed(for: patient, token: token, checkInURL: urls(token).checkIn, now: configuration.now())
        } catch {
            logger.error("feed could not be built", metadata: Self.failureMetadata(error, file: file))
            return Self.plain(.serviceUnavailable, "The calendar cannot be made right now; the clinic has been told.")
        }
        var headers = HTTPFields()
        headers[.eTag] = feed.etag
        headers[.lastModified] = HTTPDate.format(feed.lastModified)
        headers[.cacheControl] = "private, max-age=300"
        if Self.notModified(request.headers, etag: feed.etag, lastModified: feed.lastModified) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = "text/calendar; charset=utf-8"
        let bytes = ByteBuffer(string: feed.body)
        headers[.contentLength] = String(bytes.readableBytes)
        return Response(status: .ok, headers: headers, body: head ? ResponseBody() : ResponseBody(byteBuffer: bytes))
    }

    /// RFC 9110: If-None-Match wins; otherwise If-Modified-Since at or after Last-Modified.
    static func notModified(_ headers: HTTPFields, etag: String, lastModified: Date) -> Bool {
        if let match = headers[.ifNoneMatch] {
            return match.split(separator: ",").contains { tag in
                let t = tag.trimmingCharacters(in: .whitespaces)
                return t == "*" || t == etag || t == "W/" + etag
            }
        }
        if let since = headers[.ifModifiedSince], let date = HTTPDate.parse(since) {
            return lastModified <= date
        }
        return false
    }

    /// A check-in POST. The form is read first; a report with a warning sign is then always
    /// saved and answered with its advice (whatever the rate limit, its other fields or
    /// earlier damage in the log), and identical ones within `warningMemo`'s window are
    /// answered each time but stored once. The rate limit counts the other saved reports only.
    func postResponse(_ request: Request, token: String, logger: Logger) async -> Response {
        guard let file = directory.patientFile(forToken: token) else { return Self.plain(.notFound, "Not found.") }
        guard Self.isFormContentType(request.headers[.contentType]) else {
            return notice(.badRequest, "Your report was not saved", ["Send the form from the check-in page."], token: token)
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: CheckInForm.maxBodyBytes)
        } catch {
            return notice(.badRequest, "Your report was not saved", ["The report is too large; keep the note short."], token: token)
        }
        let body = String(buffer: buffer)
        var formProblem: String?
        let draft: ReportDraft
        do { draft = try CheckInForm.draft(from: body) } catch {
            // A form the page would refuse still carries its warning signs: keep those.
            guard let salvaged = Self.warningSigns(inForm: body) else {
                return notice(.badRequest, "Your report was not saved", [error.message], token: token)
            }
            draft = salvaged
            formProblem = error.message
        }
        // Before the program is known: each sign in words with its default advice.
        let advice = draft.knownFlags.filter(\.halts).map { "\(SignWords.words($0)): \($0.defaultAdvice)" }
        let patient: LoadedPatient
        do { patient = try patients.load(file) } catch {
            logger.error("check-in patient unreadable", metadata: Self.failureMetadata(error, file: file))
            return notice(.serviceUnavailable, "Your report was not saved",
                          ["Reports cannot be saved right now; try again later or call your clinic."], advice: advice, token: token)
        }
        let rules = ReportDraft.Rules(program: patient.program, library: patient.library, zone: patient.zone,
                                      now: configuration.now(), fieldPrefix: "")
        let programAdvice = CheckInPages.adviceLines(for: draft.knownFlags, program: patient.program,
                                                     contacts: Self.contacts(of: patient))
        let accepted: ReportDraft.Accepted
        switch draft.check(rules) {
        case .refused(let problems):
            // A sign it named is still said in words (a warning sign never reaches here: it is saved).
            return notice(.badRequest, "Your report was not saved", problems.map { CheckInForm.message(for: $0) },
                          advice: programAdvice, contacts: Self.contacts(of: patient), token: token)
        case .accepted(let a): accepted = a
        }
        let halting = accepted.report.flags.contains(where: \.halts)
        var dropped = accepted.dropped.map(CheckInForm.message(for:))
        if let formProblem { dropped.insert("Only your warning signs were saved: \(formProblem)", at: 0) }
        let now = configuration.now()
        // A 303 to the confirmation page (a receipt kept in memory), made only when answered.
        let saved = { savedRedirect(token: token, report: accepted.report, dropped: dropped) }
        if halting {
            if warningMemo.seen(token: token, report: accepted.report, now: now) {
                logger.info("check-in warning sign repeated; stored once")
                return saved()
            }
        } else if !limiter.allow(token, now: now) {
            return notice(.tooManyRequests, "Too many reports in a short time",
                          ["Your report was not saved. Wait a minute and send it again.",
                           "A warning sign is always saved: send it whenever you have one."],
                          contacts: Self.contacts(of: patient), token: token)
        }
        do {
            try await writer.append(.report(accepted.report), to: patient.logURL, patient: patient.patient.id)
        } catch {
            // A warning sign is kept even after a damaged line (as `rehab log` does), so
            // that it stops the plan once the log is repaired; anything else is refused.
            var kept = false
            if error.kind == .damaged && halting {
                do {
                    try PainLogStore.append(.report(accepted.report), to: patient.logURL, patient: patient.patient.id,
                                            keepingDamage: true)
                    kept = true
                } catch {}
            }
            var metadata = Self.handle(file)
            metadata["kind"] = "\(error.kind)"
            logger.error(kept ? "check-in saved after a damaged log line" : "check-in could not be saved", metadata: metadata)
            if !kept {
                return notice(.serviceUnavailable, "Your report was not saved",
                              ["Your report could not be saved; try again later or call your clinic."],
                              advice: programAdvice, contacts: Self.contacts(of: patient), token: token)
            }
        }
        if halting { warningMemo.remember(token: token, report: accepted.report, now: now) }
        logger.info("check-in saved")
        alertWatcher?.checkInSaved()  // the webhook's scan soon, never awaited here
        return saved()
    }

    /// The warning signs of a form that `CheckInForm` refused (an unknown or repeated field,
    /// a broken escape elsewhere), as a draft with nothing else; nil when it names none.
    static func warningSigns(inForm body: String) -> ReportDraft? {
        var draft = ReportDraft()
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, CheckInForm.decode(parts[0]) == "flag",
                  let value = CheckInForm.decode(parts[1])?.trimmingCharacters(in: .whitespacesAndNewlines),
                  let flag = RedFlag(rawValue: value), flag.halts else { continue }
            draft.flags.append(value)
        }
        return draft.flags.isEmpty ? nil : draft
    }

    /// `application/x-www-form-urlencoded`, exactly, with parameters after `;` allowed.
    static func isFormContentType(_ value: String?) -> Bool {
        guard let value else { return false }
        let type = value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return type.trimmingCharacters(in: .whitespaces).lowercased() == "application/x-www-form-urlencoded"
    }

    static func reason(_ error: any Error) -> String {
        (error as? LoadedPatient.LoadError)?.reason ?? "calendar export failed"
    }

    /// Names a patient file in the server's log by a stable handle that says nothing about
    /// the patient: its inode number (`find DIR -inum N` finds the file).
    static func handle(_ file: URL) -> Logger.Metadata {
        var info = stat()
        guard lstat(file.path, &info) == 0 else { return ["file_inode": "none"] }
        return ["file_inode": "\(info.st_ino)"]
    }

    /// The reason and the file's handle, for a log line about a patient who cannot be served.
    static func failureMetadata(_ error: any Error, file: URL) -> Logger.Metadata {
        var metadata = handle(file)
        metadata["reason"] = "\(reason(error))"
        return metadata
    }

    /// A path on this server as the patient's browser must ask for it: behind the base
    /// URL's path prefix (`https://clinic.example.org/rehab` -> `/rehab/p/...`).
    func path(_ local: String) -> String { PatientLink.pathPrefix(of: configuration.baseURL) + local }

    static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text + "\n")))
    }

    static func html(_ status: HTTPResponse.Status, _ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        pageHeaders(&headers)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// The headers of every page a person reads (check-in and clinic pages): no caching,
    /// nothing loaded from elsewhere, no framing, no referrer. `X-Content-Type-Options`
    /// is added to every answer by `SecurityHeaders`.
    static func pageHeaders(_ headers: inout HTTPFields) {
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
    }
}

/// On every answer, also the router's own 404s: `X-Content-Type-Options: nosniff`, and
/// 400 for a request without `Host` (HTTP/1.1 requires one; rehab asks it of every request).
struct SecurityHeaders: RouterMiddleware {
    typealias Context = ServerContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        if request.head.authority == nil {
            response = RehabServer.plain(.badRequest, "Bad request: no Host header.")
        } else {
            do { response = try await next(request, context) } catch let error as HTTPError {
                response = RehabServer.plain(error.status, error.status == .notFound ? "Not found." : error.status.reasonPhrase)
            }
        }
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        return response
    }
}

/// Per-token fixed-window counter for check-in POSTs.
final class RateLimiter: @unchecked Sendable {
    let limit: Int
    let window: TimeInterval
    private let lock = NSLock()
    private var windows: [String: (start: Date, count: Int)] = [:]

    init(limit: Int, window: TimeInterval) { self.limit = limit; self.window = window }

    func allow(_ key: String, now: Date) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if windows.count > 10_000 { windows = windows.filter { now.timeIntervalSince($0.value.start) < window } }
        var entry = windows[key] ?? (now, 0)
        if now.timeIntervalSince(entry.start) >= window || now < entry.start { entry = (now, 0) }
        entry.count += 1
        windows[key] = entry
        return entry.count <= limit
    }
}

/// HTTP dates (IMF-fixdate, RFC 9110).
enum HTTPDate {
    private static let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Sun, 06 Nov 1994 08:49:37 GMT`, without a formatter (it is on every feed answer).
    static func format(_ date: Date) -> String {
        let t = Int(date.timeIntervalSince1970.rounded(.down))
        let dayNumber = t >= 0 ? t / 86_400 : (t - 86_399) / 86_400
        let secs = t - dayNumber * 86_400
        let civil = LocalDate(daysSinceEpoch: dayNumber).components
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let weekday = days[((dayNumber % 7) + 7) % 7]
        return "\(weekday), \(two(civil.day)) \(months[civil.month - 1]) \(civil.year) "
            + "\(two(secs / 3600)):\(two(secs / 60 % 60)):\(two(secs % 60)) GMT"
    }

    static func parse(_ text: String) -> Date? {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return f.date(from: text)
    }
}
