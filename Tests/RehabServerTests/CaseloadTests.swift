import Foundation
import RehabFormat
import RehabKit
import RehabPages
import Testing
@testable import RehabServer

/// The clinic's caseload store: who is listed, in which order, what fails, what is
/// cached, and the adherence and 14-day pain values of a row.
@Suite("Caseload store")
struct CaseloadTests {
    static let now = Date(timeIntervalSince1970: 1_795_163_400)  // 2026-11-20T08:30:00Z
    static let asOf = LocalDate(iso: "2026-11-20")!
    /// 2026-11-DD.
    static func nov(_ day: Int) -> LocalDate { LocalDate(year: 2026, month: 11, day: day)! }

    /// A temporary folder of patient files.
    struct Folder {
        let dir: URL
        init() throws {
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("rehab-caseload-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        }
        func patient(_ name: String, id: String, extra: String = "") throws {
            let yaml = """
            version: 1
            id: \(id)
            program: lumbar-decompression
            procedure: discectomy
            surgery_date: 2026-11-02
            start_date: 2026-11-09
            timezone: Europe/Berlin
            \(extra)
            """
            try write(name, yaml)
        }
        func write(_ name: String, _ text: String) throws {
            let url = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        /// A log for patient `id`: `(at, when, pain)` reports, flags on those that have them.
        func log(_ name: String, id: String, _ reports: [(String, String, Int?, [String])]) throws {
            var text = "{\"version\":1,\"patient\":\"\(id)\"}\n"
            for (at, when, pain, flags) in reports {
                let flagList = flags.map { "\"\($0)\"" }.joined(separator: ",")
                text += "{\"at\":\"\(at)\",\"when\":\"\(when)\",\"pain\":\(pain.map(String.init) ?? "null"),\"exercise\":null,\"flags\":[\(flagList)],\"note\":null}\n"
            }
            try write(name, text)
        }
        /// Sets a file's modification time an hour back, so its stamp is settled.
        func age(_ name: String) throws {
            try FileManager.default.setAttributes([.modificationDate: CaseloadTests.now.addingTimeInterval(-3600)],
                                                  ofItemAtPath: dir.appendingPathComponent(name).path)
        }
    }

    @Test func haltedFirstThenByAlertAndProgramFilesLeftOut() throws {
        let f = try Folder()
        try f.patient("quiet.yaml", id: "p-quiet")
        try f.patient("a/halted.yaml", id: "p-halted")
        try f.log("a/halted.painlog", id: "p-halted", [("2026-11-19T20:00", "after", nil, ["fever"])])
        try f.patient("calm.yaml", id: "p-calm")
        try f.log("calm.painlog", id: "p-calm", (9...19).flatMap { d in
            [("\(Self.nov(d))T18:00", "after", 1, []), ("\(Self.nov(d + 1))T07:00", "next-morning", 1, [])] as [(String, String, Int?, [String])]
        })
        try f.write("own-program.yaml", "version: 1\nid: not-a-patient\ntitle: x\n")  // no surgery date: not a patient
        let rows = CaseloadStore(folder: f.dir).summaries(now: Self.now, asOf: Self.asOf)
        #expect(rows.map(\.id) == ["p-halted", "p-quiet", "p-calm"])
        #expect(rows[0].status == "halted" && rows[0].isHalted)
        #expect(rows[0].relativePath == "a/halted.yaml")
        #expect(rows[1].alerts.first?.kind == .noReports)
        #expect(rows[2].alerts.isEmpty)
        #expect(rows.allSatisfy { $0.asOf == Self.asOf })
        #expect(rows[2].lastReport == LocalDateTime(iso: "2026-11-20T07:00"))
    }

    @Test func unplannableFilesAreFailedAndHaltedFromWhatTheLogStillSays() throws {
        let f = try Folder()
        try f.patient("ok.yaml", id: "p-ok")
        try f.write("broken.yaml", "version: 1\nid: p-broken\nprogram: no-such-program\nsurgery_date: 2026-11-02\n")
        try f.write("broken.painlog", "{\"version\":1,\"patient\":\"p-broken\"}\n"
                    + "{\"at\":\"2026-11-19T20:00\",\"when\":\"after\",\"pain\":null,\"exercise\":null,\"flags\":[\"fever\"],\"note\":null}\n"
                    + "damaged line\n")
        try f.patient("other.yaml", id: "p-other")
        try f.log("other.painlog", id: "someone-else", [("2026-11-19T20:00", "after", 2, [])])
        let rows = CaseloadStore(folder: f.dir).summaries(now: Self.now, asOf: Self.asOf)
        let broken = try #require(rows.first { $0.relativePath == "broken.yaml" })
        #expect(broken.id == "broken" && broken.isFailed && broken.problem != nil)
        #expect(broken.alerts.map(\.kind) == [.halted])
        #expect(rows.first?.relativePath == "broken.yaml")  // halted, so first
        let other = try #require(rows.first { $0.relativePath == "other.yaml" })
        #expect(other.isFailed && other.id == "p-other")
        #expect(other.problem?.contains("another patient") == true)
        #expect(!rows.contains { $0.problem?.contains("fever") == true })
    }

    @Test func twoFilesWithOneIdAreBothFailedAndTheirPageIsADuplicate() throws {
        let f = try Folder()
        try f.patient("one.yaml", id: "p-same")
        try f.patient("sub/two.yaml", id: "p-same")
        try f.patient("single.yaml", id: "p-single")
        let store = CaseloadStore(folder: f.dir)
        let rows = store.summaries(now: Self.now)
        #expect(rows.filter { $0.id == "p-same" }.map(\.status) == ["failed", "failed"])
        #expect(rows.first { $0.id == "p-single" }?.status == "active")
        guard case .duplicate = store.detail(id: "p-same", now: Self.now) else { Issue.record("not a duplicate"); return }
        #expect(store.patientFile(id: "p-same") == nil)
        #expect(store.patientFile(id: "p-single")?.lastPathComponent == "single.yaml")
        guard case .notFound = store.detail(id: "nobody", now: Self.now) else { Issue.record("found nobody"); return }
        guard case .found(let detail) = store.detail(id: "p-single", now: Self.now) else { Issue.record("single not found"); return }
        #expect(detail.plan?.days == 8)
        #expect(detail.days.first?.date == LocalDate(iso: "2026-11-09"))
        #expect(detail.days.last?.date == Self.asOf)
    }

    @Test func aHardLinkIsListedOnceAndASymlinkNotAtAll() throws {
        let f = try Folder()
        try f.patient("p.yaml", id: "p-1")
        try FileManager.default.linkItem(at: f.dir.appendingPathComponent("p.yaml"), to: f.dir.appendingPathComponent("q.yaml"))
        try FileManager.default.createSymbolicLink(at: f.dir.appendingPathComponent("r.yaml"),
                                                   withDestinationURL: f.dir.appendingPathComponent("p.yaml"))
        let rows = CaseloadStore(folder: f.dir).summaries(now: Self.now)
        #expect(rows.map(\.relativePath) == ["p.yaml"])
        #expect(rows.first?.status == "active")
    }

    @Test func anUnchangedFolderIsServedFromTheCacheAndALogAppendIsSeen() throws {
        let f = try Folder()
        try f.patient("p.yaml", id: "p-1")
        try f.log("p.painlog", id: "p-1", [("2026-11-18T18:00", "after", 2, [])])
        try f.age("p.yaml")
        try f.age("p.painlog")
        let store = CaseloadStore(folder: f.dir)
        #expect(store.summaries(now: Self.now).first?.lastReport == LocalDateTime(iso: "2026-11-18T18:00"))
        // Same size, same time, same inode: the stamp cannot tell, so the cached row stays.
        let log = f.dir.appendingPathComponent("p.painlog")
        let edited = try String(contentsOf: log, encoding: .utf8).replacingOccurrences(of: "T18:00", with: "T17:00")
        let handle = try FileHandle(forWritingTo: log)  // in place: the same inode
        try handle.write(contentsOf: Data(edited.utf8))
        try handle.close()
        try f.age("p.painlog")
        #expect(store.summaries(now: Self.now).first?.lastReport == LocalDateTime(iso: "2026-11-18T18:00"))
        // An appended report changes the size: read again.
        try f.log("p.painlog", id: "p-1", [("2026-11-18T18:00", "after", 2, []), ("2026-11-19T18:00", "after", 5, [])])
        let row = try #require(store.summaries(now: Self.now).first)
        #expect(row.lastReport == LocalDateTime(iso: "2026-11-19T18:00"))
        #expect(row.pain14.last(where: { $0 != nil }) == 5)
        // The patient's next local day plans again without any file changing.
        let tomorrow = store.summaries(now: Self.now.addingTimeInterval(86_400)).first
        #expect(tomorrow?.asOf == LocalDate(iso: "2026-11-21"))
    }

    @Test func adherenceCountsReportedScheduledDaysOfTheLastFourteen() throws {
        let f = try Folder()
        try f.patient("p.yaml", id: "p-1")
        let reports: [(String, String, Int?, [String])] = [
            ("2026-11-08T18:00", "after", 4, []),         // in the 14 days but before the start: not scheduled
            ("2026-11-10T18:00", "after", 3, []),
            ("2026-11-12T18:00", "during", 2, []),
            ("2026-11-12T19:00", "after", 5, []),         // one day, two reports: one day, highest 5
            ("2026-11-15T18:00", "after", 1, []),
            ("2026-11-17T07:00", "next-morning", 2, []),  // next-morning only: not a reported day
        ]
        try f.log("p.painlog", id: "p-1", reports)
        let store = CaseloadStore(folder: f.dir)
        let row = try #require(store.summaries(now: Self.now, asOf: Self.asOf).first)
        // Scheduled: 2026-11-09 to 2026-11-20 (every day in stage protect) = 12 days.
        #expect(row.adherence == Adherence(reported: 3, scheduled: 12))
        #expect(row.adherence?.percent == 25)
        #expect(row.pain14.count == 14)
        #expect(row.pain14[1] == 4 && row.pain14[3] == 3 && row.pain14[5] == 5 && row.pain14[8] == 1)
        #expect(row.pain14[9] == nil)  // the next-morning score is not a during/after value
        #expect(row.week == 2)
        // A warning sign on 2026-11-18 halts: 11-19 and 11-20 are no longer scheduled, and
        // the halting report's own day counts as reported.
        try f.log("p.painlog", id: "p-1", reports + [("2026-11-18T20:00", "after", nil, ["fever"])])
        let halted = try #require(store.summaries(now: Self.now, asOf: Self.asOf).first)
        #expect(halted.status == "halted")
        #expect(halted.adherence == Adherence(reported: 4, scheduled: 10))
    }

    @Test func theAlertsDocumentListsOnlyRowsThatNeedAClinician() throws {
        let f = try Folder()
        try f.patient("quiet.yaml", id: "p-quiet")
        try f.patient("calm.yaml", id: "p-calm")
        try f.log("calm.painlog", id: "p-calm", (9...19).flatMap { d in
            [("\(Self.nov(d))T18:00", "after", 1, []), ("\(Self.nov(d + 1))T07:00", "next-morning", 1, [])] as [(String, String, Int?, [String])]
        })
        let rows = CaseloadStore(folder: f.dir).summaries(now: Self.now, asOf: Self.asOf)
        let json = AlertsDocument.json(rows, asOf: Self.asOf)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let patients = try #require(object["patients"] as? [[String: Any]])
        #expect(patients.map { $0["patient"] as? String } == ["p-quiet"])
        #expect(patients.first?["file"] as? String == "quiet.yaml")
        #expect(patients.first?["as_of"] == nil)  // the top-level as_of says it
        #expect(object["as_of"] as? String == "2026-11-20")
    }
}
