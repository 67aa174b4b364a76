import Foundation
import Testing

/// The check-in page as a patient uses it: headless Chromium at 390 x 844 against `rehab
/// serve` with a fixed clock (REHAB_NOW), so every post falls in one rate-limit minute.
@Suite("check-in page flows in headless Chromium")
struct CheckInBrowserTests {
    static let now = "2026-11-20T08:30:00Z"

    /// Screenshots go to REHAB_SHOTS when set (to look at them), else a temporary folder.
    static func shotFolder() throws -> URL {
        let env = ProcessInfo.processInfo.environment["REHAB_SHOTS"]
        let url = env.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("rehab-shots-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func flow(_ arguments: [String]) throws -> [String: Any] {
        let browser = Process()
        browser.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        browser.arguments = ["python3", packageRoot.appendingPathComponent("scripts/interop/checkin_flow.py").path] + arguments
        let run = try BoundedProcess.run(browser, timeout: 300, what: "checkin_flow.py (headless Chromium)")
        try #require(run.status == 0, "\(run.stderr.suffix(2000))")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    static func linked(_ extraYAML: String = "") throws -> (PatientDir, String) {
        let p = try PatientDir(extraYAML: extraYAML)
        #expect(try p.run("link").status == 0)
        let token = try String(contentsOf: p.dir.appendingPathComponent("p.token"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return (p, token)
    }

    static func reports(_ p: PatientDir) throws -> [[String: Any]] {
        let history = try p.run("history", ["--format", "json"], now: now)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [String: Any])
        return (json["reports"] as? [[String: Any]]) ?? []
    }

    /// 31 reports in one minute, then chest pain: the warning sign is saved and answered
    /// with its advice whatever the rate limit (the limit applies to other reports only).
    @Test func aWarningSignAfter31ReportsInAMinuteIsSavedAndAnswered() throws {
        let (p, token) = try Self.linked("emergency_number: \"112\"\n")
        let server = try ServeProcess(folder: p.dir, now: Self.now)
        defer { server.stop() }
        let shots = try Self.shotFolder()
        let result = try Self.flow(["flood", "http://127.0.0.1:\(server.port)/p/\(token)/check-in", "31", shots.path])

        // The form: the report and its Send button on one 390 x 844 screen, warning signs
        // the first link at the top, nothing wider than the phone.
        let form = try #require(result["form"] as? [String: Any])
        let bottom = try #require(form["sendBottom"] as? Double)
        #expect(bottom <= 844, "Send ends at \(bottom) px")
        #expect(form["firstLink"] as? String == "#signs")
        #expect((form["firstLinkTop"] as? Double ?? 999) < 60)
        #expect(form["scrollWidth"] as? Int == 390)
        #expect(form["checkedWhen"] as? String == "after")
        let signsTop = try #require(result["signsTopAfterTap"] as? Double)
        #expect(abs(signsTop) < 5, "one tap brings the signs to the top (\(signsTop))")

        // The first 30 ordinary reports are saved; the 31st is over the limit.
        #expect(result["saved"] as? Int == 30, "\(result["answers"] ?? "")")
        let chest = try #require(result["chest"] as? [String: Any])
        let advice = chest["advice"] as? String ?? ""
        #expect(chest["h1"] as? String == "Your report is saved", "\(chest["text"] ?? "")")
        #expect(advice.contains("Chest pain"))
        #expect(advice.contains("emergency"))
        #expect(advice.contains("Emergency: call 112"))
        #expect(!(chest["text"] as? String ?? "").contains("chest-pain"))

        server.stop()
        let reports = try Self.reports(p)
        #expect(reports.count == 31)
        #expect((reports.last?["flags"] as? [String]) == ["chest-pain"])
    }

    /// POST answers 303 to the confirmation: reloading it sends nothing again.
    @Test func aReloadOfTheConfirmationAddsNoReport() throws {
        let (p, token) = try Self.linked()
        let server = try ServeProcess(folder: p.dir, now: Self.now)
        defer { server.stop() }
        let shots = try Self.shotFolder()
        let result = try Self.flow(["reload", "http://127.0.0.1:\(server.port)/p/\(token)/check-in", shots.path])
        let first = try #require(result["first"] as? [String: Any])
        let url = try #require(first["url"] as? String)
        #expect(url.contains("/check-in/saved/"))
        let text = first["text"] as? String ?? ""
        #expect(text.contains("7 out of 10") && text.contains("After exercise"))
        #expect(text.contains("for today"), "a red score says to stop that exercise today: \(text)")
        let reloads = try #require(result["reloads"] as? [[String]])
        #expect(reloads.count == 2)
        for r in reloads { #expect(r.first == url && r.last == text) }

        server.stop()
        let reports = try Self.reports(p)
        #expect(reports.count == 1)
        #expect(reports.first?["pain"] as? Int == 7)
        #expect(reports.first?["exercise"] as? String == result["exercise"] as? String)
    }
}
