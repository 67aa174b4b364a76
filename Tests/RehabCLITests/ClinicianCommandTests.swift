import Foundation
import RehabFormat
import Testing

/// `rehab clinician add`: the clinician file's lines, mode, atomic replacement, refusals.
struct ClinicianCommandTests {
    func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rehab-clinician-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func addsAndReplacesLinesWithMode0600() throws {
        let dir = try folder()
        let file = dir.appendingPathComponent("clinicians").path
        let first = try runRehab(["clinician", "add", "Dr Weber", "--file", file, "--password-stdin"], stdin: "first secret\n")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(!first.stdout.contains("first secret"))
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try runRehab(["clinician", "add", "Anna Kraus", "--file", file, "--password-stdin"], stdin: "other\n").status == 0)
        let before = try #require(try ClinicianFile.read(path: file))
        #expect(before.entries.map(\.name) == ["Dr Weber", "Anna Kraus"])
        #expect(before.problems.isEmpty)
        #expect(!(try String(contentsOfFile: file, encoding: .utf8)).contains("secret"))
        let hash = try #require(before.hash(for: "Dr Weber"))
        #expect(hash.hasPrefix("$2b$12$") || hash.hasPrefix("$2a$12$") || hash.hasPrefix("$2y$12$"))
        // A new password replaces the line in place.
        #expect(try runRehab(["clinician", "add", "Dr Weber", "--file", file, "--password-stdin"], stdin: "second\n").status == 0)
        let after = try #require(try ClinicianFile.read(path: file))
        #expect(after.entries.map(\.name) == ["Dr Weber", "Anna Kraus"])
        #expect(after.hash(for: "Dr Weber") != hash)
        #expect(after.hash(for: "Anna Kraus") == before.hash(for: "Anna Kraus"))
    }

    @Test func refusesALinkAndBadNamesAndAnEmptyPassword() throws {
        let dir = try folder()
        let target = dir.appendingPathComponent("elsewhere")
        try Data("keep me\n".utf8).write(to: target)
        let link = dir.appendingPathComponent("clinicians")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        let linked = try runRehab(["clinician", "add", "Dr Weber", "--file", link.path, "--password-stdin"], stdin: "pw\n")
        #expect(linked.status == 65)
        #expect(linked.stderr.contains("symbolic link"))
        #expect(try String(contentsOf: target, encoding: .utf8) == "keep me\n")

        let file = dir.appendingPathComponent("list").path
        for bad in ["", String(repeating: "x", count: 65), "Dr:Weber", "Dr\tWeber", " Dr Weber"] {
            let r = try runRehab(["clinician", "add", bad, "--file", file, "--password-stdin"], stdin: "pw\n")
            #expect(r.status == 65, "\(bad.debugDescription): \(r.stderr)")
        }
        #expect(try runRehab(["clinician", "add", String(repeating: "x", count: 64), "--file", file, "--password-stdin"], stdin: "pw\n").status == 0)
        #expect(try runRehab(["clinician", "add", "Dr Weber", "--file", file, "--password-stdin"], stdin: "\n").status == 65)
        #expect(try runRehab(["clinician", "add", "Dr Weber", "--file", file], stdin: "pw\n").status == 64)
        #expect(try ClinicianFile.read(path: file)?.entries.count == 1)
    }

    @Test func aFileWithBadLinesIsLeftAloneAndNamedByLineOnly() throws {
        let dir = try folder()
        let file = dir.appendingPathComponent("clinicians").path
        let text = "# the clinic\nDr Weber:not-a-hash-SECRETISH\nno colon here SECRETISH\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        let r = try runRehab(["clinician", "add", "Anna", "--file", file, "--password-stdin"], stdin: "pw\n")
        #expect(r.status == 65)
        #expect(r.stderr.contains("line 2") && r.stderr.contains("line 3"))
        #expect(!r.stderr.contains("SECRETISH"))
        #expect(try String(contentsOfFile: file, encoding: .utf8) == text)
        let serve = try runRehab(["serve", "--patients", dir.path, "--clinicians", file, "--port", "0"], timeout: 60)
        #expect(serve.status == 65)
        #expect(serve.stderr.contains("line 2") && !serve.stderr.contains("SECRETISH"))
    }

    @Test func serveRefusesClinicFlagsWithoutAClinicianFileAndABadProxy() throws {
        let dir = try folder()
        let file = dir.appendingPathComponent("clinicians").path
        #expect(try runRehab(["serve", "--patients", dir.path, "--insecure-cookies"], timeout: 60).status == 64)
        #expect(try runRehab(["serve", "--patients", dir.path, "--trusted-proxy", "127.0.0.1"], timeout: 60).status == 64)
        #expect(try runRehab(["serve", "--patients", dir.path, "--clinicians", file], timeout: 60).status == 74)  // no file yet
        #expect(try runRehab(["clinician", "add", "Dr Weber", "--file", file, "--password-stdin"], stdin: "pw\n").status == 0)
        let proxy = try runRehab(["serve", "--patients", dir.path, "--clinicians", file, "--trusted-proxy", "proxy.example"], timeout: 60)
        #expect(proxy.status == 64)
        let knob = try runRehab(["serve", "--patients", dir.path, "--clinicians", file, "--test-session-idle", "0"], timeout: 60)
        #expect(knob.status == 64)
        let help = try runRehab(["serve", "--help"])
        for flag in ["--clinicians", "--insecure-cookies", "--trusted-proxy", "--test-lockout-window", "--test-session-lifetime"] {
            #expect(help.stdout.contains(flag), "\(flag)")
        }
        #expect(help.stdout.contains("Test only"))
    }

    /// A clinician file others may read, a name the file would read as a comment, a hash
    /// cheaper than cost 12, and session cookies without `Secure` off loopback: refused.
    @Test func looseFilesWeakHashesCommentNamesAndInsecureCookiesAreRefused() throws {
        let dir = try folder()
        let file = dir.appendingPathComponent("clinicians").path
        #expect(try runRehab(["clinician", "add", "#Dr Weber", "--file", file, "--password-stdin"], stdin: "pw\n").status == 65)
        #expect(try runRehab(["clinician", "add", "Dr Weber", "--file", file, "--password-stdin"], stdin: "pw\n").status == 0)
        let serve = ["serve", "--patients", dir.path, "--clinicians", file, "--port", "0"]
        #expect(chmod(file, 0o640) == 0)
        let loose = try runRehab(serve, timeout: 60)
        #expect(loose.status == 65 && loose.stderr.contains("chmod 600"), "\(loose.stderr)")
        #expect(chmod(file, 0o600) == 0)
        let offLoopback = try runRehab(serve + ["--host", "0.0.0.0", "--insecure-cookies"], timeout: 60)
        #expect(offLoopback.status == 64 && offLoopback.stderr.contains("loopback"), "\(offLoopback.stderr)")
        // A cost-4 hash written by hand is not a valid line.
        let cheap = "Dr Cheap:$2b$04$" + String(repeating: "a", count: 53)
        #expect(!ClinicianFile.looksLikeHash(cheap.split(separator: ":", maxSplits: 1)[1].description))
        #expect(ClinicianFile.looksLikeHash("$2b$12$" + String(repeating: "a", count: 53)))
        try Data((cheap + "\n").utf8).write(to: URL(fileURLWithPath: file))
        #expect(chmod(file, 0o600) == 0)
        #expect(try runRehab(serve, timeout: 60).status == 65)
    }
}
