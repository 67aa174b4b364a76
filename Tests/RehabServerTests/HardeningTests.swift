import Foundation
#if canImport(Glibc)
import Glibc
#endif
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RehabFormat
import RehabKit
@testable import RehabServer
import Testing

/// The second hardening round's findings for `rehab serve`, each as it was reproduced:
/// warning signs and the rate limit, files that are not what they seem, a foreign log,
/// token files, Last-Modified, headers and the server's log.
@Suite("rehab serve: hardening, round 2")
struct ServeHardeningTests {
    static let ordinary = "pain=1&when=after"

    // MARK: 13 - a warning sign is never answered with 429

    @Test func aWarningSignIsSavedAfterTheRateLimitIsReached() async throws {
        let f = try ServerFixture(postLimit: 2)
        try await f.server().application().test(.router) { client async throws in
            #expect(try await client.post(f.checkInPath, form: Self.ordinary).status == .seeOther)
            #expect(try await client.post(f.checkInPath, form: "pain=2&when=during").status == .seeOther)
            #expect(try await client.post(f.checkInPath, form: "pain=3&when=after").status == .tooManyRequests)
            let sign = try await client.postFollowing(f.checkInPath, form: "flag=chest-pain")
            #expect(sign.status == .seeOther)
            #expect(sign.text.contains("emergency"))
        }
        #expect(f.logEntries.count == 3)
        #expect(f.logText.contains("\"flags\":[\"chest-pain\"]"))
    }

    @Test func invalidPostsDoNotCountAgainstTheLimit() async throws {
        let f = try ServerFixture(postLimit: 2)
        try await f.server().application().test(.router) { client async throws in
            for _ in 0..<5 { #expect(try await client.post(f.checkInPath, form: "pain=99&when=after").status == .badRequest) }
            for _ in 0..<3 { #expect(try await client.post(f.checkInPath, form: "flag=fever&note=again").status == .seeOther) }
            #expect(try await client.post(f.checkInPath, form: Self.ordinary).status == .seeOther)
            #expect(try await client.post(f.checkInPath, form: "pain=2&when=after").status == .seeOther)
            #expect(try await client.post(f.checkInPath, form: "pain=3&when=after").status == .tooManyRequests)
        }
        #expect(f.logEntries.count == 3)  // the fever report once, two ordinary ones
    }

    /// Identical warning-sign reports within a minute: answered each time, stored once; a
    /// different one, or the same a minute later, is stored.
    @Test func identicalWarningSignsAreStoredOnce() async throws {
        var fixture = try ServerFixture()
        let clock = TestClock(ServerFixture.now)
        fixture.config.now = { clock.now }
        let f = fixture
        let server = f.server()
        try await server.application().test(.router) { client async throws in
            for _ in 0..<4 {
                let r = try await client.postFollowing(f.checkInPath, form: "flag=breathlessness")
                #expect(r.status == .seeOther)
                #expect(r.text.contains("emergency"))
            }
            #expect(try await client.post(f.checkInPath, form: "flag=breathlessness&flag=fever").status == .seeOther)
            clock.advance(61)
            #expect(try await client.post(f.checkInPath, form: "flag=breathlessness").status == .seeOther)
        }
        #expect(f.logEntries.count == 3)
    }

    /// A field the page does not know, or a repeated one, does not cost a warning sign.
    @Test func aWarningSignSurvivesAFormThePageWouldRefuse() async throws {
        let f = try ServerFixture()
        try await f.server().application().test(.router) { client async throws in
            let r = try await client.postFollowing(f.checkInPath, form: "flag=saddle-numbness&admin=1&pain=3&pain=4")
            #expect(r.status == .seeOther)
            #expect(r.text.contains("emergency"))
        }
        guard case .report(let report)? = f.logEntries.first else { Issue.record("not saved"); return }
        #expect(report.flags == [.saddleNumbness])
    }

    // MARK: 1 and 2 - a pain log that is a link or a pipe

    @Test func aSymlinkedLogIsNeitherWrittenNorRead() async throws {
        let f = try ServerFixture()
        let outside = f.dir.deletingLastPathComponent().appendingPathComponent("outside-\(UUID().uuidString)")
        try Data("root:x:0:0:root:/root:/bin/bash\n".utf8).write(to: outside)
        defer { try? FileManager.default.removeItem(at: outside) }
        try FileManager.default.createSymbolicLink(at: f.logURL, withDestinationURL: outside)
        let recorder = LogRecorder()
        try await f.server().application(logger: recorder.logger).test(.router) { client async throws in
            let sign = try await client.post(f.checkInPath, form: "flag=fever")
            #expect(sign.status == .serviceUnavailable)
            #expect(sign.text.contains("surgical team") || sign.text.contains("clinic"))
            #expect(try await client.post(f.checkInPath, form: Self.ordinary).status == .serviceUnavailable)
            #expect(try await client.get(f.feedPath).status == .serviceUnavailable)
        }
        #expect(try String(contentsOf: outside, encoding: .utf8) == "root:x:0:0:root:/root:/bin/bash\n")
        #expect(!recorder.text.contains("root:x"))
    }

    @Test func aPipeAsLogOrTokenNeverBlocksTheServer() async throws {
        let f = try ServerFixture()
        #expect(mkfifo(f.logURL.path, 0o600) == 0)
        // A second patient whose token file is a pipe.
        let other = f.dir.appendingPathComponent("q.yaml")
        try Data(try String(contentsOf: f.patientFile, encoding: .utf8).replacingOccurrences(of: "p-0001", with: "p-0002").utf8).write(to: other)
        #expect(mkfifo(f.dir.appendingPathComponent("q.token").path, 0o600) == 0)
        let server = f.server()
        // What a request does, on a thread of its own (not the test pool, which a busy suite
        // can starve), bounded: the token lookup reads every token file, the feed reads the
        // log, a check-in appends to it. Before the fix each of these waited for a writer.
        let finished = DispatchSemaphore(value: 0)
        let results = Outcome()
        let thread = Thread {
            let file = server.directory.patientFile(forToken: f.token)
            var refused = 0
            if let file, let patient = try? server.patients.load(file) {
                do { _ = try server.feeds.feed(for: patient, token: f.token, checkInURL: "x", now: ServerFixture.now) } catch { refused += 1 }
                let report = PainReport(at: LocalDateTime.at(ServerFixture.now, in: patient.zone), pain: 1, when: .after)
                do { try PainLogStore.append(.report(report), to: patient.logURL, patient: "p-0001") } catch { refused += 1 }
            }
            results.set(refused == 2 ? nil : Refusals(count: refused))
            finished.signal()
        }
        thread.start()
        #expect(finished.wait(timeout: .now() + 60) == .success, "a request blocked on a named pipe")
        #expect(results.done && results.error == nil, "the pipe was not refused: \(String(describing: results.error))")
        guard results.done else { return }
        try await f.server().application().test(.router) { client async throws in
            for _ in 0..<3 { #expect(try await client.get(f.feedPath).status == .serviceUnavailable) }
            #expect(try await client.post(f.checkInPath, form: Self.ordinary).status == .serviceUnavailable)
            #expect(try await client.get("/feeds/\(PatientLink.newToken())/calendar.ics").status == .notFound)
        }
    }

    struct Refusals: Error { var count: Int }

    // MARK: 3 - the feed checks the log's owner

    @Test func aForeignLogGivesNoFeed() async throws {
        let f = try ServerFixture()
        let foreign = PainLogLine.header(patient: "p-9999") + "\n"
            + #"{"at":"2026-11-19T09:30","when":"after","flags":["chest-pain"]}"# + "\n"
        try Data(foreign.utf8).write(to: f.logURL)
        try await f.server().application().test(.router) { client async throws in
            let feed = try await client.get(f.feedPath)
            #expect(feed.status == .serviceUnavailable)
            #expect(!feed.text.contains("STOP"))
        }
    }

    // MARK: 4 - token files

    @Test func emptyingATokenFileRevokesTheLinkAtOnce() async throws {
        let f = try ServerFixture()
        let tokenFile = PatientLink.tokenURL(forPatientFile: f.patientFile)
        try await f.server().application().test(.router) { client async throws in
            #expect(try await client.get(f.feedPath).status == .ok)
            try Data().write(to: tokenFile, options: [])  // in place: the folder does not change
            #expect(try await client.get(f.feedPath).status == .notFound)
            #expect(try await client.get(f.checkInPath).status == .notFound)
        }
    }

    @Test func twoLinksWithOneTokenAreBothRefusedAndLogged() async throws {
        let f = try ServerFixture()
        let other = f.dir.appendingPathComponent("q.yaml")
        try Data(try String(contentsOf: f.patientFile, encoding: .utf8).replacingOccurrences(of: "p-0001", with: "p-0002").utf8).write(to: other)
        try FileManager.default.copyItem(at: PatientLink.tokenURL(forPatientFile: f.patientFile),
                                         to: PatientLink.tokenURL(forPatientFile: other))
        let recorder = LogRecorder()
        try await f.server().application(logger: recorder.logger).test(.router) { client async throws in
            #expect(try await client.get(f.feedPath).status == .notFound)
            #expect(try await client.post(f.checkInPath, form: Self.ordinary).status == .notFound)
        }
        #expect(f.logEntries.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: f.dir.appendingPathComponent("q.painlog").path))
        #expect(recorder.text.contains("share one token"))
        #expect(!recorder.text.contains(f.token))
    }

    // MARK: 5 - Last-Modified moves whenever the ETag does

    @Test func aChangeInTheSameSecondIsNotAnswered304() async throws {
        let f = try ServerFixture()
        try await f.server().application().test(.router) { client async throws in
            let first = try await client.get(f.feedPath)
            let stamp = try #require(first.headers[.lastModified])
            #expect(try await client.post(f.checkInPath, form: "flag=chest-pain").status == .seeOther)
            // The log's mtime lands in the same second as the patient file's, as in the report.
            let seconds = try #require(HTTPDate.parse(stamp)).timeIntervalSince1970
            for file in [f.patientFile, f.logURL] {
                var times = [timespec(tv_sec: Int(seconds), tv_nsec: 0), timespec(tv_sec: Int(seconds), tv_nsec: 500_000_000)]
                #expect(utimensat(AT_FDCWD, file.path, &times, 0) == 0)
            }
            let second = try await client.get(f.feedPath, [.ifModifiedSince: stamp])
            #expect(second.status == .ok)
            #expect(second.headers[.eTag] != first.headers[.eTag])
            #expect(second.text.contains("STOP"))
            let later = try #require(second.headers[.lastModified].flatMap(HTTPDate.parse))
            #expect(later > (HTTPDate.parse(stamp) ?? .distantFuture))
        }
    }

    // MARK: 7 - a base URL with a path

    @Test func formActionAndBackLinkCarryTheBaseURLsPath() async throws {
        var fixture = try ServerFixture()
        fixture.config.baseURL = "https://clinic.example.org/rehab/"
        let f = fixture
        try await f.server().application().test(.router) { client async throws in
            let form = try await client.get(f.checkInPath)
            #expect(form.text.contains("action=\"/rehab/p/\(f.token)/check-in\""))
            let posted = try await client.post(f.checkInPath, form: Self.ordinary)
            #expect(posted.headers[.location]?.hasPrefix("/rehab/p/\(f.token)/check-in/saved/") == true)
            let saved = try await client.postFollowing(f.checkInPath, form: "pain=2&when=after", prefix: "/rehab")
            #expect(saved.text.contains("href=\"/rehab/p/\(f.token)/check-in\""))
        }
    }

    // MARK: 11 - headers, Host, Content-Type, broken files, the server's log

    @Test func everyAnswerSaysNosniffAndPagesForbidFraming() async throws {
        let f = try ServerFixture()
        try await f.server().application().test(.router) { client async throws in
            let answers = [try await client.get(f.feedPath), try await client.get(f.checkInPath),
                           try await client.post(f.checkInPath, form: Self.ordinary),
                           try await client.get("/nothing/here"), try await client.get("/feeds/x/calendar.ics")]
            for r in answers { #expect(r.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff", "\(r.status)") }
            let csp = try await client.get(f.checkInPath).headers[HTTPField.Name("Content-Security-Policy")!] ?? ""
            #expect(csp.contains("frame-ancestors 'none'"))
            #expect(csp.contains("img-src data:"))
        }
    }

    @Test(arguments: ["application/x-www-form-urlencodedXYZ", "application/x-www-form-urlencoded-evil", "text/plain",
                      "multipart/form-data"])
    func onlyTheFormContentTypeIsAccepted(type: String) async throws {
        let f = try ServerFixture()
        try await f.server().application().test(.router) { client async throws in
            #expect(try await client.post(f.checkInPath, form: Self.ordinary, contentType: type).status == .badRequest)
            #expect(try await client.post(f.checkInPath, form: Self.ordinary,
                                           contentType: "Application/X-WWW-Form-Urlencoded; charset=UTF-8").status == .seeOther)
        }
        #expect(f.logEntries.count == 1)
    }

    /// A broken patient file: the form and the feed answer alike (503), and the server's
    /// log names the file by its inode number, never by name or id.
    @Test func aBrokenPatientFileIsOneStatusAndAHandleInTheLog() async throws {
        let f = try ServerFixture()
        try Data("version: 1\nid: p-0001\n".utf8).write(to: f.patientFile)
        var info = stat()
        #expect(lstat(f.patientFile.path, &info) == 0)
        let recorder = LogRecorder()
        try await f.server().application(logger: recorder.logger).test(.router) { client async throws in
            #expect(try await client.get(f.feedPath).status == .serviceUnavailable)
            #expect(try await client.get(f.checkInPath).status == .serviceUnavailable)
        }
        #expect(recorder.text.contains("file_inode: \(info.st_ino)") || recorder.text.contains("\"file_inode\": \(info.st_ino)"),
                "\(recorder.text)")
        #expect(!recorder.text.contains("p.yaml") && !recorder.text.contains("p-0001"))
    }

    @Test func aRequestWithoutHostIsRefused() async throws {
        let f = try ServerFixture()
        let script = """
        import socket, sys
        def ask(request):
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=120)
            s.sendall(request.encode())
            data = b""
            while b"\\r\\n" not in data:
                chunk = s.recv(4096)
                if not chunk: break
                data += chunk
            s.close()
            return data.split(b"\\r\\n")[0].decode()
        print(ask("GET %s HTTP/1.1\\r\\nConnection: close\\r\\n\\r\\n" % sys.argv[2]))
        print(ask("GET %s HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nConnection: close\\r\\n\\r\\n" % sys.argv[2]))
        """
        try await f.server().application().test(.live) { client async throws in
            let port = try #require(client.port)
            let lines = try await runPythonOffPool(script, ["\(port)", f.feedPath]).split(separator: "\n")
            #expect(lines.first?.hasPrefix("HTTP/1.1 400") == true, "\(lines)")
            #expect(lines.last?.hasPrefix("HTTP/1.1 200") == true, "\(lines)")
        }
    }
}

/// A clock a test moves by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var instant: Date
    init(_ start: Date) { instant = start }
    var now: Date { lock.withLock { instant } }
    func advance(_ seconds: TimeInterval) { lock.withLock { instant += seconds } }
}

/// `runPython` on a thread of its own: waiting for the script must not hold one of the
/// test pool's threads, which the server under test needs to answer it.
func runPythonOffPool(_ script: String, _ arguments: [String]) async throws -> String {
    try await withCheckedThrowingContinuation { continuation in
        Thread {
            do { continuation.resume(returning: try runPython(script, arguments)) } catch { continuation.resume(throwing: error) }
        }.start()
    }
}

/// Whether something finished, and how.
private final class Outcome: @unchecked Sendable {
    private let lock = NSLock()
    private var finished = false
    private var failure: (any Error)?
    var done: Bool { lock.withLock { finished } }
    var error: (any Error)? { lock.withLock { failure } }
    func set(_ error: (any Error)?) { lock.withLock { finished = true; failure = error } }
}
