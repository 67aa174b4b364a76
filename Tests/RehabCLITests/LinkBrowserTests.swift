import Foundation
import Testing

/// `rehab serve` as its own process on 127.0.0.1 (a free port), stopped by `stop()`.
final class ServeProcess {
    let process = Process()
    let port: Int

    init(folder: URL, now: String, extraArguments: [String] = []) throws {
        process.executableURL = rehabBinary
        process.arguments = ["serve", "--patients", folder.path, "--port", "0"] + extraArguments
        var env = ProcessInfo.processInfo.environment
        env["REHAB_NOW"] = now
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Bounded: a server that never prints its address fails the test instead of hanging it.
        let text = BoundedProcess.firstLine(of: out.fileHandleForReading, within: 30) ?? ""
        // "rehab serve: listening on http://127.0.0.1:PORT (links use ...)"
        guard let range = text.range(of: "127.0.0.1:"),
              let port = Int(text[range.upperBound...].prefix(while: \.isNumber)) else {
            process.terminate()
            throw PatientDir.SetupFailed(message: "rehab serve did not start: \(text)")
        }
        self.port = port
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}

@Suite("check-in page in headless Chromium")
struct LinkBrowserTests {
    /// Opens the page at phone size, screenshots it, submits a report, and finds the
    /// report in `rehab history`.
    @Test func phoneSizedCheckInReachesTheLog() throws {
        let p = try PatientDir()
        #expect(try p.run("link").status == 0)
        let token = try String(contentsOf: p.dir.appendingPathComponent("p.token"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let now = "2026-11-20T08:30:00Z"
        let server = try ServeProcess(folder: p.dir, now: now)
        defer { server.stop() }
        let shots = FileManager.default.temporaryDirectory.appendingPathComponent("rehab-shots-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: shots) }
        let shot = shots.appendingPathComponent("check-in.png")

        let browser = Process()
        browser.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        browser.arguments = ["python3", packageRoot.appendingPathComponent("scripts/interop/checkin_browser.py").path,
                             "http://127.0.0.1:\(server.port)/p/\(token)/check-in", shot.path, "5", "during", "tight calf on stairs"]
        let run = try BoundedProcess.run(browser, timeout: 180, what: "checkin_browser.py (headless Chromium)")
        try #require(run.status == 0, "\(run.stderr.suffix(2000))")
        let data = Data(run.stdout.utf8)
        let result = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(result["title"] as? String == "Pain check-in")
        #expect(result["heading"] as? String == "Your report is saved")
        // Nothing wider than the phone: no sideways scrolling.
        #expect(result["scrollWidth"] as? Int == 390)

        // A PNG as wide as the phone.
        let png = try Data(contentsOf: shot)
        #expect(png.count > 1000)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let width = png.count >= 24 ? png[16..<20].reduce(0) { $0 << 8 | Int($1) } : 0
        #expect(width == 390)

        server.stop()
        let history = try p.run("history", ["--format", "json"], now: now)
        #expect(history.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [String: Any])
        let reports = (json["reports"] as? [[String: Any]]) ?? []
        let match = reports.first { report in
            report["pain"] as? Int == 5 && report["when"] as? String == "during"
                && report["note"] as? String == "tight calf on stairs"
        }
        #expect(match != nil, "\(history.stdout.prefix(1000))")
    }
}
