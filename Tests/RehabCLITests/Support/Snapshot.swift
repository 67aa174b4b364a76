import Foundation
import Testing

/// Compares `text` with the recorded file `Tests/RehabCLITests/Snapshots/<name>`.
/// With `REHAB_RECORD_SNAPSHOTS=1` in the environment it (re)records the file instead.
func expectSnapshot(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let url = packageRoot.appendingPathComponent("Tests/RehabCLITests/Snapshots/\(name)")
    if ProcessInfo.processInfo.environment["REHAB_RECORD_SNAPSHOTS"] == "1" {
        do { try Data(text.utf8).write(to: url) } catch {
            Issue.record("cannot record \(name): \(error)", sourceLocation: sourceLocation)
        }
        return
    }
    guard let data = FileManager.default.contents(atPath: url.path) else {
        Issue.record("no snapshot \(name); record it with REHAB_RECORD_SNAPSHOTS=1 swift test", sourceLocation: sourceLocation)
        return
    }
    let recorded = String(decoding: data, as: UTF8.self)
    if recorded != text {
        let a = recorded.split(separator: "\n", omittingEmptySubsequences: false)
        let b = text.split(separator: "\n", omittingEmptySubsequences: false)
        let first = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
        let was = first < a.count ? String(a[first]) : "<end>"
        let now = first < b.count ? String(b[first]) : "<end>"
        let note = "\(name) differs from its snapshot at line \(first + 1):\n  recorded: \(was)\n  now:      \(now)\n"
            + "(re-record with REHAB_RECORD_SNAPSHOTS=1 when the change is intended)"
        Issue.record(Comment(rawValue: note), sourceLocation: sourceLocation)
    }
}

/// The RehabFormat test fixtures (a small valid library, program and patient; the broken corpus).
let formatFixtures = packageRoot.appendingPathComponent("Tests/RehabFormatTests/Fixtures")
