import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import RehabFormat
import RehabKit
@testable import RehabServer

/// A temporary patients folder with one linked patient (`p.yaml`, Europe/Berlin, the
/// shipped lumbar-decompression program) and a server over it with a fixed clock.
struct ServerFixture {
    static let now = Date(timeIntervalSince1970: 1_795_163_400)  // 2026-11-20T08:30:00Z
    let dir: URL
    let token: String
    var config: RehabServer.Configuration

    init(postLimit: Int = 30) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("rehab-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let yaml = """
        version: 1
        id: p-0001
        program: lumbar-decompression
        procedure: discectomy
        surgery_date: 2026-11-02
        start_date: 2026-11-09
        timezone: Europe/Berlin

        """
        let patientFile = dir.appendingPathComponent("p.yaml")
        try Data(yaml.utf8).write(to: patientFile)
        token = try PatientLink.create(forPatientFile: patientFile, rotate: false).token
        config = RehabServer.Configuration(patients: dir)
        config.port = 0
        config.baseURL = "https://rehab.example.org"
        config.postLimit = postLimit
        config.now = { ServerFixture.now }
        // The whole suite shares two busy cores: a live test's client may wait long between
        // connecting and sending. The timeouts are tested on their own (ServeLimitsTests).
        config.headerTimeout = 600
        config.idleTimeout = 600
    }

    var patientFile: URL { dir.appendingPathComponent("p.yaml") }
    var logURL: URL { dir.appendingPathComponent("p.painlog") }
    var feedPath: String { "/feeds/\(token)/calendar.ics" }
    var checkInPath: String { "/p/\(token)/check-in" }
    var logEntries: [LogEntry] { (try? PainLogStore.read(from: logURL).entries) ?? [] }
    var logText: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    func server() -> RehabServer { RehabServer(config) }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}

extension TestClientProtocol {
    /// POSTs a urlencoded form.
    func post(_ uri: String, form: String, contentType: String = "application/x-www-form-urlencoded") async throws -> TestResponse {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: form))
    }

    /// POSTs a check-in form and, when it answers `303 See Other`, GETs the confirmation
    /// (less `prefix`, the base URL's path a proxy would strip). The POST's status, the
    /// page's text.
    func postFollowing(_ uri: String, form: String, prefix: String = "",
                       contentType: String = "application/x-www-form-urlencoded") async throws -> (status: HTTPResponse.Status, text: String) {
        let posted = try await post(uri, form: form, contentType: contentType)
        guard posted.status == .seeOther, let location = posted.headers[.location] else { return (posted.status, posted.text) }
        let local = location.hasPrefix(prefix) ? String(location.dropFirst(prefix.count)) : location
        return (posted.status, try await get(local).text)
    }

    func get(_ uri: String, _ headers: HTTPFields = [:]) async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: headers)
    }
}

/// Collects every log message and its metadata, at every level.
final class LogRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var text: String { lock.lock(); defer { lock.unlock() }; return lines.joined(separator: "\n") }
    func add(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }

    var logger: Logger {
        var logger = Logger(label: "test") { _ in Handler(recorder: self) }
        logger.logLevel = .trace
        return logger
    }

    struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?,
                 source: String, file: String, function: String, line: UInt) {
            recorder.add("\(level) \(message) \(metadata.merging(extra ?? [:]) { $1 })")
        }
    }
}
