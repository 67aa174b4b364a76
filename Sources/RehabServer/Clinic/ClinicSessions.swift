import Foundation
import Hummingbird
import HummingbirdAuth

/// What the server keeps for a signed-in clinician (in memory, never on disk).
struct ClinicSession: Codable, Sendable {
    var name: String
    /// The hash on the clinician's line at sign-in: the session ends when the line changes.
    var line: String
    /// The token every POST under /clinic/ must carry in its `csrf` field.
    var csrf: String
    var started: Date
    var lastSeen: Date
}

/// Clinic sessions through hummingbird-auth's `SessionStorage` over Hummingbird's
/// `MemoryPersistDriver`. The storage makes the id (32 random bytes from the system's
/// generator, 256 bits, base64) and the cookie; its `SessionCookieParameters` carry
/// `Path=/clinic` (behind the base URL's path prefix), `SameSite=Strict` and `Secure`
/// (left out with `--insecure-cookies`), and hummingbird's `Cookie` sets `HttpOnly` by
/// default, so nothing is wrapped. `SessionMiddleware` is not used: its sessions have one
/// fixed lifetime, and ours also end after `idle` without a request, when the clinician's
/// line changes, and at a clock the tests can move, so this type loads, checks and
/// touches the session itself on each request.
///
/// A session ended (sign-out, a new sign-in) is also remembered by its CSRF token until it
/// could have expired anyway: a request that loaded it just before the end would otherwise
/// write it back when it touches it, and the old cookie would work again.
final class ClinicSessions: @unchecked Sendable {
    static let cookieName = "rehab_clinic"
    let driver: MemoryPersistDriver<ContinuousClock>
    private let storage: SessionStorage<ClinicSession>
    let idle: TimeInterval
    let absolute: TimeInterval
    private let lock = NSLock()
    private var ended: [String: Date] = [:]

    private func isEnded(_ session: ClinicSession) -> Bool { lock.withLock { ended[session.csrf] != nil } }

    init(path: String, secure: Bool, idle: TimeInterval, absolute: TimeInterval) {
        driver = MemoryPersistDriver()
        let cookie = SessionCookieParameters(name: Self.cookieName, path: path, secure: secure, sameSite: .strict)
        storage = SessionStorage(driver, configuration: .init(sessionCookieParameters: cookie, keyPrefix: "clinic."))
        self.idle = idle
        self.absolute = absolute
    }

    /// A new session for `name` (a new id and CSRF token each time); the cookie to set.
    func start(name: String, line: String, now: Date) async throws -> Cookie {
        let session = ClinicSession(name: name, line: line, csrf: Self.randomToken(), started: now, lastSeen: now)
        // The store forgets it after `absolute` at the latest; the checks in `current` are the rule.
        return try await storage.save(session: session, expiresIn: .seconds(max(1, Int64(absolute.rounded(.up)))))
    }

    /// The request's live session, touched (its idle time restarts), or nil. A session past
    /// its idle or absolute limit, or whose clinician's line is no longer `line(name)`, is
    /// removed.
    func current(_ request: Request, now: Date, line: (String) -> String?) async -> ClinicSession? {
        guard var session = try? await storage.load(request: request) else { return nil }
        let expired = now.timeIntervalSince(session.lastSeen) >= idle || now.timeIntervalSince(session.started) >= absolute
            || now < session.started
        guard !expired, !isEnded(session), let current = line(session.name), current == session.line else {
            _ = try? await storage.delete(request: request)
            return nil
        }
        session.lastSeen = now
        try? await storage.update(session: session, expiresIn: nil, request: request)
        // Ended while it was being touched: the write-back above must not revive it.
        if isEnded(session) {
            _ = try? await storage.delete(request: request)
            return nil
        }
        return session
    }

    /// Ends the request's session; the cookie that clears it in the browser.
    func end(_ request: Request, now: Date = Date()) async -> Cookie? {
        if let session = try? await storage.load(request: request) {
            lock.withLock {
                ended = ended.filter { now.timeIntervalSince($0.value) < absolute }
                ended[session.csrf] = now
            }
        }
        return try? await storage.delete(request: request)
    }

    /// 32 random bytes from the system's secure generator, as URL-safe base64 without padding.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Compares two tokens in time that depends only on their lengths.
    static func sameToken(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<x.count { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}
