import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import RehabFormat
import RehabKit
import RehabPages

/// The clinic's routes under `/clinic/`: sign-in and sign-out, the caseload, one patient's
/// page, the approve and resume forms, and the alerts JSON. Registered only when
/// `rehab serve` has a clinician file (else every `/clinic/` path is the router's 404).
///
/// Every route but the login page needs a live session (`ClinicSessions`), or answers 303
/// to the login page (alerts.json: 401). Every POST needs the session's CSRF token in its
/// `csrf` field, and an `Origin`, when the browser sends one, equal to the base URL's;
/// else 403 and nothing is written. Page views and actions go to the audit file
/// (`ClinicAudit`); the server's log names no clinician, patient, password or token.
struct Clinic: Sendable {
    let settings: ClinicSettings
    let roster: ClinicRoster
    let sessions: ClinicSessions
    let signIns: SignInGuard
    let audit: ClinicAudit
    let caseload: CaseloadStore
    /// The base URL's path prefix (`""` or `/rehab`), put before every path a browser is sent to.
    let prefix: String
    /// `scheme://host[:port]` of the base URL, the only `Origin` a POST may carry.
    let origin: String
    /// The port the server bound, for a base URL made from `--port 0` (which names no port
    /// a browser could use): its origin then has the bound port.
    let boundPort = BoundPort()
    let now: @Sendable () -> Date
    let logger: Logger

    static let maxFormBytes = 8 * 1024

    init(settings: ClinicSettings, caseload: CaseloadStore, baseURL: String, now: @escaping @Sendable () -> Date, logger: Logger) {
        self.settings = settings
        roster = ClinicRoster(path: settings.clinicians.path, logger: logger)
        prefix = PatientLink.pathPrefix(of: baseURL)
        origin = Self.origin(of: baseURL)
        sessions = ClinicSessions(path: prefix + "/clinic", secure: settings.secureCookies,
                                  idle: settings.sessionIdle, absolute: settings.sessionLifetime)
        signIns = SignInGuard(window: settings.lockoutWindow, lockFor: settings.lockoutDuration, delayStep: settings.failureDelay)
        audit = ClinicAudit(path: settings.auditFile.path)
        self.caseload = caseload
        self.now = now
        self.logger = logger
    }

    /// `scheme://host[:port]` of a URL, lower-cased, without a default port.
    static func origin(of url: String) -> String {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(), let host = parts.host?.lowercased() else {
            return ""
        }
        let shownHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        let defaultPort = (scheme == "https" && parts.port == 443) || (scheme == "http" && parts.port == 80)
        return "\(scheme)://\(shownHost)" + (parts.port.map { defaultPort ? "" : ":\($0)" } ?? "")
    }

    func register(on router: Router<ServerContext>) {
        let group = router.group("clinic").add(middleware: ClinicHeaders())
        let clinic = self
        group.get("login") { request, _ in await clinic.loginPage(request) }
        group.post("login") { request, context in await clinic.signIn(request, context: context) }
        group.post("logout") { request, _ in
            await clinic.withSession(request, post: true) { session, _ in await clinic.signOut(request, session) }
        }
        group.get("/") { request, _ in
            await clinic.withSession(request) { session, _ in await clinic.caseloadPage(session) }
        }
        group.get("patients/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await clinic.withSession(request) { session, _ in await clinic.patientPage(session, id: id) }
        }
        group.post("patients/:id/approve") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await clinic.withSession(request, post: true) { session, form in await clinic.approve(session, id: id, form: form) }
        }
        group.post("patients/:id/resume") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await clinic.withSession(request, post: true) { session, _ in await clinic.resume(session, id: id) }
        }
        group.get("alerts.json") { request, _ in
            guard let session = await clinic.session(request) else {
                return RehabServer.plain(.unauthorized, "Sign in at \(clinic.prefix)/clinic/login first.")
            }
            await clinic.record("view alerts", session)
            var response = RehabServer.plain(.ok, "")
            response.headers[.contentType] = "application/json; charset=utf-8"
            response.body = ResponseBody(byteBuffer: ByteBuffer(string: AlertsDocument.json(clinic.caseload.summaries(now: clinic.now()), asOf: nil)))
            return response
        }
        // Any other path under /clinic/ (a patient's token path under it included) is no
        // clinic page: 404, with or without a session, and with the clinic's headers.
        for method in [HTTPRequest.Method.get, .post, .head] {
            for path in ["**", "patients"] {
                group.on(RouterPath(path), method: method) { _, _ in RehabServer.plain(.notFound, "Not found.") }
            }
        }
    }

    // MARK: - Sessions, CSRF and Origin

    func session(_ request: Request) async -> ClinicSession? {
        await sessions.current(request, now: now(), line: { roster.hash(for: $0) })
    }

    /// Runs `body` for a signed-in clinician; without a session, 303 to the login page. For a
    /// POST the form is read and its `csrf` field and the `Origin` header checked first (403).
    func withSession(_ request: Request, post: Bool = false,
                     _ body: (ClinicSession, [String: String]) async -> Response) async -> Response {
        guard let session = await session(request) else { return redirect("/clinic/login") }
        guard post else { return await body(session, [:]) }
        guard originAllowed(request) else {
            await record("refused: foreign origin", session)
            return RehabServer.plain(.forbidden, "This form must be sent from the clinic's own pages.")
        }
        guard let form = await Self.form(request) else {
            return RehabServer.plain(.badRequest, "Send the form from the clinic's pages.")
        }
        guard let token = form["csrf"], ClinicSessions.sameToken(token, session.csrf) else {
            await record("refused: missing or wrong form token", session)
            return RehabServer.plain(.forbidden, "This form has expired or was not sent from the clinic's pages; reload the page and try again.")
        }
        return await body(session, form)
    }

    /// True when the request has no `Origin`, or the base URL's. `Origin: null` counts as
    /// none: it is what a browser sends for a form posted from a page whose
    /// `Referrer-Policy` is `no-referrer` (ours are: Fetch standard, "serializing a request
    /// origin"). The session cookie (`SameSite=Strict`) and the form's CSRF token still
    /// stand between such a request and any write.
    ///
    /// A browser's `Sec-Fetch-Site` is believed first: a form another site made the browser
    /// post (`cross-site`, `same-site`) is refused even when it carries `Origin: null`, so no
    /// other page can sign a clinician in as someone else or spend their sign-in attempts.
    func originAllowed(_ request: Request) -> Bool {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!]?.lowercased(), site != "same-origin", site != "none" {
            return false
        }
        guard let sent = request.headers[HTTPField.Name("Origin")!], sent != "null" else { return true }
        var expected = origin
        if expected.hasSuffix(":0"), let port = boundPort.value { expected = String(expected.dropLast()) + "\(port)" }
        return !expected.isEmpty && sent.lowercased() == expected
    }

    /// A urlencoded form of at most `maxFormBytes`, each field once; nil otherwise.
    static func form(_ request: Request) async -> [String: String]? {
        guard RehabServer.isFormContentType(request.headers[.contentType]) else { return nil }
        var request = request
        guard let buffer = try? await request.collectBody(upTo: maxFormBytes) else { return nil }
        var fields: [String: String] = [:]
        for pair in String(buffer: buffer).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = CheckInForm.decode(parts[0]), let value = CheckInForm.decode(parts.count == 2 ? parts[1] : ""),
                  fields[key] == nil else { return nil }
            fields[key] = value
        }
        return fields
    }

    func record(_ what: String, _ session: ClinicSession, patient: String? = nil, detail: String? = nil) async {
        await recordAs(what, by: session.name, patient: patient, detail: detail)
    }

    func recordAs(_ what: String, by name: String, patient: String? = nil, detail: String? = nil) async {
        if !(await audit.record(what, by: name, patient: patient, detail: detail, now: now())) {
            logger.error("clinic audit line could not be written")
        }
    }

    func redirect(_ local: String, cookie: Cookie? = nil) -> Response {
        var headers = HTTPFields()
        headers[.location] = prefix + local
        headers[.cacheControl] = "no-store"
        var response = Response(status: .seeOther, headers: headers)
        if let cookie { response.setCookie(cookie) }
        return response
    }

    // MARK: - Sign-in and sign-out

    /// A rendered page, or 500 when its template fails (nothing of the page is sent then).
    func page(_ status: HTTPResponse.Status, _ render: () throws(PageRenderer.PageError) -> String) -> Response {
        do { return RehabServer.html(status, try render()) } catch {
            logger.error("clinic page could not be rendered")
            return RehabServer.plain(.internalServerError, "This page cannot be shown right now.")
        }
    }

    func loginPage(_ request: Request, error: String? = nil, name: String = "", status: HTTPResponse.Status = .ok) async -> Response {
        if error == nil, await session(request) != nil { return redirect("/clinic/") }
        return page(status) { () throws(PageRenderer.PageError) in try ClinicPages.login(basePath: prefix, error: error, name: name) }
    }

    func signIn(_ request: Request, context: ServerContext) async -> Response {
        guard originAllowed(request) else {
            return RehabServer.plain(.forbidden, "Sign in from the clinic's own login page.")
        }
        guard let form = await Self.form(request) else {
            return await loginPage(request, error: "Give your name and password.", status: .badRequest)
        }
        let name = String((form["name"] ?? "").trimmingCharacters(in: .whitespaces).prefix(ClinicianFile.maxNameLength + 1))
        let password = form["password"] ?? ""
        let address = ClientAddress.of(request, peer: context.peer, trustedProxy: settings.trustedProxy)
        let start = now()
        switch signIns.begin(name: name, address: address, now: start) {
        case .locked:
            let minutes = Int((settings.lockoutDuration / 60).rounded(.up))
            return await loginPage(request, error: "Too many failed sign-ins from here. Try again in \(minutes) minutes.",
                                   status: .tooManyRequests)
        case .tooManyFromHere:
            return await loginPage(request, error: "Too many sign-ins from here. Wait a minute and try again.",
                                   status: .tooManyRequests)
        case nil: break
        }
        let delay = signIns.delay(name: name, now: start)
        if delay > 0 { try? await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000)) }
        let line = roster.hash(for: name)
        guard let matches = await ClinicPasswords.verify(password, hash: line) else {
            signIns.finish(name: name, address: address, succeeded: false, now: now())
            return await loginPage(request, error: "Signing in is busy right now; try again in a minute.", name: name,
                                   status: .serviceUnavailable)
        }
        guard matches, let line, !password.isEmpty else {
            let locked = signIns.finish(name: name, address: address, succeeded: false, now: now())
            // Not awaited, so a known name is refused as fast as an unknown one.
            if line != nil {
                let what = locked ? "sign-in refused; locked" : "sign-in refused"
                Task { await recordAs(what, by: name) }
            }
            logger.notice(locked ? "clinic sign-in refused; name and address locked" : "clinic sign-in refused")
            return await loginPage(request, error: "That name and password do not match.", name: name, status: .unauthorized)
        }
        signIns.finish(name: name, address: address, succeeded: true, now: now())
        _ = await sessions.end(request, now: now())  // a new id at every sign-in: the old one is dropped
        do {
            let cookie = try await sessions.start(name: name, line: line, now: now())
            await recordAs("sign-in", by: name)
            logger.info("clinic sign-in")
            return redirect("/clinic/", cookie: cookie)
        } catch {
            logger.error("clinic session could not be stored")
            return RehabServer.plain(.serviceUnavailable, "Signing in is not possible right now; try again.")
        }
    }

    func signOut(_ request: Request, _ session: ClinicSession) async -> Response {
        let cookie = await sessions.end(request, now: now())
        await record("sign-out", session)
        return redirect("/clinic/login", cookie: cookie)
    }

    // MARK: - Pages

    func caseloadPage(_ session: ClinicSession) async -> Response {
        let rows = caseload.summaries(now: now())
        await record("view caseload", session)
        return page(.ok) { () throws(PageRenderer.PageError) in
            try ClinicPages.caseload(rows: rows, basePath: prefix, signedInAs: session.name, csrf: session.csrf)
        }
    }

    func patientPage(_ session: ClinicSession, id: String) async -> Response {
        switch caseload.detail(id: id, now: now()) {
        case .notFound:
            return RehabServer.plain(.notFound, "Not found.")
        case .duplicate:
            await record("view patient; two files have this id", session, patient: id)
            return RehabServer.plain(.conflict, "Two patient files have this id; the caseload lists both as failed. Give one of them another id.")
        case .found(let detail):
            await record("view patient", session, patient: id)
            return page(.ok) { () throws(PageRenderer.PageError) in
                try ClinicPages.patient(detail: detail, basePath: prefix, csrf: session.csrf, signedInAs: session.name)
            }
        }
    }

    // MARK: - Actions

    enum Lookup {
        case found(ClinicianAction.Subject)
        /// No action possible; the answer to send.
        case answer(Response)
    }

    /// The patient behind `id` for an action, or the answer when there is none.
    func subject(_ id: String) -> Lookup {
        guard let file = caseload.patientFile(id: id) else {
            if case .duplicate = caseload.detail(id: id, now: now()) {
                return .answer(RehabServer.plain(.conflict, "Two patient files have this id; nothing was written."))
            }
            return .answer(RehabServer.plain(.notFound, "Not found."))
        }
        guard let loaded = try? LoadedPatient.load(file) else {
            return .answer(RehabServer.plain(.serviceUnavailable, "This patient's file cannot be read right now; nothing was written."))
        }
        // The file may have been edited since the caseload was read: write only to the
        // patient the page named.
        guard loaded.patient.id == id else {
            return .answer(RehabServer.plain(.conflict, "This patient's file changed while the page was open; nothing was written. Reload the page."))
        }
        return .found(ClinicianAction.Subject(patient: loaded.patient, program: loaded.program, library: loaded.library,
                                                zone: loaded.zone, logURL: loaded.logURL))
    }

    func approve(_ session: ClinicSession, id: String, form: [String: String]) async -> Response {
        let request: ClinicianAction.Request
        switch (form["exercise"].flatMap { $0.isEmpty ? nil : $0 }, form["stage"].flatMap { $0.isEmpty ? nil : $0 }) {
        case (let exercise?, nil): request = .exercise(exercise)
        case (nil, let stage?): request = .stage(stage)
        default: return RehabServer.plain(.badRequest, "Choose one exercise or one stage to approve.")
        }
        return await act(session, id: id, refused: "approve refused", logLine: "clinic approval saved") { subject, at, name throws(ClinicianAction.Failure) in
            switch try ClinicianAction.approve(request, by: name, at: at, for: subject).target {
            case .exercise(let e): "approve exercise \(e)"
            case .stage(let s): "approve stage \(s)"
            }
        }
    }

    func resume(_ session: ClinicSession, id: String) async -> Response {
        await act(session, id: id, refused: "resume refused", logLine: "clinic clearance saved") { subject, at, name throws(ClinicianAction.Failure) in
            try ClinicianAction.resume(by: name, at: at, for: subject)
            return "resume"
        }
    }

    /// Runs one action for `id` off the event loop, at the server's now in the patient's
    /// zone, under the clinician's name; audits it (`write` returns what it did, for the
    /// audit line) and answers 303 to the patient's page, or says why nothing was written.
    func act(_ session: ClinicSession, id: String, refused: String, logLine: String,
             _ write: @escaping @Sendable (ClinicianAction.Subject, LocalDateTime, String) throws(ClinicianAction.Failure) -> String) async -> Response {
        let subject: ClinicianAction.Subject
        switch self.subject(id) {
        case .answer(let answer): return answer
        case .found(let s): subject = s
        }
        let at = LocalDateTime.at(now(), in: subject.zone)
        let name = session.name
        let outcome: Result<String, ClinicianAction.Failure> = await Self.offLoop {
            do throws(ClinicianAction.Failure) { return .success(try write(subject, at, name)) } catch { return .failure(error) }
        }
        switch outcome {
        case .success(let what):
            await record(what, session, patient: id)
            logger.info("\(logLine)", metadata: RehabServer.handle(subject.logURL))
            return redirect("/clinic/patients/\(Self.pathSegment(id))")
        case .failure(let failure):
            await record(refused, session, patient: id)
            return refusal(failure, subject: subject)
        }
    }

    /// A refused action in words for the clinician (the file's path left out).
    func refusal(_ failure: ClinicianAction.Failure, subject: ClinicianAction.Subject) -> Response {
        guard case .log(let error) = failure else {
            return RehabServer.plain(.unprocessableContent, "Nothing was written: \(failure.message).")
        }
        switch error.kind {
        case .refused:
            return RehabServer.plain(.conflict, "Nothing was written: the plan is not stopped by a warning sign now, or the log changed meanwhile. Reload the patient's page.")
        default:
            logger.error("clinic action could not be written", metadata: RehabServer.handle(subject.logURL))
            return RehabServer.plain(.serviceUnavailable, "Nothing was written: this patient's log cannot be written right now.")
        }
    }

    /// Runs file work on a global queue, off the event loops.
    static func offLoop<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { (done: CheckedContinuation<T, Never>) in
            DispatchQueue.global().async { done.resume(returning: work()) }
        }
    }

    static func pathSegment(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? id
    }
}

/// The port the server listens on, once known.
final class BoundPort: @unchecked Sendable {
    private let lock = NSLock()
    private var port: Int?
    var value: Int? { lock.withLock { port } }
    func set(_ port: Int) { lock.withLock { self.port = port } }
}

/// The clinic pages' security headers on every answer under `/clinic/` (pages, redirects
/// and refusals alike); `X-Content-Type-Options` comes from the server's `SecurityHeaders`.
struct ClinicHeaders: RouterMiddleware {
    typealias Context = ServerContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        RehabServer.pageHeaders(&response.headers)
        return response
    }
}
