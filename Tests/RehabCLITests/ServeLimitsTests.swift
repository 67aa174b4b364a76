import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// `rehab serve` as deployed: under a low open-file limit against slow clients, and behind
/// a real nginx that serves it under a path prefix.
@Suite("rehab serve: limits and a prefixed proxy", .serialized)
struct ServeLimitsTests {
    static let nginx = "/usr/sbin/nginx"

    /// 200 connections that send their headers a line a second (slowloris) against a server
    /// with `ulimit -n 128`: the server closes them after its header timeout (10 s by
    /// default) and answers a normal request afterwards. Before the timeouts, every new
    /// request waited forever.
    @Test func slowClientsDoNotLockOthersOut() throws {
        let p = try PatientDir()
        let server = try LimitedServe(folder: p.dir, shellPrefix: "ulimit -n 128; ")
        defer { server.stop() }
        let script = #"""
        import socket, sys, time, json
        port, n, wait = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
        slow = []
        for i in range(n):
            try:
                s = socket.create_connection(("127.0.0.1", port), timeout=5)
                s.sendall(b"GET /feeds/x/calendar.ics HTTP/1.1\r\nHost: x\r\n")
                slow.append(s)
            except OSError:
                pass
        end = time.time() + wait
        while time.time() < end:
            for s in slow:
                try: s.sendall(b"X-Slow: 1\r\n")
                except OSError: pass
            time.sleep(1)
        answered = False
        try:
            c = socket.create_connection(("127.0.0.1", port), timeout=5)
            c.sendall(b"GET /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            answered = c.recv(64).startswith(b"HTTP/1.1 404")
        except OSError:
            pass
        closed = 0
        for s in slow:
            try:
                s.settimeout(0.2)
                if s.recv(1) == b"": closed += 1
            except (ConnectionResetError, BrokenPipeError):
                closed += 1
            except OSError:
                pass
        print(json.dumps({"opened": len(slow), "answered": answered, "closed": closed}))
        """#
        let output = try runPythonScript(script, ["\(server.port)", "200", "14"], timeout: 90)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], "\(output)")
        #expect(json["answered"] as? Bool == true, "a normal request was not answered: \(json)")
        #expect(json["closed"] as? Int == json["opened"] as? Int, "slow connections still open: \(json)")
        #expect(server.stderr.contains("lowered"), "the connection cap follows the open-file limit")
    }

    /// The documented deployment with a path: nginx on loopback passes `/rehab/...` to the
    /// server without the prefix. The form's action and the confirmation's link must carry
    /// the prefix, so the report arrives.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: nginx), "needs nginx: scripts/install-deps.sh --test installs nginx-light"))
    func aReportArrivesThroughAPrefixedProxy() throws {
        let p = try PatientDir()
        let proxyPort = try freePort()
        let base = "http://127.0.0.1:\(proxyPort)/rehab"
        let link = try p.run("link", ["--base-url", base])
        #expect(link.status == 0)
        let token = try #require(link.stdout.split(separator: "/p/").last?.split(separator: "/").first.map(String.init))
        let server = try LimitedServe(folder: p.dir, arguments: ["--base-url", base])
        defer { server.stop() }
        let prefix = p.dir.appendingPathComponent("nginx")
        try FileManager.default.createDirectory(at: prefix, withIntermediateDirectories: true)
        let temps = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
            .map { "\($0)_temp_path \(prefix.path)/\($0);" }.joined(separator: " ")
        let config = """
        daemon off; master_process off; pid \(prefix.path)/nginx.pid; error_log \(prefix.path)/error.log;
        events {}
        http {
            access_log off; \(temps)
            server {
                listen 127.0.0.1:\(proxyPort);
                location /rehab/ { proxy_pass http://127.0.0.1:\(server.port)/; proxy_set_header Host $host; }
                location / { return 404; }
            }
        }
        """
        try Data(config.utf8).write(to: prefix.appendingPathComponent("nginx.conf"))
        let proxy = Process()
        proxy.executableURL = URL(fileURLWithPath: Self.nginx)
        proxy.arguments = ["-p", prefix.path, "-c", prefix.appendingPathComponent("nginx.conf").path]
        proxy.standardError = FileHandle.nullDevice
        try proxy.run()
        // Started from a test thread, nginx inherits a signal mask that blocks SIGTERM.
        defer { kill(proxy.processIdentifier, SIGKILL); proxy.waitUntilExit() }
        let script = #"""
        import sys, re, time, urllib.request, urllib.parse
        origin, page = sys.argv[1], sys.argv[2]
        for _ in range(50):
            try:
                html = urllib.request.urlopen(origin + page, timeout=5).read().decode(); break
            except OSError:
                time.sleep(0.2)
        action = re.search(r'<form[^>]*action="([^"]+)"', html).group(1)
        body = urllib.parse.urlencode({"pain": "2", "when": "after"}).encode()
        try:
            answer = urllib.request.urlopen(urllib.request.Request(origin + action, data=body), timeout=5)
            status, text = answer.status, answer.read().decode()
        except urllib.error.HTTPError as e:
            status, text = e.code, ""
        back = re.search(r'href="(/[^"]*check-in)"', text)
        print(action)
        print(status)
        print(back.group(1) if back else "-")
        """#
        let lines = try runPythonScript(script, ["http://127.0.0.1:\(proxyPort)", "/rehab/p/\(token)/check-in"], timeout: 60)
            .split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(lines)")
        #expect(lines.first == "/rehab/p/\(token)/check-in")
        #expect(lines.dropFirst().first == "200", "\(lines)")
        #expect(lines.last == "/rehab/p/\(token)/check-in")
        #expect(p.logLines.count == 1)
    }
}

/// `rehab serve` started through `/bin/sh` (so a test can lower `ulimit -n` first) on a
/// free port; stderr is kept.
final class LimitedServe: @unchecked Sendable {
    let process = Process()
    let port: Int
    private let errors = Pipe()
    private let lock = NSLock()
    private var collected = Data()

    init(folder: URL, shellPrefix: String = "", arguments: [String] = []) throws {
        let quoted = ([rehabBinary.path, "serve", "--patients", folder.path, "--port", "0"] + arguments)
            .map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", shellPrefix + "exec " + quoted]
        var env = ProcessInfo.processInfo.environment
        env["REHAB_NOW"] = "2026-11-20T08:30:00Z"
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        process.standardError = errors
        try process.run()
        let text = BoundedProcess.firstLine(of: out.fileHandleForReading, within: 30) ?? ""
        guard let range = text.range(of: "127.0.0.1:"), let port = Int(text[range.upperBound...].prefix(while: \.isNumber)) else {
            process.terminate()
            throw PatientDir.SetupFailed(message: "rehab serve did not start: \(text)")
        }
        self.port = port
        // Read as it comes (stderr written before this is still in the pipe).
        errors.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self else { return }
            self.lock.withLock { self.collected.append(data) }
        }
    }

    /// What the server has written to stderr so far.
    var stderr: String { lock.withLock { String(decoding: collected, as: UTF8.self) } }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}

/// A TCP port free on 127.0.0.1 a moment ago.
func freePort() throws -> Int {
    let output = try runPythonScript("import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])", [], timeout: 30)
    guard let port = Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) else {
        throw PatientDir.SetupFailed(message: "no free port: \(output)")
    }
    return port
}

/// Runs a Python script, bounded; its stdout.
func runPythonScript(_ script: String, _ arguments: [String], timeout: TimeInterval) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script] + arguments
    return try BoundedProcess.run(process, timeout: timeout, what: "python3").stdout
}
