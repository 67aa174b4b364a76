import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RehabFormat

/// A patient's secret link token: 256 random bits, base64url without padding (43
/// characters), kept beside the patient file as `<name>.token` with mode 0600.
///
/// ```swift
/// let token = try PatientLink.create(forPatientFile: url, rotate: false)
/// PatientLink.urls(token: token, baseURL: "https://rehab.example.org").feed
/// ```
public enum PatientLink {
    /// Length of a token in characters.
    public static let tokenLength = 43

    /// The token file for a patient file: same folder, extension replaced by `.token`.
    public static func tokenURL(forPatientFile patientFile: URL) -> URL {
        patientFile.deletingPathExtension().appendingPathExtension("token")
    }

    /// A fresh token from the system's secure random source.
    public static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        for _ in 0..<4 {
            let word = generator.next() as UInt64
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// True when `text` has a token's shape (43 base64url characters).
    public static func isWellFormed(_ text: some StringProtocol) -> Bool {
        text.utf8.count == tokenLength && text.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x5F
        }
    }

    /// The stored token, or nil when the patient has none (or the file is damaged, empty,
    /// a link, a pipe or anything but a regular file of its own).
    public static func read(forPatientFile patientFile: URL) -> String? {
        readIdentified(tokenURL(forPatientFile: patientFile).path)?.token
    }

    /// The token in the token file at `path` and that file's identity; the token is nil
    /// when the file is empty or holds no well-formed token (emptying it revokes the link).
    /// Nil when the file cannot be opened as a regular file.
    public static func readIdentified(_ path: String) -> (token: String?, identity: PrivateFile.Identity)? {
        guard case .success(let opened) = PrivateFile.openFile(path, O_RDONLY) else { return nil }
        defer { close(opened.fd) }
        guard case .success(let bytes) = PrivateFile.readAll(opened.fd, limit: 4096) else { return (nil, opened.identity) }
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return (isWellFormed(text) ? text : nil, opened.identity)
    }

    /// Returns the patient's token, creating one when there is none or when `rotate` is
    /// set (the old one then stops working). The file is replaced atomically, mode 0600.
    public static func create(forPatientFile patientFile: URL, rotate: Bool) throws -> (token: String, created: Bool) {
        if !rotate, let existing = read(forPatientFile: patientFile) { return (existing, false) }
        let token = newToken()
        try store(token, to: tokenURL(forPatientFile: patientFile))
        return (token, true)
    }

    /// Compares two strings in time that depends only on their lengths.
    public static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var diff = UInt8(truncatingIfNeeded: x.count ^ y.count)
        for i in 0..<max(x.count, y.count) {
            diff |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0)
        }
        return diff == 0
    }

    /// The links a patient needs, from the public base URL (`https://host[/prefix]`).
    public struct URLs: Sendable, Equatable {
        public var feed: String
        public var webcal: String
        public var google: String
        public var checkIn: String
    }

    /// The feed, webcal, Google "add by URL" and check-in links for `token`.
    public static func urls(token: String, baseURL: String) -> URLs {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        let feed = "\(base)/feeds/\(token)/calendar.ics"
        var webcal = feed
        for scheme in ["https://", "http://"] where webcal.hasPrefix(scheme) {
            webcal = "webcal://" + webcal.dropFirst(scheme.count)
        }
        var unreserved = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        unreserved.insert(charactersIn: "-._~")
        let cid = webcal.addingPercentEncoding(withAllowedCharacters: unreserved) ?? webcal
        return URLs(feed: feed, webcal: webcal, google: "https://calendar.google.com/calendar/r?cid=\(cid)",
                    checkIn: "\(base)/p/\(token)/check-in")
    }

    /// The path of a base URL (`https://host/rehab/` -> `/rehab`), without a trailing slash;
    /// empty when it has none. Links and form actions are made under it.
    public static func pathPrefix(of baseURL: String) -> String {
        guard let scheme = baseURL.range(of: "://") else { return "" }
        let rest = baseURL[scheme.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return "" }
        var path = String(rest[slash...])
        if let cut = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = String(path[..<cut]) }
        while path.hasSuffix("/") { path.removeLast() }
        return path
    }

    /// Why a token could not be stored.
    public struct LinkError: Error, CustomStringConvertible {
        public var description: String
    }

    private static func store(_ token: String, to url: URL) throws {
        let dir = url.deletingLastPathComponent().path
        let temp = "\(dir)/.\(url.lastPathComponent).\(getpid()).tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw LinkError(description: "\(url.path): cannot create the token file (\(String(cString: strerror(errno)))); check that the folder is writable")
        }
        let bytes = Array((token + "\n").utf8)
        var failure = PrivateFile.writeAll(fd, bytes)
        if failure == nil, fchmod(fd, 0o600) != 0 || fsync(fd) != 0 { failure = errno }
        close(fd)
        if failure == nil, rename(temp, url.path) != 0 { failure = errno }
        if let failure {
            let reason = String(cString: strerror(failure))
            unlink(temp)
            throw LinkError(description: "\(url.path): cannot write the token file (\(reason))")
        }
        let dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 { _ = fsync(dfd); close(dfd) }
    }
}
