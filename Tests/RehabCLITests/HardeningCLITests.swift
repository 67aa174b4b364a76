import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// The second hardening round's findings, each reproduced through the real `rehab` binary:
/// a pain log that is a link or a pipe, private outputs, batch's odd entries, a full disk,
/// `validate` on folders, escape sequences in program text, a program file read once.
@Suite("hardening, round 2: the commands")
struct HardeningCLITests {
    static let runAsRoot = getuid() == 0

    // MARK: 1 - a symlinked pain log

    @Test func aWarningSignIsNotWrittenThroughALinkedLog() throws {
        let p = try PatientDir()
        let outside = p.dir.deletingLastPathComponent().appendingPathComponent("passwd-copy-\(UUID().uuidString)")
        let content = "root:x:0:0:root:/root:/bin/bash\n"
        try Data(content.utf8).write(to: outside)
        defer { try? FileManager.default.removeItem(at: outside) }
        try FileManager.default.createSymbolicLink(at: p.logURL, withDestinationURL: outside)
        let r = try p.run("log", ["--flag", "fever"])
        #expect(r.status == 65, "\(r.status) \(r.stderr)")
        #expect(r.stderr.contains("symbolic link"), "\(r.stderr)")
        #expect(r.stdout.contains("WARNING"), "the advice is printed even when the report cannot be saved")
        #expect(try String(contentsOf: outside, encoding: .utf8) == content)
        #expect(!r.stderr.contains("root:x") && !r.stdout.contains("root:x"))
        for command in ["plan", "history"] {
            let read = try p.run(command)
            #expect(read.status == 65, "\(command): \(read.status) \(read.stderr)")
            #expect(!read.stdout.contains("root:x") && !read.stderr.contains("root:x"))
        }
    }

    @Test func aDanglingLinkIsCalledALink() throws {
        let p = try PatientDir()
        try FileManager.default.createSymbolicLink(atPath: p.logURL.path, withDestinationPath: "nowhere/else.painlog")
        let r = try p.run("log", ["--pain", "3", "--when", "after"])
        #expect(r.status == 65)
        #expect(r.stderr.contains("symbolic link"), "\(r.stderr)")
        #expect(!r.stderr.contains("keeps changing"))
    }

    // MARK: 2 - a pipe never blocks

    @Test(arguments: [["plan"], ["history"], ["log", "--pain", "2", "--when", "after"], ["explain"]])
    func aPipeAsPainLogIsRefusedAtOnce(arguments: [String]) throws {
        let p = try PatientDir()
        #expect(mkfifo(p.logURL.path, 0o600) == 0)
        var env = ProcessInfo.processInfo.environment
        env["REHAB_NOW"] = "2026-11-20T08:30:00Z"
        let r = try runRehab([arguments[0], "p.yaml"] + arguments.dropFirst(), in: p.dir, environment: env, timeout: 30)
        #expect(r.status == 65, "\(r.status) \(r.stderr)")
        #expect(r.stderr.contains("named pipe"), "\(r.stderr)")
    }

    @Test func validateAndBatchRefuseAPipeAtOnce() throws {
        let c = try ClinicDir()
        try c.addPatient("a.yaml", id: "p-a")
        #expect(mkfifo(c.root.appendingPathComponent("in/a.painlog").path, 0o600) == 0)
        #expect(mkfifo(c.root.appendingPathComponent("in/pipe.yaml").path, 0o600) == 0)
        var env = ProcessInfo.processInfo.environment
        env["REHAB_NOW"] = "2026-11-20T08:30:00Z"
        let validate = try runRehab(["validate", "in/a.painlog", "in/pipe.yaml"], in: c.root, environment: env, timeout: 30)
        #expect(validate.status != 0)
        #expect(validate.stderr.components(separatedBy: "named pipe").count == 3, "\(validate.stderr)")
        let batch = try runRehab(["batch", "in", "--out", "out", "--summary", "summary.json"], in: c.root, environment: env, timeout: 60)
        #expect(batch.status == 65)
        #expect(batch.stderr.contains("planned 0, halted 0, failed 2"), "\(batch.stderr)")
    }

    // MARK: 8 - private outputs whatever the umask

    @Test(arguments: ["022", "077"])
    func everyOutputIsPrivate(umask mask: String) throws {
        let c = try ClinicDir()
        try c.addPatient("a.yaml", id: "p-a")
        #expect(try c.run(["link", "in/a.yaml"]).status == 0)
        let rehab = rehabBinary.path
        let script = """
        umask \(mask)
        export REHAB_NOW=2026-11-20T08:30:00Z
        '\(rehab)' export in/a.yaml --out linked.ics --base-url https://clinic.example.org >/dev/null 2>&1 || exit 1
        '\(rehab)' batch in --out out --summary summary.json 2>/dev/null || exit 2
        """
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", script]
        shell.currentDirectoryURL = c.root
        try shell.run()
        shell.waitUntilExit()
        #expect(shell.terminationStatus == 0)
        let token = try String(contentsOf: c.root.appendingPathComponent("in/a.token"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(String(decoding: c.bytes("linked.ics") ?? Data(), as: UTF8.self).contains(token))
        for file in ["linked.ics", "out/p-a.ics", "out/p-a.json", "summary.json", "in/a.token"] {
            let mode = try FileManager.default.attributesOfItem(atPath: c.root.appendingPathComponent(file).path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(file) has mode \(String(mode ?? 0, radix: 8)) under umask \(mask)")
        }
    }

    // MARK: 9 - batch lists every entry it could not plan

    @Test func batchListsEveryOddEntryAsFailedWithoutQuotingIt() throws {
        let c = try ClinicDir()
        let fm = FileManager.default
        let inside = c.root.appendingPathComponent("in")
        try c.addPatient("a.yaml", id: "p-a")
        try c.addPatient("sub/b.yaml", id: "p-b")
        try fm.createSymbolicLink(atPath: inside.appendingPathComponent("gone.yaml").path, withDestinationPath: "missing.yaml")
        try fm.createSymbolicLink(atPath: inside.appendingPathComponent("loop1.yaml").path, withDestinationPath: "loop2.yaml")
        try fm.createSymbolicLink(atPath: inside.appendingPathComponent("loop2.yaml").path, withDestinationPath: "loop1.yaml")
        try fm.createSymbolicLink(atPath: inside.appendingPathComponent("passwd.yaml").path, withDestinationPath: "/etc/passwd")
        try fm.createSymbolicLink(atPath: inside.appendingPathComponent("link-to-a.yaml").path, withDestinationPath: "a.yaml")
        try fm.createSymbolicLink(atPath: inside.appendingPathComponent("elsewhere").path, withDestinationPath: c.root.appendingPathComponent("other").path)
        try c.addPatient("../other/c.yaml", id: "p-c")
        #expect(mkfifo(inside.appendingPathComponent("pipe.yaml").path, 0o600) == 0)
        try c.write("in/secret.yaml", "root:x:0:0:SECRET-CONTENT:/root:/bin/bash\ndaemon:x:1:1:MORE-SECRET:/usr/sbin\n")
        try fm.linkItem(atPath: inside.appendingPathComponent("a.yaml").path, toPath: inside.appendingPathComponent("hard-a.yaml").path)
        let batch = try runRehab(["batch", "in", "--out", "out", "--summary", "summary.json", "--as-of", "2026-11-23"],
                                 in: c.root, environment: ProcessInfo.processInfo.environment, timeout: 60)
        #expect(batch.status == 65, "\(batch.stderr)")
        let summary = try c.summary("summary.json")
        let entries = summary["patients"] as? [[String: Any]] ?? []
        let status = Dictionary(entries.map { ($0["file"] as? String ?? "", $0["status"] as? String ?? "") }, uniquingKeysWith: { a, _ in a })
        #expect(status["a.yaml"] == "planned")
        #expect(status["sub/b.yaml"] == "planned")
        for odd in ["gone.yaml", "loop1.yaml", "loop2.yaml", "passwd.yaml", "link-to-a.yaml", "elsewhere/", "pipe.yaml", "secret.yaml"] {
            #expect(status[odd] == "failed", "\(odd): \(status[odd] ?? "not listed")")
        }
        #expect(status["hard-a.yaml"] == nil, "a second name of a.yaml is not a second patient")
        #expect(batch.stderr.contains("hard-a.yaml") && batch.stderr.contains("planned once"), "\(batch.stderr)")
        let counts = summary["counts"] as? [String: Any] ?? [:]
        #expect(counts["patients"] as? Int == 10 && counts["planned"] as? Int == 2 && counts["failed"] as? Int == 8, "\(counts)")
        let summaryText = String(decoding: c.bytes("summary.json") ?? Data(), as: UTF8.self)
        for secret in ["root:x", "SECRET-CONTENT", "MORE-SECRET", "daemon:"] {
            #expect(!batch.stderr.contains(secret) && !summaryText.contains(secret), "\(secret) quoted")
        }
        #expect(c.files("out") == ["p-a.ics", "p-a.json", "p-b.ics", "p-b.json"])
    }

    @Test(.enabled(if: runAsRoot, "needs root: it drops to user nobody (65534) to make a folder it cannot list"))
    func batchListsAFolderItCannotRead() throws {
        let c = try ClinicDir()
        try c.addPatient("a.yaml", id: "p-a")
        try c.addPatient("locked/b.yaml", id: "p-b")
        for path in ["", "in", "in/a.yaml", "in/locked", "in/locked/b.yaml"] {
            #expect(chmod(c.root.appendingPathComponent(path).path, path.hasSuffix(".yaml") ? 0o644 : 0o777) == 0)
        }
        #expect(chmod(c.root.appendingPathComponent("in/locked").path, 0o000) == 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", rehabBinary.path,
                             "batch", "in", "--out", "out", "--as-of", "2026-11-23"]
        process.currentDirectoryURL = c.root
        let result = try BoundedProcess.run(process, timeout: 60, what: "rehab batch as nobody")
        #expect(result.status == 65, "\(result.status) \(result.stderr)")
        #expect(result.stderr.contains("failed: locked/"), "\(result.stderr)")
        #expect(result.stderr.contains("cannot list this folder"))
    }

    // MARK: 10 - a full disk is reported as it is

    @Test(.enabled(if: runAsRoot, "needs root to mount a small tmpfs; CI runs as root"))
    func aFullDiskIsReportedAsAFullDisk() throws {
        let mountPoint = FileManager.default.temporaryDirectory.appendingPathComponent("rehab-enospc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: mountPoint) }
        #expect(try shell("mount -t tmpfs -o size=256k tmpfs '\(mountPoint.path)'") == 0)
        defer { _ = try? shell("umount '\(mountPoint.path)'") }
        try Data(PatientDir.exampleYAML.utf8).write(to: mountPoint.appendingPathComponent("p.yaml"))
        // A valid log that ends 40 bytes before a page boundary, so the next line is cut short
        // by the full disk (a short write, then ENOSPC), not refused whole.
        var log = #"{"version":1,"patient":"p-0001"}"# + "\n"
        var slots: [String] = []
        for day in 10...18 { for hour in 10...20 { slots.append("2026-11-\(day)T\(hour):00") } }
        for slot in slots where log.utf8.count < 4096 - 400 {
            log += #"{"at":"\#(slot)","when":"after","pain":1,"flags":[]}"# + "\n"
        }
        let bare = #"{"at":"2026-11-19T21:00","when":"after","pain":1,"flags":[],"note":""}"# + "\n"
        log += #"{"at":"2026-11-19T21:00","when":"after","pain":1,"flags":[],"note":"\#(String(repeating: "n", count: 4096 - 40 - log.utf8.count - bare.utf8.count))"}"# + "\n"
        #expect(log.utf8.count == 4096 - 40)
        try Data(log.utf8).write(to: mountPoint.appendingPathComponent("p.painlog"))
        _ = try shell("dd if=/dev/zero of='\(mountPoint.path)/fill' bs=4096 2>/dev/null")
        var env = ProcessInfo.processInfo.environment
        env["REHAB_NOW"] = "2026-11-20T08:30:00Z"
        let r = try runRehab(["log", "p.yaml", "--pain", "2", "--when", "after", "--note", "a note long enough to need a new page"],
                             in: mountPoint, environment: env, timeout: 30)
        #expect(r.status == 74, "\(r.status) \(r.stderr)")
        #expect(r.stderr.contains("No space left on device"), "\(r.stderr)")
        #expect(!r.stderr.contains("File exists"))
        #expect(try String(contentsOf: mountPoint.appendingPathComponent("p.painlog"), encoding: .utf8) == log)
    }

    // MARK: 11 - validate on folders, escape sequences in program text

    @Test func validateSaysAFolderIsAFolder() throws {
        let p = try PatientDir()
        try FileManager.default.createDirectory(at: p.dir.appendingPathComponent("records.painlog"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: p.dir.appendingPathComponent("patients"), withIntermediateDirectories: true)
        let r = try runRehab(["validate", "records.painlog", "patients"], in: p.dir)
        #expect(r.status == 74)
        #expect(r.stderr.components(separatedBy: "folder").count >= 3, "\(r.stderr)")
        #expect(!r.stderr.contains("no such file"), "\(r.stderr)")
    }

    @Test func escapeSequencesInProgramTextAreRefusedAndNeverPrinted() throws {
        let p = try PatientDir()
        let shipped = try String(contentsOf: packageRoot.appendingPathComponent("programs/lumbar-decompression.yaml"), encoding: .utf8)
        // A stage title that would clear the screen and hide what follows.
        guard let title = shipped.range(of: "title: ") else { Issue.record("no title in the program"); return }
        let lineEnd = shipped[title.upperBound...].firstIndex(of: "\n") ?? shipped.endIndex
        let hostile = shipped.replacingCharacters(in: title.upperBound..<lineEnd, with: #""Protect\e[2J\e[H""#)
            .replacingOccurrences(of: "id: lumbar-decompression", with: "id: clinic-hostile")
        try Data(hostile.utf8).write(to: p.dir.appendingPathComponent("hostile.yaml"))
        let yaml = try String(contentsOf: p.dir.appendingPathComponent("p.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "program: lumbar-decompression", with: "program: hostile.yaml")
        try Data(yaml.utf8).write(to: p.dir.appendingPathComponent("p.yaml"))
        let validate = try runRehab(["validate", "hostile.yaml"], in: p.dir)
        #expect(validate.status == 65, "\(validate.stderr)")
        #expect(validate.stderr.contains("control character U+001B"), "\(validate.stderr)")
        for run in [validate, try p.run("plan"), try p.run("log", ["--pain", "2", "--when", "after"])] {
            #expect(!run.stdout.contains("\u{1B}") && !run.stderr.contains("\u{1B}"), "an escape character was printed")
            #expect(run.status != 0)
        }
    }

    // MARK: 12 - a program file is read once per batch

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/strace"), "needs strace to count opens"))
    func batchOpensAProgramFileOnce() throws {
        let c = try ClinicDir()
        let shipped = try String(contentsOf: packageRoot.appendingPathComponent("programs/lumbar-decompression.yaml"), encoding: .utf8)
        // The clinic's own program, outside the patients folder, older than two seconds.
        try c.write("programs/clinic-own.yaml", shipped.replacingOccurrences(of: "id: lumbar-decompression", with: "id: clinic-own"))
        var times = [timespec(tv_sec: 1_700_000_000, tv_nsec: 0), timespec(tv_sec: 1_700_000_000, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, c.root.appendingPathComponent("programs/clinic-own.yaml").path, &times, 0) == 0)
        for i in 0..<40 {
            try c.addPatient("p\(i).yaml", id: "p-\(i)")
            let url = c.root.appendingPathComponent("in/p\(i).yaml")
            let text = try String(contentsOf: url, encoding: .utf8)
                .replacingOccurrences(of: "program: lumbar-decompression", with: "program: ../programs/clinic-own.yaml")
            try Data(text.utf8).write(to: url)
        }
        let trace = c.root.appendingPathComponent("trace.txt").path
        let status = try shell("strace -f -e trace=open,openat -o '\(trace)' '\(rehabBinary.path)' batch in --out out --as-of 2026-11-23 --format json 2>/dev/null",
                               in: c.root)
        #expect(status == 0)
        let opens = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n")
            .filter { $0.contains("clinic-own.yaml") && !$0.contains("resumed") }.count
        #expect(opens == 1, "the program file was opened \(opens) times for 40 patients")
        #expect(c.files("out").count == 40)
    }
}

extension PatientDir {
    static let exampleYAML = """
    version: 1
    id: p-0001
    program: lumbar-decompression
    procedure: discectomy
    surgery_date: 2026-11-02
    start_date: 2026-11-09
    timezone: Europe/Berlin

    """
}

/// Runs `command` with /bin/sh; its exit status.
@discardableResult
func shell(_ command: String, in directory: URL? = nil) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    if let directory { process.currentDirectoryURL = directory }
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
}
