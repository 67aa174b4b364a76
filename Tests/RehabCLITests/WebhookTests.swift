import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// `rehab serve --alert-webhook-file` end to end: the real binary (posting through
/// rehab-publish), a receiver on loopback (scripts/webhook-receiver.py) and `rehab log`
/// run beside the server. Periods are shortened with the test-only flags: a scan every
/// second, retries from 0.3 s.
@Suite("rehab serve: alerts to a webhook", .serialized)
struct WebhookTests {
    static let fast = ["--test-webhook-period", "1", "--test-webhook-first-retry", "0.3"]
    static let note = "ZEBRA-NOTE-do-not-forward"

    /// Halted, escalated and awaiting-approval, each logged with `rehab log` while the
    /// server runs: exactly one POST each, within seconds (the period is 1 s), with the
    /// documented body and never the sign, the score or the note. A restart sends nothing
    /// again (the state file), and the server's log names only the webhook's host.
    @Test func oneMessagePerNewAlertAndNoneAgainAfterARestart() throws {
        let f = try WebhookFixture()
        let receiver = try Receiver(f.clinic)
        defer { receiver.stop() }
        let hook = try f.writeHook("http://127.0.0.1:\(receiver.port)/hooks/SECRET-PATH?key=SECRET-QUERY\n")
        var server: LimitedServe? = try f.serve(hook: hook)
        defer { server?.stop() }
        Thread.sleep(forTimeInterval: 2.5)
        #expect(receiver.posts.isEmpty, "posts before any alert: \(receiver.posts)")

        let logged = Date()
        try f.log("halt.yaml", ["--flag", "fever", "--pain", "8", "--when", "after", "--note", Self.note])
        try f.logFlare("flare.yaml")
        try f.logReadyForTheTensioner("gate.yaml")
        try receiver.wait(forPosts: 3, within: 20)
        let firstDelay = (receiver.posts.compactMap { $0["t"] as? Double }.min() ?? 0) - logged.timeIntervalSince1970
        print("webhook: first POST \(String(format: "%.2f", firstDelay)) s after the first rehab log (period 1 s)")
        Thread.sleep(forTimeInterval: 3)  // three more scans
        let bodies = try receiver.posts.map(Self.body)
        #expect(bodies.count == 3, "\(bodies)")
        #expect(Set(bodies.compactMap { $0["kind"] as? String }) == ["halted", "escalated", "awaiting-approval"])
        let halted = try #require(bodies.first { $0["kind"] as? String == "halted" })
        #expect(halted["id"] as? String == "p-0101:halted:2026-11-20")
        #expect(halted["patient"] as? String == "p-0101")
        #expect(halted["since"] as? String == "2026-11-20")
        #expect(halted["clinic_url"] as? String == "https://clinic.example.org/rehab/clinic/patients/p-0101")
        let gate = try #require(bodies.first { $0["kind"] as? String == "awaiting-approval" })
        #expect(gate["id"] as? String == "p-0103:awaiting-approval:nerve-glide:2026-11-18")
        let flare = try #require(bodies.first { $0["kind"] as? String == "escalated" })
        #expect(flare["id"] as? String == "p-0102:escalated:2026-11-12")
        for body in bodies {
            #expect(Array(body.keys).sorted() == ["clinic_url", "id", "kind", "patient", "since", "text"])
            let text = try #require(body["text"] as? String)
            #expect(!text.contains { $0.isNumber }, "a number in \(text)")
        }
        let raw = receiver.posts.compactMap { $0["body"] as? String }.joined()
        for secret in [Self.note, "ZEBRA", "fever", "Fever", "8/10"] { #expect(!raw.contains(secret), "\(secret) was sent") }
        #expect(receiver.posts.allSatisfy { $0["content_type"] as? String == "application/json" })
        #expect(receiver.posts.allSatisfy { $0["path"] as? String == "/hooks/SECRET-PATH?key=SECRET-QUERY" })

        let log = server?.stderr ?? ""
        #expect(log.contains("127.0.0.1:\(receiver.port)"), "the log names the host: \(log)")
        for secret in ["SECRET", "p-0101", Self.note] { #expect(!log.contains(secret), "the log shows \(secret)") }
        let state = f.clinic.appendingPathComponent("hook.webhook-sent")
        let mode = try FileManager.default.attributesOfItem(atPath: state.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try String(contentsOf: state, encoding: .utf8).contains("p-0101:halted:2026-11-20"))

        server?.stop()
        server = try f.serve(hook: hook)
        Thread.sleep(forTimeInterval: 3)
        #expect(receiver.posts.count == 3, "sent again after a restart: \(receiver.posts.count)")
    }

    /// The receiver answers 500 three times: the alert is tried again until it is taken,
    /// then never again.
    @Test func retriedAfterServerErrorsUntilTaken() throws {
        let f = try WebhookFixture()
        let receiver = try Receiver(f.clinic, ["--fail-first", "3"])
        defer { receiver.stop() }
        let server = try f.serve(hook: try f.writeHook("http://localhost:\(receiver.port)/hook"))
        defer { server.stop() }
        try f.log("halt.yaml", ["--flag", "calf-swelling"])
        try receiver.wait(forPosts: 4, within: 30)
        Thread.sleep(forTimeInterval: 3)
        let posts = receiver.posts
        #expect(posts.map { $0["status"] as? Int } == [500, 500, 500, 200])
        #expect(Set(posts.compactMap { $0["body"] as? String }).count == 1, "one alert, the same body each time")
        #expect(server.stderr.contains("will retry"))
    }

    /// A 302 is an answer that is not a 2xx: not followed (nothing asks for /followed), and
    /// the alert is tried again.
    @Test func aRedirectIsNotFollowedAndTheAlertIsRetried() throws {
        let f = try WebhookFixture()
        let receiver = try Receiver(f.clinic, ["--redirect-first", "2"])
        defer { receiver.stop() }
        let server = try f.serve(hook: try f.writeHook("http://127.0.0.1:\(receiver.port)/hook"))
        defer { server.stop() }
        try f.log("halt.yaml", ["--flag", "fever"])
        try receiver.wait(forPosts: 3, within: 30)
        Thread.sleep(forTimeInterval: 2)
        #expect(receiver.posts.map { $0["status"] as? Int } == [302, 302, 200])
        #expect(!receiver.requests.contains { $0["path"] as? String == "/followed" }, "a redirect was followed")
    }

    /// A webhook that never answers does not hold up the patient: a check-in with a warning
    /// sign sent to the server is answered at once while its alert's POST hangs.
    @Test func aHangingWebhookDoesNotDelayACheckIn() throws {
        let f = try WebhookFixture()
        let receiver = try Receiver(f.clinic, ["--hang"])
        defer { receiver.stop() }
        let link = try runRehab(["link", "halt.yaml", "--base-url", "http://127.0.0.1"], in: f.patients, environment: f.environment)
        #expect(link.status == 0, "\(link.stderr)")
        let token = try #require(link.stdout.split(separator: "/p/").last?.split(separator: "/").first.map(String.init))
        let server = try f.serve(hook: try f.writeHook("http://127.0.0.1:\(receiver.port)/hook"),
                                 extra: ["--test-webhook-timeout", "60"])
        defer { server.stop() }
        let script = #"""
        import sys, time, urllib.request
        port, token = sys.argv[1], sys.argv[2]
        out = []
        for body in [b"flag=fever", b"pain=2&when=after"]:
            start = time.time()
            req = urllib.request.Request(f"http://127.0.0.1:{port}/p/{token}/check-in", data=body,
                headers={"Content-Type": "application/x-www-form-urlencoded"})
            class NoRedirect(urllib.request.HTTPRedirectHandler):
                def redirect_request(self, *a, **k): return None
            try:
                status = urllib.request.build_opener(NoRedirect).open(req, timeout=30).status
            except urllib.error.HTTPError as e:
                status = e.code
            out.append(f"{status} {time.time() - start:.3f}")
            time.sleep(2)
        print("\n".join(out))
        """#
        let lines = try runPythonScript(script, ["\(server.port)", token], timeout: 90).split(separator: "\n").map(String.init)
        print("webhook: check-in answers while the webhook hangs: \(lines)")
        #expect(lines.count == 2)
        for line in lines {
            let parts = line.split(separator: " ")
            #expect(parts.first == "303", "\(line)")
            #expect((Double(parts.last ?? "") ?? 99) < 5, "a check-in waited for the webhook: \(line)")
        }
        // The alert's POST did reach the receiver, and hangs there.
        try receiver.wait(forPosts: 1, within: 10)
        #expect(receiver.posts.first?["status"] as? Int == 0)
    }

    /// Refused at start, before listening: plain http to another machine, a file others may
    /// read, no --base-url. The messages never show the address's path or query.
    @Test func badWebhookFilesAreRefusedAtStart() throws {
        let f = try WebhookFixture()
        func serve(_ hook: URL, _ extra: [String] = ["--base-url", "https://clinic.example.org"]) throws -> ProcessResult {
            try runRehab(["serve", "--patients", f.patients.path, "--port", "0", "--alert-webhook-file", hook.path] + extra,
                         environment: f.environment, timeout: 30)
        }
        let plain = try serve(try f.writeHook("http://hooks.example.org/SECRET-PATH?key=SECRET-QUERY"))
        #expect(plain.status == 65)
        #expect(plain.stderr.contains("hooks.example.org") && plain.stderr.contains("https"), "\(plain.stderr)")
        #expect(!plain.stderr.contains("SECRET"))
        let open = try f.writeHook("https://hooks.example.org/SECRET-PATH", mode: 0o644)
        let loose = try serve(open)
        #expect(loose.status == 65)
        #expect(loose.stderr.contains("chmod 600") && !loose.stderr.contains("SECRET"), "\(loose.stderr)")
        let noBase = try serve(try f.writeHook("https://hooks.example.org/SECRET-PATH"), [])
        #expect(noBase.status == 64)
        #expect(noBase.stderr.contains("--base-url"))
        let missing = try serve(f.clinic.appendingPathComponent("nothing-here"))
        #expect(missing.status == 74)
        #expect(!FileManager.default.fileExists(atPath: f.clinic.appendingPathComponent("hook.webhook-sent").path))
    }

    /// With --clinicians, the state file is made at start beside the clinician file (0600),
    /// not beside the webhook file.
    @Test func theStateFileSitsBesideTheClinicianFile() throws {
        let f = try WebhookFixture()
        let clinicians = f.clinic.appendingPathComponent("clinicians")
        let add = try runRehab(["clinician", "add", "Dr Weber", "--file", clinicians.path, "--password-stdin"],
                               stdin: "a long clinic password\n", environment: f.environment, timeout: 60)
        #expect(add.status == 0, "\(add.stderr)")
        let receiver = try Receiver(f.clinic)
        defer { receiver.stop() }
        let server = try f.serve(hook: try f.writeHook("http://127.0.0.1:\(receiver.port)/hook"),
                                 extra: ["--clinicians", clinicians.path])
        server.stop()
        let state = f.clinic.appendingPathComponent("clinicians.webhook-sent")
        let mode = try FileManager.default.attributesOfItem(atPath: state.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(!FileManager.default.fileExists(atPath: f.clinic.appendingPathComponent("hook.webhook-sent").path))
    }

    static func body(_ post: [String: Any]) throws -> [String: Any] {
        let text = try #require(post["body"] as? String)
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }
}

/// Three patients under `patients/` (no alerts yet, "now" 2026-11-20 08:30 UTC) and a
/// `clinic/` folder for the webhook file and its state file.
struct WebhookFixture {
    let patients: URL
    let clinic: URL
    let environment: [String: String]

    init() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rehab-webhook-\(UUID().uuidString)")
        patients = root.appendingPathComponent("patients")
        clinic = root.appendingPathComponent("clinic")
        for dir in [patients, clinic] { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) }
        for (file, id, start, extra) in [("halt.yaml", "p-0101", "09", ""), ("flare.yaml", "p-0102", "09", "start_stage: mobilise\n"),
                                         ("gate.yaml", "p-0103", "06", "start_stage: function\n")] {
            let yaml = """
            version: 1
            id: \(id)
            program: lumbar-decompression
            procedure: discectomy
            surgery_date: 2026-11-02
            start_date: 2026-11-\(start)
            timezone: Europe/Berlin
            \(extra)
            """
            try Data(yaml.utf8).write(to: patients.appendingPathComponent(file))
        }
        var env = ProcessInfo.processInfo.environment
        env["REHAB_NOW"] = "2026-11-20T08:30:00Z"
        environment = env
    }

    /// Writes the webhook file with `mode`.
    func writeHook(_ text: String, mode: Int = 0o600) throws -> URL {
        let file = clinic.appendingPathComponent("hook")
        try Data(text.utf8).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file.path)
        return file
    }

    func serve(hook: URL, extra: [String] = []) throws -> LimitedServe {
        try LimitedServe(folder: patients, arguments: ["--base-url", "https://clinic.example.org/rehab",
                                                       "--alert-webhook-file", hook.path] + WebhookTests.fast + extra)
    }

    func log(_ file: String, _ arguments: [String]) throws {
        let result = try runRehab(["log", file] + arguments, in: patients, environment: environment, timeout: 30)
        guard result.status == 0 else {
            throw PatientDir.SetupFailed(message: "rehab log \(file) \(arguments) failed: \(result.status) \(result.stderr)")
        }
    }

    /// Red walking reports every evening from 2026-11-10: a flare from the 11th, more than
    /// seven days long by the 20th (escalated).
    func logFlare(_ file: String) throws {
        for day in 10...19 {
            try log(file, ["--pain", "8", "--when", "after", "--exercise", "walking", "--at", "2026-11-\(day)T19:00"])
        }
    }

    /// Green glide reports and mornings in the function stage from 2026-11-06: the glide
    /// climbs a rung every three days and reaches the gated tensioner on the 18th
    /// (awaiting approval).
    func logReadyForTheTensioner(_ file: String) throws {
        func day(_ d: Int) -> String { "2026-11-" + (d < 10 ? "0\(d)" : "\(d)") }
        for d in 6...18 {
            try log(file, ["--pain", "0", "--when", "after", "--exercise", "nerve-glide-slider", "--at", "\(day(d))T19:00"])
            try log(file, ["--pain", "0", "--when", "next-morning", "--at", "\(day(d + 1))T07:30"])
        }
    }
}

/// scripts/webhook-receiver.py, started on a free loopback port; what it recorded.
final class Receiver: @unchecked Sendable {
    let process = Process()
    let port: Int
    let record: URL

    init(_ folder: URL, _ options: [String] = []) throws {
        record = folder.appendingPathComponent("received-\(UUID().uuidString).jsonl")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", packageRoot.appendingPathComponent("scripts/webhook-receiver.py").path, record.path] + options
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let line = BoundedProcess.firstLine(of: out.fileHandleForReading, within: 20) ?? ""
        guard line.hasPrefix("listening "), let port = Int(line.dropFirst(10).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw PatientDir.SetupFailed(message: "the webhook receiver did not start: \(line)")
        }
        self.port = port
    }

    /// Every request so far, in order.
    var requests: [[String: Any]] {
        guard let text = try? String(contentsOf: record, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// The POSTs to the webhook's own path (not to a redirect's target).
    var posts: [[String: Any]] { requests.filter { $0["method"] as? String == "POST" && $0["path"] as? String != "/followed" } }

    func wait(forPosts count: Int, within seconds: TimeInterval) throws {
        let end = Date().addingTimeInterval(seconds)
        while posts.count < count {
            guard Date() < end else {
                throw PatientDir.SetupFailed(message: "\(posts.count) POSTs within \(Int(seconds)) s, not \(count): \(posts)")
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    /// SIGKILL: a child started from a test thread inherits a mask that blocks SIGTERM.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
