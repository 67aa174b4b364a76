import Foundation
import Testing

/// The clinic's pages as a clinician uses them: headless Chromium (Selenium,
/// scripts/interop/clinic_flow.py) against `rehab serve --clinicians` with a fixed clock.
/// Signs in, finds the halted patient first in the caseload, clears them with the page's
/// form, approves a gated tensioner for another patient, and finds both entries in
/// `rehab history` under the clinician's name. Skipped, saying so, without Chromium.
@Suite("clinic pages in headless Chromium")
struct ClinicBrowserTests {
    static let now = "2026-11-20T08:30:00Z"
    static let name = "Dr Weber"
    static let password = "a long clinic password"

    static var browserMissing: String? {
        for tool in ["/usr/bin/chromium", "/usr/bin/chromedriver"] where !FileManager.default.isExecutableFile(atPath: tool) {
            return "\(tool) is not installed (scripts/install-deps.sh --test installs it)"
        }
        return nil
    }

    /// p-0001 reported a fever last night (halted); p-0002 is in the function stage with two
    /// green weeks of nerve glides, so the glide's gated tensioner step awaits approval;
    /// p-0003 is an ordinary patient.
    static func clinic() throws -> (dir: URL, clinicians: URL) {
        let p = try PatientDir()
        let dir = p.dir
        let yaml = try String(contentsOf: dir.appendingPathComponent("p.yaml"), encoding: .utf8)
        try Data(yaml.replacingOccurrences(of: "id: p-0001", with: "id: p-0003").utf8).write(to: dir.appendingPathComponent("c.yaml"))
        let gated = yaml.replacingOccurrences(of: "id: p-0001", with: "id: p-0002")
            .replacingOccurrences(of: "start_date: 2026-11-09", with: "start_date: 2026-11-06") + "start_stage: function\n"
        try Data(gated.utf8).write(to: dir.appendingPathComponent("b.yaml"))
        try p.log(["--flag", "fever", "--at", "2026-11-19T20:00"])
        // Two weeks of quiet nerve glides: the slider climbs every three green days to its
        // top rung, and the tensioner's rung above it waits for approval from 2026-11-18.
        var env = ProcessInfo.processInfo.environment
        env["REHAB_NOW"] = now
        for day in 6...19 {
            let d = day < 10 ? "0\(day)" : "\(day)"
            let next = day + 1 < 10 ? "0\(day + 1)" : "\(day + 1)"
            for args in [["--exercise", "nerve-glide-slider", "--when", "after", "--pain", "0", "--at", "2026-11-\(d)T18:00"],
                         ["--when", "next-morning", "--pain", "0", "--at", "2026-11-\(next)T08:00"]] {
                let logged = try runRehab(["log", "b.yaml"] + args, in: dir, environment: env)
                try #require(logged.status == 0, "\(logged.stderr)")
            }
        }
        let clinicians = dir.appendingPathComponent("clinicians")
        let added = try runRehab(["clinician", "add", name, "--file", clinicians.path, "--password-stdin"], stdin: password + "\n")
        try #require(added.status == 0, "\(added.stderr)")
        return (dir, clinicians)
    }

    static func history(_ dir: URL, _ file: String) throws -> [String: Any] {
        var env = ProcessInfo.processInfo.environment
        env["REHAB_NOW"] = now
        let run = try runRehab(["history", file, "--format", "json"], in: dir, environment: env)
        try #require(run.status == 0, "\(run.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    @Test(.enabled(if: browserMissing == nil, "\(browserMissing ?? "")"))
    func signInResumeAndApproveFromThePages() throws {
        let (dir, clinicians) = try Self.clinic()
        let server = try ServeProcess(folder: dir, now: Self.now, extraArguments: ["--clinicians", clinicians.path, "--insecure-cookies"])
        defer { server.stop() }
        let shots = try CheckInBrowserTests.shotFolder()
        let browser = Process()
        browser.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        browser.arguments = ["python3", packageRoot.appendingPathComponent("scripts/interop/clinic_flow.py").path,
                             "http://127.0.0.1:\(server.port)", Self.name, Self.password, "p-0002", shots.path]
        let run = try BoundedProcess.run(browser, timeout: 300, what: "clinic_flow.py (headless Chromium)")
        try #require(run.status == 0, "\(run.stderr.suffix(2000))")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])

        let desk = try #require(result["1280x800"] as? [String: Any])
        #expect((desk["landedOn"] as? String ?? "").hasSuffix("/clinic/login"))
        #expect((desk["afterSignIn"] as? String ?? "").hasSuffix("/clinic/"))
        let links = try #require(desk["links"] as? [[String]])
        #expect(links.first?.last?.hasSuffix("/clinic/patients/p-0001") == true, "\(links)")
        #expect((desk["firstRowText"] as? String ?? "").contains("p-0001"))
        #expect(desk["haltedBefore"] as? Bool == true)
        #expect(desk["resumed"] as? Bool == true)
        #expect((desk["afterResumeURL"] as? String ?? "").hasSuffix("/clinic/patients/p-0001"))
        #expect(desk["haltedAfter"] as? Bool == false, "\(desk["afterResumeText"] ?? "")")
        #expect((desk["afterResumeText"] as? String ?? "").contains("by \(Self.name)"), "\(desk["afterResumeText"] ?? "")")
        #expect((desk["approveForms"] as? [String] ?? []).count == 1, "\(desk["approveForms"] ?? "")")
        #expect(desk["approved"] as? Bool == true)
        #expect((desk["afterApproveURL"] as? String ?? "").hasSuffix("/clinic/patients/p-0002"))
        #expect((desk["afterApproveText"] as? String ?? "").contains("by \(Self.name)"))
        #expect(desk["approveFormsAfter"] as? Int == 0)
        let phone = try #require(result["390x844"] as? [String: Any])
        #expect(phone["scrollWidth"] as? Int == 390)
        withKnownIssue("the patient page's document is wider than a 390 px phone (views' template; reported to the lead)") {
            #expect(phone["patientScrollWidth"] as? Int == 390)
        }

        server.stop()
        // The pain logs hold what the commands would have written, under the clinician's name.
        let halted = try Self.history(dir, "p.yaml")
        let resumes = halted["resumes"] as? [[String: Any]] ?? []
        #expect(resumes.contains { $0["cleared_by"] as? String == Self.name }, "\(resumes)")
        let plan = try runRehab(["plan", "p.yaml", "--format", "json", "--days", "1"], in: dir, environment: ["REHAB_NOW": Self.now])
        let status = (try? JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])?["status"] as? String
        #expect(status == "active", "\(plan.stdout.prefix(400))")
        let gated = try Self.history(dir, "b.yaml")
        let approvals = gated["approvals"] as? [[String: Any]] ?? []
        #expect(approvals.contains { $0["by"] as? String == Self.name && $0["exercise"] as? String == "nerve-glide" }, "\(approvals)")
        let audit = try String(contentsOf: URL(fileURLWithPath: clinicians.path + ".audit"), encoding: .utf8)
        #expect(audit.contains(#""what":"resume""#) && audit.contains(#""what":"approve exercise nerve-glide""#))
    }
}
