import Foundation
#if canImport(Glibc)
import Glibc
#endif
import RehabFormat

/// Where `rehab serve --alert-webhook-file FILE` sends alerts: the address read from FILE
/// and checked once at start. May touch: that one file (read through `PrivateFile`).
///
/// The address lives in a file because a URL on the command line shows in `ps`, and chat
/// webhooks carry their secret in the path. So: the file must be a regular file (no link)
/// that only its owner may read or write (mode 0600 or stricter; a looser file is refused,
/// as ssh refuses a loose key), holding one `https://` address, or `http://` to this
/// machine only (127.0.0.0/8, ::1, localhost). No message and no log line ever shows the
/// path or query of the address: `host` is all that is named.
public struct WebhookTarget: Sendable, Equatable {
    public var url: URL
    /// The host alone, for messages and logs.
    public var host: String

    /// Why a webhook file was refused: `message` is safe to print (it never holds the
    /// address's path or query), `invalidInput` says 65 rather than 74.
    public struct Refusal: Error, Sendable, Equatable {
        public var message: String
        public var invalidInput: Bool
    }

    /// Reads and checks the file at `path`.
    public static func read(path: String) throws(Refusal) -> WebhookTarget {
        let opened: PrivateFile.Opened
        switch PrivateFile.openFile(path, O_RDONLY) {
        case .success(let o): opened = o
        case .failure(let refusal): throw Refusal(message: refusal.message, invalidInput: refusal.isInvalidInput)
        }
        defer { close(opened.fd) }
        var info = stat()
        guard fstat(opened.fd, &info) == 0 else { throw Refusal(message: "cannot read the file's permissions", invalidInput: false) }
        if info.st_mode & 0o077 != 0 {
            let mode = String(info.st_mode & 0o777, radix: 8)
            throw Refusal(message: "the file may be read or changed by others (mode \(mode)); it holds a secret address: chmod 600 it",
                          invalidInput: true)
        }
        let bytes: [UInt8]
        switch PrivateFile.readAll(opened.fd, limit: 4096) {
        case .success(let b): bytes = b
        case .failure(.tooLarge): throw Refusal(message: "the file is larger than 4 KiB; it should hold one address", invalidInput: true)
        case .failure(.io(let code)): throw Refusal(message: "cannot read the file: \(String(cString: strerror(code)))", invalidInput: false)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Refusal(message: "the file is not UTF-8 text; it should hold one address", invalidInput: true)
        }
        return try parse(text)
    }

    /// Checks the file's text: one address on one line (blank lines and spaces around it
    /// are ignored).
    public static func parse(_ text: String) throws(Refusal) -> WebhookTarget {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard lines.count == 1, let line = lines.first else {
            throw Refusal(message: lines.isEmpty ? "the file is empty; write the webhook's https address in it"
                                                 : "the file holds \(lines.count) lines; write exactly one address",
                          invalidInput: true)
        }
        guard let parts = URLComponents(string: line), let scheme = parts.scheme?.lowercased(),
              let host = parts.host, !host.isEmpty, let url = parts.url else {
            throw Refusal(message: "the file does not hold an address; write it like https://chat.example.org/hooks/...", invalidInput: true)
        }
        let shown = parts.port.map { "\(host):\($0)" } ?? host
        guard parts.user == nil, parts.password == nil else {
            throw Refusal(message: "the address for \(shown) carries a user name or password; rehab sends none, use the address your service gives",
                          invalidInput: true)
        }
        guard parts.fragment == nil else {
            throw Refusal(message: "the address for \(shown) has a #fragment, which is never sent; remove it", invalidInput: true)
        }
        switch scheme {
        case "https": break
        case "http" where isLoopback(host): break
        case "http":
            throw Refusal(message: "the address for \(shown) uses http; alerts go only over https (plain http only to this machine: 127.0.0.1, ::1, localhost)",
                          invalidInput: true)
        default:
            throw Refusal(message: "the address for \(shown) is not an https address", invalidInput: true)
        }
        return WebhookTarget(url: url, host: shown)
    }

    /// `localhost`, `::1` or an IPv4 literal in 127.0.0.0/8 (a name that merely starts
    /// with "127." is not one).
    static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if h == "localhost" || h == "::1" || h == "0:0:0:0:0:0:0:1" { return true }
        let octets = h.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets[0] == "127" else { return false }
        return octets.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && part.allSatisfy(\.isNumber) && Int(part)! <= 255
        }
    }
}
