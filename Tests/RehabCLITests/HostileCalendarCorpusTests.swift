import Foundation
import RehabCalendar
import Testing

/// Replays the calendar re-import fuzz corpus (Fuzz/corpus/calendar/) and every crash the
/// fuzzer found (Fuzz/regressions/calendar/) through `PreviousExportReader`, as the fuzz
/// target does; rehab's own seed exports must read back.
@Suite("hostile input: calendar re-import corpus")
struct HostileCalendarCorpusTests {
    static func inputs() -> [URL] {
        let fuzz = packageRoot.appendingPathComponent("Fuzz")
        return ["corpus", "regressions"].flatMap { kind -> [URL] in
            let folder = fuzz.appendingPathComponent(kind).appendingPathComponent("calendar")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            return names.filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted().map { folder.appendingPathComponent($0) }
        }
    }

    @Test func everyInputReadsOrIsRefused() throws {
        var read: [String: Int] = [:]
        for url in Self.inputs() {
            let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
            if let count = try? PreviousExportReader.eventCount(text: text, patient: "p-0001") {
                read[url.lastPathComponent] = count
            }
            // Another patient's id never matches.
            #expect((try? PreviousExportReader.eventCount(text: text, patient: "p-9999")) == nil)
        }
        #expect((read["export-1.ics"] ?? 0) > 3)
        #expect((read["export-2.ics"] ?? 0) > 3)
    }

    @Test func anOversizedExportIsRefused() {
        let huge = String(repeating: "X", count: PreviousExportReader.maxBytes + 1)
        #expect(throws: CalendarError.self) { try PreviousExportReader.eventCount(text: huge, patient: "p-0001") }
    }
}
