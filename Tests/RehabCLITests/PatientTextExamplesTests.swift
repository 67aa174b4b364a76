import Foundation
import Testing

/// Calendar events never show a `rehab ...` command or a file name. Checked on
/// every event of every export and publish of the shipped example patients - plain,
/// linked (`--base-url`), halted by a warning sign and cleared again - copied with their
/// own file names, so a leaked name would show. (The feeds: RehabServerTests.)
@Suite("patient text of the shipped examples", .serialized)
struct PatientTextExamplesTests {
    /// A copy of one example (its pain log too) in a folder of its own.
    struct Copy {
        let dir: URL
        let file: String
        var stem: String { String(file.dropLast(".yaml".count)) }

        init(_ example: String) throws {
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("rehab-words-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            file = (example as NSString).lastPathComponent
            let source = packageRoot.appendingPathComponent(example)
            try FileManager.default.copyItem(at: source, to: dir.appendingPathComponent(file))
            let log = source.deletingPathExtension().appendingPathExtension("painlog")
            if FileManager.default.fileExists(atPath: log.path) {
                try FileManager.default.copyItem(at: log, to: dir.appendingPathComponent(log.lastPathComponent))
            }
        }

        func run(_ arguments: [String], now: String) throws -> ProcessResult {
            var environment = ProcessInfo.processInfo.environment
            environment["REHAB_NOW"] = now
            return try runRehab(arguments, in: dir, environment: environment)
        }

        func text(_ name: String) throws -> String {
            try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
        }
    }

    /// Every VEVENT's text values, unfolded and unescaped, one string per event.
    static func eventTexts(_ ics: String) -> [String] {
        let unfolded = ics.replacingOccurrences(of: "\r\n ", with: "")
        return unfolded.components(separatedBy: "BEGIN:VEVENT").dropFirst().map { block in
            block.components(separatedBy: "END:VEVENT")[0]
                .replacingOccurrences(of: "\\n", with: "\n").replacingOccurrences(of: "\\,", with: ",")
                .replacingOccurrences(of: "\\;", with: ";").replacingOccurrences(of: "\\\\", with: "\\")
        }
    }

    /// What must never be in an event: a command, a file name, the example's own name.
    static func leaks(_ text: String, stem: String) -> [String] {
        ["rehab ", ".yaml", ".painlog", ".ics", ".token", stem, "--pain", "--flag", "--cleared-by"]
            .filter { text.contains($0) }
    }

    @Test(arguments: ExportExamplesTests.examples.map(\.file))
    func exportsNeverShowACommandOrAFileName(_ example: String) throws {
        let c = try Copy(example)
        defer { try? FileManager.default.removeItem(at: c.dir) }
        var outputs: [(String, String)] = []
        func export(_ out: String, asOf: String, now: String, _ extra: [String] = []) throws {
            let r = try c.run(["export", c.file, "--out", out, "--as-of", asOf] + extra, now: now)
            #expect(r.status == 0, "\(r.stderr)")
            outputs.append(("\(out) as of \(asOf)", try c.text(out)))
        }
        try export("plain.ics", asOf: "2026-11-23", now: "2026-11-23T06:00:00Z")
        #expect(try c.run(["link", c.file], now: "2026-11-23T06:00:00Z").status == 0)
        try export("linked.ics", asOf: "2026-11-23", now: "2026-11-23T06:00:00Z", ["--base-url", "https://rehab.example.org"])
        // A warning sign, then the clinician's clearance: exported over the same files.
        // "Now" is late enough in UTC that 10:00 local has passed in New York, Berlin and Sydney.
        let flag = try c.run(["log", c.file, "--flag", "chest-pain", "--at", "2026-11-23T10:00"], now: "2026-11-23T23:30:00Z")
        #expect(flag.status == 0, "\(flag.stderr)")
        try export("plain.ics", asOf: "2026-11-23", now: "2026-11-23T23:30:00Z")
        try export("linked.ics", asOf: "2026-11-23", now: "2026-11-23T23:30:00Z", ["--base-url", "https://rehab.example.org"])
        let cleared = try c.run(["resume", c.file, "--cleared-by", "Dr Test", "--at", "2026-11-25T09:00"], now: "2026-11-25T23:30:00Z")
        #expect(cleared.status == 0, "\(cleared.stderr)")
        try export("plain.ics", asOf: "2026-11-25", now: "2026-11-25T23:30:00Z")
        try export("linked.ics", asOf: "2026-11-25", now: "2026-11-25T23:30:00Z", ["--base-url", "https://rehab.example.org"])

        var kinds = Set<String>()
        for (name, ics) in outputs {
            let events = Self.eventTexts(ics)
            #expect(!events.isEmpty, "\(name)")
            for event in events {
                for category in ["REHAB-SESSION", "REHAB-CHECKIN", "REHAB-ADVICE"] where event.contains("CATEGORIES:\(category)") {
                    kinds.insert(category)
                }
                #expect(Self.leaks(event, stem: c.stem).isEmpty, "\(example) \(name): \(Self.leaks(event, stem: c.stem)) in\n\(event)")
            }
        }
        // Sessions, morning check-ins and the halt's advice were all looked at.
        #expect(kinds == ["REHAB-SESSION", "REHAB-CHECKIN", "REHAB-ADVICE"])
    }

    @Test func publishedEventsNeverShowACommandOrAFileName() throws {
        let server = try RadicaleServer()
        defer { server.stop() }
        for example in ExportExamplesTests.examples {
            let c = try Copy(example.file)
            defer { try? FileManager.default.removeItem(at: c.dir) }
            let url = server.calendarURL("words-\(example.id)")
            func publish(_ now: String) throws {
                var environment = RadicaleServer.environment
                environment["REHAB_NOW"] = now
                let r = try runRehab(["publish", c.file, "--caldav", url, "--user", RadicaleServer.user,
                                      "--password-env", RadicaleServer.passwordEnv, "--days", "14"],
                                     in: c.dir, environment: environment, timeout: 60)
                #expect(r.status == 0, "\(r.stderr)")
            }
            try publish("2026-11-23T06:00:00Z")
            #expect(try c.run(["log", c.file, "--flag", "fever", "--at", "2026-11-23T10:00"], now: "2026-11-23T23:30:00Z").status == 0)
            try publish("2026-11-23T23:30:00Z")
            let events = try server.read(url)
            #expect(events.count > 3)
            #expect(events.values.contains { ($0["categories"] as? [String]) == ["REHAB-ADVICE"] })
            for (uid, event) in events {
                let text = [event["summary"], event["description"]].compactMap { $0 as? String }.joined(separator: "\n")
                #expect(!text.isEmpty)
                #expect(Self.leaks(text, stem: c.stem).isEmpty, "\(example.file) \(uid): \(text)")
            }
        }
    }
}
