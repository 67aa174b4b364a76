import Foundation
import Testing

/// A real Radicale CalDAV server (PyPI `radicale`) on 127.0.0.1, a free port, a temporary
/// storage folder and a plain htpasswd user; stopped when `stop()` closes its stdin.
final class RadicaleServer {
    static let user = "alice"
    static let passwordEnv = "REHAB_TEST_CALDAV_PASSWORD"
    static let password = "pw-\(UUID().uuidString.prefix(8))"
    let process = Process()
    let input = Pipe()
    let exited = DispatchSemaphore(value: 0)
    let folder: URL
    let port: Int

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("rehab-radicale-\(UUID().uuidString)")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", packageRoot.appendingPathComponent("scripts/interop/radicale_serve.py").path,
                             folder.path, Self.user, Self.passwordEnv]
        process.environment = Self.environment
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = input
        let exited = self.exited
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        let line = BoundedProcess.firstLine(of: out.fileHandleForReading, within: 30)
        guard let port = line.flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) else {
            BoundedProcess.stop(process, exited)
            let log = (try? String(contentsOf: folder.appendingPathComponent("radicale.log"), encoding: .utf8)) ?? ""
            throw PatientDir.SetupFailed(message: "Radicale did not start within 30 s (is it installed? scripts/install-deps.sh --test) \(log.suffix(800))")
        }
        self.port = port
    }

    static var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env[passwordEnv] = password
        return env
    }

    func calendarURL(_ name: String) -> String { "http://127.0.0.1:\(port)/\(Self.user)/\(name)/" }

    /// Closes stdin (the script then stops Radicale and exits); SIGTERM only if it has not
    /// ended within 15 s. Bounded either way.
    func stop() {
        try? input.fileHandleForWriting.close()
        if exited.wait(timeout: .now() + 15) == .timedOut { BoundedProcess.stop(process, exited) }
        try? FileManager.default.removeItem(at: folder)
    }

    /// The calendar as a client reads it: PROPFIND, GET, and Python's `icalendar`.
    func read(_ url: String) throws -> [String: [String: Any]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", packageRoot.appendingPathComponent("scripts/interop/caldav_read.py").path,
                             url, Self.user, Self.passwordEnv]
        process.environment = Self.environment
        let result = try BoundedProcess.run(process, timeout: 60, what: "caldav_read.py")
        guard result.status == 0,
              let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
              let events = json["events"] as? [String: [String: Any]] else {
            throw PatientDir.SetupFailed(message: "caldav_read.py failed (\(result.status)): \(result.stderr.suffix(1000))")
        }
        return events
    }
}

@Suite("rehab publish against Radicale", .serialized)
struct PublishCommandTests {
    func publish(_ p: PatientDir, _ url: String, now: String = "2026-11-20T08:30:00Z",
                 env: [String: String] = RadicaleServer.environment) throws -> ProcessResult {
        var environment = env
        environment["REHAB_NOW"] = now
        return try runRehab(["publish", "p.yaml", "--caldav", url, "--user", RadicaleServer.user,
                             "--password-env", RadicaleServer.passwordEnv, "--days", "14"], in: p.dir, environment: environment,
                            timeout: 60)
    }

    /// "N created, N updated, ..." from publish's last line.
    func counts(_ output: String) -> [String: Int] {
        var result: [String: Int] = [:]
        let words = output.split(whereSeparator: { $0 == " " || $0 == "," || $0 == ";" || $0 == "\n" })
        for (i, word) in words.enumerated().dropFirst() {
            if let n = Int(words[i - 1]) { result[String(word)] = n }
        }
        return result
    }

    @Test func publishUpdateAndHaltRoundTrip() throws {
        let server = try RadicaleServer()
        defer { server.stop() }
        let p = try PatientDir()
        let url = server.calendarURL("rehab-p-0001")

        // 1. First publish: the calendar is created and every event PUT.
        let first = try publish(p, url)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("created the calendar"))
        let c1 = counts(first.stdout)
        let before = try server.read(url)
        #expect(c1["created"] == before.count && before.count > 3)
        #expect(before.values.allSatisfy { ($0["patient"] as? String) == "p-0001" && ($0["status"] as? String) != "CANCELLED" })
        #expect(before.keys.allSatisfy { $0.hasSuffix("@rehab") })

        // Publishing again with nothing new changes nothing.
        let again = try publish(p, url)
        #expect(again.status == 0)
        #expect(counts(again.stdout)["unchanged"] == before.count)
        #expect(counts(again.stdout)["created"] == 0 && counts(again.stdout)["updated"] == 0)

        // 2. New pain reports: three green days (no pain after, none the next morning) earn
        // a rung from 2026-11-20, so the runs change; SEQUENCE rises on the changed ones.
        for (when, at) in [("after", "2026-11-17T19:00"), ("next-morning", "2026-11-18T07:00"),
                           ("after", "2026-11-18T19:00"), ("next-morning", "2026-11-19T07:00"),
                           ("after", "2026-11-19T19:00"), ("next-morning", "2026-11-20T07:00")] {
            try p.log(["--pain", "0", "--when", when, "--at", at], now: "2026-11-20T09:30:00Z")
        }
        let second = try publish(p, url, now: "2026-11-20T09:30:00Z")
        #expect(second.status == 0, "\(second.stderr)")
        let c2 = counts(second.stdout)
        let middle = try server.read(url)
        // The new runs start on 2026-11-20, the first day the old runs showed: each takes over
        // the old run at its time (one event per session, updated in place), so nothing is
        // cancelled beside a live event.
        #expect((c2["updated"] ?? 0) > 0 && (c2["cancelled"] ?? 0) == 0, "\(second.stdout)")
        let raised = middle.filter { uid, event in
            guard let old = before[uid] else { return false }
            return (event["sequence"] as? Int ?? 0) > (old["sequence"] as? Int ?? 0)
        }
        #expect(raised.count == (c2["updated"] ?? 0) + (c2["cancelled"] ?? 0))
        #expect((c2["updated"] ?? 0) == 0 || !raised.isEmpty)

        // 3. A red flag halts the plan: future sessions cancelled, the advice event there.
        try p.log(["--flag", "fever", "--at", "2026-11-20T10:00"], now: "2026-11-20T10:05:00Z")
        let third = try publish(p, url, now: "2026-11-20T10:05:00Z")
        #expect(third.status == 0, "\(third.stderr)")
        #expect(third.stdout.contains("STOPPED"))
        let c3 = counts(third.stdout)
        #expect((c3["cancelled"] ?? 0) > 0, "\(third.stdout)")
        let after = try server.read(url)
        let halt = after.filter { $0.key.contains("-halt-") }
        #expect(halt.count == 1)
        let sessions = after.filter { ($0.value["categories"] as? [String] ?? []).contains("REHAB-SESSION") }
        // Sessions still planned before the halt are now cancelled, with a higher SEQUENCE.
        let cancelled = sessions.filter {
            ($0.value["status"] as? String) == "CANCELLED" && (middle[$0.key]?["status"] as? String) != "CANCELLED"
        }
        #expect(!cancelled.isEmpty && cancelled.count <= (c3["cancelled"] ?? 0), "\(third.stdout)")
        for (uid, event) in cancelled {
            #expect((event["sequence"] as? Int ?? 0) > (middle[uid]?["sequence"] as? Int ?? Int.max))
        }
        // Nothing of ours vanished: every event published before is still there.
        #expect(Set(middle.keys).isSubset(of: Set(after.keys)))
    }

    @Test func wrongPasswordExits74WithoutThePassword() throws {
        let server = try RadicaleServer()
        defer { server.stop() }
        let p = try PatientDir()
        var env = RadicaleServer.environment
        env[RadicaleServer.passwordEnv] = "wrong-\(RadicaleServer.password)"
        let result = try publish(p, server.calendarURL("rehab-p-0001"), env: env)
        #expect(result.status == 74)
        #expect(result.stderr.contains("401"))
        #expect(!result.stderr.contains(RadicaleServer.password) && !result.stdout.contains(RadicaleServer.password))
    }

    @Test func missingPasswordVariableIsAUsageError() throws {
        let p = try PatientDir()
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: RadicaleServer.passwordEnv)
        let result = try publish(p, "http://127.0.0.1:9/x/", env: env)
        #expect(result.status == 64)
        #expect(result.stderr.contains(RadicaleServer.passwordEnv))
    }

    @Test func unreachableServerExits74() throws {
        let p = try PatientDir()
        let result = try publish(p, "http://127.0.0.1:9/alice/cal/")
        #expect(result.status == 74)
        #expect(result.stderr.contains("looking up the calendar"))
    }

    @Test func anotherPatientsCalendarIsRefused() throws {
        let server = try RadicaleServer()
        defer { server.stop() }
        let url = server.calendarURL("shared")
        let other = try PatientDir()
        let yaml = other.dir.appendingPathComponent("p.yaml")
        try Data(try String(contentsOf: yaml, encoding: .utf8).replacingOccurrences(of: "id: p-0001", with: "id: p-0002").utf8).write(to: yaml)
        #expect(try publish(other, url).status == 0)
        let p = try PatientDir()
        let result = try publish(p, url)
        #expect(result.status == 65)
        #expect(result.stderr.contains("another patient"))
    }
}
