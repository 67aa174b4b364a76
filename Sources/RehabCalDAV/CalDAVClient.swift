import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A small blocking WebDAV/CalDAV client on URLSession, with HTTP Basic authentication.
///
/// The password is only ever put in the Authorization header: no message, error or log
/// line carries it (nor the URL's user info, which is refused up front).
public struct CalDAVClient: Sendable {
    /// A request that failed: what was being done, the address and the status (0 when no
    /// answer came). The description is safe to print.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var doing: String
        public var url: String
        public var status: Int
        public var detail: String

        public var description: String {
            let answer = status == 0 ? "no answer (\(detail))" : "HTTP \(status) \(HTTPURLResponse.localizedString(forStatusCode: status))"
            let hint: String
            switch status {
            case 0: hint = "check the address and that the server is running"
            case 401: hint = "check --user and the password in the environment variable"
            case 403: hint = "the user may not write there; check the calendar address and the server's rights"
            case 404, 409: hint = "check the calendar address (its parent collection must exist)"
            case 412: hint = "the calendar changed on the server meanwhile; run rehab publish again"
            default: hint = detail.isEmpty ? "see the server's log" : detail
            }
            return "\(doing): \(url) gave \(answer); \(hint)"
        }
    }

    public struct Reply: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: Data
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    let authorization: String
    let timeout: TimeInterval

    public init(user: String, password: String, timeout: TimeInterval = 30) {
        authorization = "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        self.timeout = timeout
    }

    /// Sends one request and waits for the answer. Throws `Failure` (status 0) when no
    /// answer came; any status is returned, for the caller to judge.
    public func send(_ method: String, _ url: URL, headers: [String: String] = [:], body: Data? = nil,
                     doing: String) throws(Failure) -> Reply {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalAndRemoteCacheData, timeoutInterval: timeout)
        request.httpMethod = method
        request.setValue(authorization, forHTTPHeaderField: "Authorization")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        let box = ReplyBox()
        let done = DispatchSemaphore(value: 0)
        let task = Self.session.dataTask(with: request) { data, response, error in
            if let http = response as? HTTPURLResponse {
                var fields: [String: String] = [:]
                for (k, v) in http.allHeaderFields {
                    if let k = k as? String, let v = v as? String { fields[k.lowercased()] = v }
                }
                box.set(reply: Reply(status: http.statusCode, headers: fields, body: data ?? Data()))
            } else {
                box.set(error: error.map { ($0 as NSError).localizedDescription } ?? "no HTTP answer")
            }
            done.signal()
        }
        Self.challenges.watch(task.taskIdentifier)
        defer { Self.challenges.forget(task.taskIdentifier) }
        task.resume()
        // URLSession's own timeout covers a silent connection; this bound covers the rest
        // (a stalled callback), so a call can never block forever.
        if done.wait(timeout: .now() + timeout + 5) == .timedOut {
            task.cancel()
            throw Failure(doing: doing, url: Self.display(url), status: 0, detail: "no answer within \(Int(timeout)) s")
        }
        // A 401 is answered by cancelling the challenge (see `ChallengeRefuser`): report it
        // as the server's answer, which it was.
        if box.reply == nil, let status = Self.challenges.status(of: task.taskIdentifier) {
            return Reply(status: status, headers: [:], body: Data())
        }
        guard let reply = box.reply else {
            throw Failure(doing: doing, url: Self.display(url), status: 0, detail: box.error ?? "no answer")
        }
        return reply
    }

    /// `url` without user info, query or fragment, for messages.
    public static func display(_ url: URL) -> String {
        guard var parts = URLComponents(url: url, resolvingAgainstBaseURL: true) else { return "the server" }
        parts.user = nil
        parts.password = nil
        parts.query = nil
        parts.fragment = nil
        return parts.string ?? "the server"
    }

    private static let session: URLSession = {
        let config = URLSessionConfiguration.ephemeral
        config.urlCache = nil
        config.httpCookieStorage = nil
        config.httpShouldSetCookies = false
        return URLSession(configuration: config, delegate: challenges, delegateQueue: nil)
    }()

    private static let challenges = ChallengeRefuser()
}

/// One request's outcome, written by URLSession's queue and read after the semaphore.
private final class ReplyBox: @unchecked Sendable {
    private let lock = NSLock()
    private var _reply: CalDAVClient.Reply?
    private var _error: String?
    var reply: CalDAVClient.Reply? { lock.withLock { _reply } }
    var error: String? { lock.withLock { _error } }
    func set(reply: CalDAVClient.Reply) { lock.withLock { _reply = reply } }
    func set(error: String) { lock.withLock { _error = error } }
}

/// Answers every authentication challenge (a 401) by cancelling it, so the request ends
/// at once; the refused status is kept for the caller. (Left to its default handling,
/// swift-corelibs-foundation never completed such a task, and the call hung.)
private final class ChallengeRefuser: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    private let lock = NSLock()
    private var statuses: [Int: Int?] = [:]

    func watch(_ id: Int) { lock.withLock { statuses[id] = .some(nil) } }
    func forget(_ id: Int) { lock.withLock { _ = statuses.removeValue(forKey: id) } }
    func status(of id: Int) -> Int? { lock.withLock { statuses[id] ?? nil } }

    func urlSession(_ session: URLSession, task: URLSessionTask, didReceive challenge: URLAuthenticationChallenge,
                    completionHandler: @escaping (URLSession.AuthChallengeDisposition, URLCredential?) -> Void) {
        let status = (challenge.failureResponse as? HTTPURLResponse)?.statusCode ?? 401
        lock.withLock { if statuses[task.taskIdentifier] != nil { statuses[task.taskIdentifier] = .some(status) } }
        completionHandler(.cancelAuthenticationChallenge, nil)
    }
}

/// One `<response>` of a WebDAV multistatus answer.
public struct DAVEntry: Sendable, Equatable {
    public var href: String
    public var etag: String?
    public var isCollection: Bool
    public var isCalendar: Bool
}

/// Reads a WebDAV `multistatus` body (RFC 4918): each response's href, and from its
/// 200 propstat the getetag and resourcetype.
public enum MultiStatus {
    public static func parse(_ data: Data) -> [DAVEntry]? {
        let delegate = Reader()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.delegate = delegate
        guard parser.parse() else { return nil }
        return delegate.entries
    }

    private final class Reader: NSObject, XMLParserDelegate {
        var entries: [DAVEntry] = []
        var text = ""
        var href: String?
        var etag: String?
        var status = ""
        var propEtag: String?
        var collection = false, calendar = false, propCollection = false, propCalendar = false
        var inResourceType = false

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            text = ""
            switch name {
            case "response": href = nil; etag = nil; collection = false; calendar = false
            case "propstat": status = ""; propEtag = nil; propCollection = false; propCalendar = false
            case "resourcetype": inResourceType = true
            case "collection" where inResourceType: propCollection = true
            case "calendar" where inResourceType && namespaceURI == "urn:ietf:params:xml:ns:caldav": propCalendar = true
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            switch name {
            case "href" where href == nil: href = value
            case "getetag": propEtag = value.isEmpty ? nil : value
            case "status": status = value
            case "resourcetype": inResourceType = false
            case "propstat":
                if status.contains(" 200 ") || status.hasSuffix(" 200") {
                    etag = propEtag ?? etag
                    collection = collection || propCollection
                    calendar = calendar || propCalendar
                }
            case "response":
                if let href { entries.append(DAVEntry(href: href, etag: etag, isCollection: collection, isCalendar: calendar)) }
            default: break
            }
            text = ""
        }
    }
}
