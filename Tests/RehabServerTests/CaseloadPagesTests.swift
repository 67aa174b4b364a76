import Foundation
import RehabFormat
import RehabKit
import RehabPages
import Testing
@testable import RehabServer

/// From the folder to the page: the shipped example patients, a halted one and one with
/// five weeks of varied reports, through `CaseloadStore` into `ClinicPages`. With
/// CLINIC_PAGES_OUT set, the pages are also written there (caseload.html, halted.html,
/// history.html) to be looked at in a browser.
@Suite("Caseload pages end to end")
struct CaseloadPagesTests {
    static let now = Date(timeIntervalSince1970: 1_796_634_000)  // 2026-12-07T09:00:00Z
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rehab-caseload-pages-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let examples = root.appendingPathComponent("programs/examples")
        for name in try FileManager.default.contentsOfDirectory(atPath: examples.path) where !name.hasPrefix(".") {
            try FileManager.default.copyItem(at: examples.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        let decompression = try String(contentsOf: examples.appendingPathComponent("decompression-patient.yaml"), encoding: .utf8)
        try Data(decompression.replacingOccurrences(of: "id: p-0001", with: "id: p-0004").utf8)
            .write(to: dir.appendingPathComponent("halted.yaml"))
        var halted = "{\"version\":1,\"patient\":\"p-0004\"}\n"
        for d in 9...30 { halted += line("\(LocalDate(year: 2026, month: 11, day: d)!)T18:45", "after", d % 4 == 0 ? 4 : 2) }
        halted += line("2026-12-06T20:10", "after", nil, flags: ["bladder-bowel"])
        try Data(halted.utf8).write(to: dir.appendingPathComponent("halted.painlog"))

        let history = decompression.replacingOccurrences(of: "id: p-0001", with: "id: p-0005")
            .replacingOccurrences(of: "surgery_date: 2026-11-02", with: "surgery_date: 2026-10-19")
            .replacingOccurrences(of: "start_date: 2026-11-09", with: "start_date: 2026-10-26")
        try Data(history.utf8).write(to: dir.appendingPathComponent("history.yaml"))
        var log = "{\"version\":1,\"patient\":\"p-0005\"}\n"
        var day = LocalDate(iso: "2026-10-26")!
        while day < LocalDate(iso: "2026-12-07")! {
            let i = day.days(since: LocalDate(iso: "2026-10-26")!)
            let red = (24...25).contains(i), amber = i % 6 == 5
            if i % 9 != 8 {
                log += line("\(day)T13:10", "after", red ? 7 : amber ? 4 : [1, 2, 2, 3][i % 4])
                log += line("\(day + 1)T07:40", "next-morning", red ? 5 : [1, 2][i % 2])
            }
            day = day + 1
        }
        try Data(log.utf8).write(to: dir.appendingPathComponent("history.painlog"))
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            try FileManager.default.setAttributes([.modificationDate: now.addingTimeInterval(-3600)],
                                                  ofItemAtPath: dir.appendingPathComponent(name).path)
        }
        return dir
    }

    static func line(_ at: String, _ when: String, _ pain: Int?, flags: [String] = []) -> String {
        "{\"at\":\"\(at)\",\"when\":\"\(when)\",\"pain\":\(pain.map(String.init) ?? "null"),\"exercise\":null,\"flags\":["
            + flags.map { "\"\($0)\"" }.joined(separator: ",") + "],\"note\":null}\n"
    }

    @Test func theExamplesRenderHaltedFirstAndTheHistoryChartHasADotPerReportedDay() throws {
        let dir = try Self.folder()
        let store = CaseloadStore(folder: dir)
        let rows = store.summaries(now: Self.now)
        #expect(rows.count == 5)
        #expect(rows.first?.id == "p-0004" && rows.first?.status == "halted")
        let caseload = try ClinicPages.caseload(rows: rows, basePath: "", signedInAs: "Dr Weber", csrf: "csrf-token")
        #expect(caseload.range(of: "p-0004")!.lowerBound < caseload.range(of: "p-0001")!.lowerBound)

        guard case .found(let halted) = store.detail(id: "p-0004", now: Self.now) else { Issue.record("p-0004"); return }
        let haltedPage = try ClinicPages.patient(detail: halted, basePath: "", csrf: "csrf-token", signedInAs: "Dr Weber")
        #expect(haltedPage.contains(#"action="/clinic/patients/p-0004/resume""#))

        guard case .found(let history) = store.detail(id: "p-0005", now: Self.now) else { Issue.record("p-0005"); return }
        let reportedDays = Set(history.entries.compactMap { entry -> LocalDate? in
            guard case .report(let r) = entry, r.when != .nextMorning, r.pain != nil else { return nil }
            return r.day
        })
        #expect(history.days.filter { $0.duringAfter != nil }.count == reportedDays.count)
        let historyPage = try ClinicPages.patient(detail: history, basePath: "", csrf: "csrf-token", signedInAs: "Dr Weber")
        #expect(historyPage.components(separatedBy: "<circle class=\"da\"").count - 1 == reportedDays.count)
        #expect(history.marks.contains { $0.kind == .flare })

        if let out = ProcessInfo.processInfo.environment["CLINIC_PAGES_OUT"] {
            let url = URL(fileURLWithPath: out)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            try Data(caseload.utf8).write(to: url.appendingPathComponent("caseload.html"))
            try Data(haltedPage.utf8).write(to: url.appendingPathComponent("halted.html"))
            try Data(historyPage.utf8).write(to: url.appendingPathComponent("history.html"))
            try Data(ClinicPages.login(basePath: "", error: "Wrong name or password.").utf8)
                .write(to: url.appendingPathComponent("login.html"))
        }
    }
}
