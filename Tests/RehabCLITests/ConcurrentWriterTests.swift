import Foundation
import Testing

/// Eight processes each log fifty reports to one patient at the same time: the log ends
/// with exactly 400 whole reports (PainLogStore's flock serialises the read-check-append).
@Suite("concurrent writers")
struct ConcurrentWriterTests {
    @Test func eightWritersFiftyReportsEach() throws {
        let p = try PatientDir()
        let writers = 8, each = 50
        // One shell loop per writer, all started at once; each loop runs rehab 50 times.
        var processes: [Process] = []
        for w in 0..<writers {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.currentDirectoryURL = p.dir
            var environment = ProcessInfo.processInfo.environment
            environment["REHAB_NOW"] = "2026-11-20T08:30:00Z"
            environment["REHAB"] = rehabBinary.path
            process.environment = environment
            process.arguments = ["-c", """
                i=0; failed=0
                while [ $i -lt \(each) ]; do
                  m=$(( i % 60 )); h=$(( 6 + \(w) ))
                  "$REHAB" log p.yaml --pain $(( i % 11 )) --when during \
                    --at "2026-11-1$(( i / 60 ))T$(printf %02d $h):$(printf %02d $m)" \
                    --note "w\(w)-$i" >/dev/null || failed=$(( failed + 1 ))
                  i=$(( i + 1 ))
                done
                exit $failed
                """]
            processes.append(process)
        }
        for process in processes { try process.run() }
        for process in processes { process.waitUntilExit() }
        for (w, process) in processes.enumerated() {
            #expect(process.terminationStatus == 0, "writer \(w): \(process.terminationStatus) reports failed")
        }

        let lines = p.logLines
        #expect(lines.count == writers * each)
        var notes: [String] = []
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            if let note = object?["note"] as? String { notes.append(note) } else { Issue.record("a torn line") }
        }
        let expected = Set((0..<writers).flatMap { w in (0..<each).map { "w\(w)-\($0)" } })
        #expect(Set(notes) == expected)
        #expect(notes.count == expected.count)
        // Each writer's own reports stay in the order it wrote them.
        for w in 0..<writers {
            let mine = notes.filter { $0.hasPrefix("w\(w)-") }
            #expect(mine == (0..<each).map { "w\(w)-\($0)" })
        }
        let history = try p.run("history", ["--format", "json"])
        #expect(history.status == 0)
        #expect(history.stdout.components(separatedBy: "\"note\"").count - 1 == writers * each)
    }
}
