import Foundation
import Testing

/// `rehab handout`: the file, its mode, and what Chromium, pdftotext and zbarimg make of it.
@Suite("rehab handout")
struct HandoutCommandTests {
    static func tool(_ path: String, _ arguments: [String]) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        return try BoundedProcess.run(process, timeout: 240, what: (path as NSString).lastPathComponent)
    }

    /// Whitespace collapsed, so text wrapped over lines of a PDF compares with a step.
    static func flat(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    @Test func writesAModeSixHundredFileAndRefusesAnUnlinkedBaseURL() throws {
        let p = try PatientDir()
        let r = try p.run("handout", ["--out", "h.html", "--as-of", "2026-11-23"])
        #expect(r.status == 0, "\(r.stderr)")
        let out = p.dir.appendingPathComponent("h.html")
        let mode = try FileManager.default.attributesOfItem(atPath: out.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let html = try String(contentsOf: out, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>") && !html.contains("rehab ") && !html.contains("p.yaml"))
        // Not linked: --base-url is refused and nothing is written.
        let refused = try p.run("handout", ["--out", "q.html", "--base-url", "https://rehab.example.org"])
        #expect(refused.status == 65)
        #expect(!FileManager.default.fileExists(atPath: p.dir.appendingPathComponent("q.html").path))
        #expect(try p.run("handout", ["--out", "q.html", "--days", "0"]).status == 65)
    }

    /// Printed by Chromium on A4 and Letter: at most 6 pages; every step and the diary in
    /// the PDF's text; both QR codes decode to the feed and check-in URLs.
    @Test func printsInSixPagesWithStepsDiaryAndReadableQRCodes() throws {
        let p = try PatientDir(extraYAML: "clinic:\n  name: Riverside Spine Physio\n  phone: \"+49 30 1234567\"\nemergency_number: \"112\"\n")
        #expect(try p.run("link", ["--base-url", "https://rehab.example.org"]).status == 0)
        let token = try String(contentsOf: p.dir.appendingPathComponent("p.token"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let r = try p.run("handout", ["--out", "h.html", "--as-of", "2026-11-23", "--base-url", "https://rehab.example.org"])
        #expect(r.status == 0, "\(r.stderr)")
        let out = ProcessInfo.processInfo.environment["REHAB_SHOTS"].map { URL(fileURLWithPath: $0) } ?? p.dir
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)

        let print = try Self.tool("/usr/bin/env", ["python3", packageRoot.appendingPathComponent("scripts/interop/handout_print.py").path,
                                                  p.dir.appendingPathComponent("h.html").path, out.path])
        try #require(print.status == 0, "\(print.stderr.suffix(2000))")
        let facts = try #require(try? JSONSerialization.jsonObject(with: Data(print.stdout.utf8)) as? [String: Any],
                                 "handout_print.py said: \(print.stdout.suffix(500)) \(print.stderr.suffix(1500))")
        #expect((facts["resources"] as? [Any])?.isEmpty == true, "the handout loads nothing: \(facts["resources"] ?? "")")
        #expect(facts["phoneScrollWidth"] as? Int == 390)
        #expect(facts["desktopScrollWidth"] as? Int == 1280)

        let plan = try p.run("plan", ["--as-of", "2026-11-23", "--format", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
        let ids = Set(((json["sessions"] as? [[String: Any]]) ?? []).flatMap { s in
            ((s["exercises"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
        })
        #expect(!ids.isEmpty)
        let exercises = try runRehab(["exercises", "--format", "json"])
        let library = try #require(try JSONSerialization.jsonObject(with: Data(exercises.stdout.utf8)) as? [String: Any])
        let entries = (library["exercises"] as? [[String: Any]]) ?? []

        for paper in ["a4", "letter"] {
            let pdf = out.appendingPathComponent("handout-\(paper).pdf").path
            let info = try Self.tool("/usr/bin/pdfinfo", [pdf])
            let pages = info.stdout.split(separator: "\n").first { $0.hasPrefix("Pages:") }
                .flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
            #expect((1...6).contains(pages), "\(paper): \(pages) pages")
            let text = Self.flat(try Self.tool("/usr/bin/pdftotext", ["-layout", pdf, "-"]).stdout)
            let raw = Self.flat(try Self.tool("/usr/bin/pdftotext", [pdf, "-"]).stdout)
            for id in ids {
                let entry = try #require(Self.find(id, in: entries), "\(id) not in rehab exercises")
                for step in (entry["instructions"] as? [String]) ?? [] {
                    #expect(raw.contains(Self.flat(step)) || text.contains(Self.flat(step)), "\(paper): step of \(id) missing: \(step)")
                }
            }
            #expect(raw.contains("Pain diary: two weeks") && raw.contains("Next morning"))
            #expect(raw.contains("Tue 1 Dec"), "\(paper): the diary's 9th day")
            #expect(raw.contains("112") && raw.contains("+49 30 1234567"))
        }

        let zbar = try Self.tool("/usr/bin/zbarimg", ["--raw", "-q", out.appendingPathComponent("qr.png").path])
        let decoded = Set(zbar.stdout.split(separator: "\n").map(String.init))
        let urls: Set = ["https://rehab.example.org/feeds/\(token)/calendar.ics", "https://rehab.example.org/p/\(token)/check-in"]
        #expect(decoded == urls, "zbarimg read: \(zbar.stdout) \(zbar.stderr)")
        // And from the printed A4 pages, rendered at 150 dpi.
        let prefix = out.appendingPathComponent("printed").path
        #expect(try Self.tool("/usr/bin/pdftoppm", ["-r", "150", "-png", out.appendingPathComponent("handout-a4.pdf").path, prefix]).status == 0)
        let pages = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasPrefix("printed") }.sorted()
        let printed = try Self.tool("/usr/bin/zbarimg", ["--raw", "-q"] + pages.map { out.appendingPathComponent($0).path })
        #expect(Set(printed.stdout.split(separator: "\n").map(String.init)) == urls, "zbarimg read from the PDF: \(printed.stdout)")
    }

    /// Each shipped example patient (with its pain log, if any) prints in at most 6 pages
    /// on A4 and on Letter.
    @Test(arguments: ["decompression-patient", "fusion-patient", "late-leg-pain-patient"])
    func everyExamplePrintsInSixPages(example: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rehab-handout-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let examples = packageRoot.appendingPathComponent("programs/examples")
        for ext in ["yaml", "painlog"] {
            let from = examples.appendingPathComponent("\(example).\(ext)")
            if FileManager.default.fileExists(atPath: from.path) {
                try FileManager.default.copyItem(at: from, to: dir.appendingPathComponent("p.\(ext)"))
            }
        }
        let r = try runRehab(["handout", "p.yaml", "--out", "h.html", "--as-of", "2026-11-23"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let print = try Self.tool("/usr/bin/env", ["python3", packageRoot.appendingPathComponent("scripts/interop/handout_print.py").path,
                                                  dir.appendingPathComponent("h.html").path, dir.path])
        try #require(print.status == 0, "\(print.stderr.suffix(2000))")
        for paper in ["a4", "letter"] {
            let info = try Self.tool("/usr/bin/pdfinfo", [dir.appendingPathComponent("handout-\(paper).pdf").path])
            let pages = info.stdout.split(separator: "\n").first { $0.hasPrefix("Pages:") }
                .flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
            #expect((1...6).contains(pages), "\(example) on \(paper): \(pages) pages")
        }
    }

    /// An exercise or variant entry of `rehab exercises --format json`.
    static func find(_ id: String, in entries: [[String: Any]]) -> [String: Any]? {
        for e in entries {
            if e["id"] as? String == id { return e }
            if let v = (e["variants"] as? [[String: Any]])?.first(where: { $0["id"] as? String == id }) { return v }
        }
        return nil
    }
}
