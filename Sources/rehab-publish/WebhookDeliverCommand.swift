import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import RehabCLI

/// `rehab-publish deliver-webhook --timeout S` (hidden; run by `rehab serve
/// --alert-webhook-file`, one process per try): posts one alert to the clinic's webhook.
/// May touch: the network, one request.
///
/// Standard input holds the address on its first line and the JSON body after it (so
/// neither shows in `ps`); the server has checked the address (https, or http to
/// loopback). Redirects are refused, not followed: a 3xx is the answer. Prints the
/// status and exits 0 for 2xx, 1 for any other status, 2 when no answer came (then a
/// short reason, never the address, is printed instead).
struct WebhookDeliverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rehab-publish deliver-webhook",
        abstract: "Post one alert to the clinic's webhook (run by rehab serve; not for direct use).",
        shouldDisplay: false
    )

    @Option(help: "Seconds to wait for the answer, connecting included.") var timeout: Int = 10

    func run() throws {
        let input = FileHandle.standardInput.readDataToEndOfFile()
        guard (1...600).contains(timeout), let newline = input.firstIndex(of: UInt8(ascii: "\n")),
              let url = URL(string: String(decoding: input[..<newline], as: UTF8.self)),
              let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
            print("no answer: bad input")
            throw ExitCode(2)
        }
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalAndRemoteCacheData,
                                 timeoutInterval: TimeInterval(timeout))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("rehab-alerts", forHTTPHeaderField: "User-Agent")
        request.httpBody = Data(input[input.index(after: newline)...])
        let config = URLSessionConfiguration.ephemeral
        config.urlCache = nil
        config.httpCookieStorage = nil
        config.httpShouldSetCookies = false
        config.timeoutIntervalForRequest = TimeInterval(timeout)
        config.timeoutIntervalForResource = TimeInterval(timeout)
        let session = URLSession(configuration: config, delegate: RedirectRefuser(), delegateQueue: nil)
        let box = AnswerBox()
        let done = DispatchSemaphore(value: 0)
        session.dataTask(with: request) { _, response, error in
            box.set(status: (response as? HTTPURLResponse)?.statusCode, error: error)
            done.signal()
        }.resume()
        guard done.wait(timeout: .now() + .seconds(timeout + 2)) == .success, let status = box.status else {
            print("no answer: \(Self.reason(box.error))")
            throw ExitCode(2)
        }
        print(status)
        if !(200...299).contains(status) { throw ExitCode(1) }
    }

    /// A short reason for no answer, without the address.
    static func reason(_ error: (any Error)?) -> String {
        guard let error = error as? URLError else { return error == nil ? "timed out" : "failed" }
        switch error.code {
        case .timedOut: return "timed out"
        case .cannotFindHost, .dnsLookupFailed: return "host not found"
        case .cannotConnectToHost, .networkConnectionLost, .notConnectedToInternet: return "cannot connect"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
             .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot: return "TLS failed"
        default: return "error \(error.code.rawValue)"
        }
    }
}

/// Answers every redirect with "do not follow": the 3xx itself reaches the completion.
private final class RedirectRefuser: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}

private final class AnswerBox: @unchecked Sendable {
    private let lock = NSLock()
    private var _status: Int?
    private var _error: (any Error)?
    var status: Int? { lock.withLock { _status } }
    var error: (any Error)? { lock.withLock { _error } }
    func set(status: Int?, error: (any Error)?) { lock.withLock { _status = status; _error = error } }
}
