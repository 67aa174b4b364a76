import Foundation
import RehabKit
import Testing
@testable import RehabCalendar

/// khal and calcurse, two independent clients, import our files.
@Suite struct ClientImportTests {
    @Test func khalShowsEachSessionOnceWithTheNewDoses() throws {
        let zone = try Fixture.zone("Europe/Berlin")
        let first = try CalendarExporter.export(Fixture.request(Fixture.plan(asOf: "2026-11-09", zone: zone), zone: zone))
        let progress = Decision(date: Fixture.date("2026-11-11"), exercise: "walking", action: .progress,
                                from: Dose(minutes: 10), to: Dose(minutes: 15), rule: "two-green-days", because: "green")
        let laterPlan = Fixture.plan(asOf: "2026-11-12", zone: zone, decisions: [progress]) { _, _ in Fixture.exercises(walk: 15) }
        let second = try CalendarExporter.export(Fixture.request(laterPlan, zone: zone, previous: first))
        let a = try Peer.temporaryFile(first, name: "first.ics")
        let b = try Peer.temporaryFile(second, name: "second.ics")
        // khal's range includes its last day.
        let listed = try Peer.run("khal_list.py", ["2026-11-12", "2026-11-18", a.path, b.path])
        let sessions = listed.split(separator: "\n").filter { $0.contains("| Rehab: ") }
        // 7 days x 3 sessions, each once, all with the new walking dose.
        #expect(sessions.count == 21, "khal listed:\n\(listed)")
        #expect(Set(sessions.map { $0.split(separator: "|")[0] }).count == 21)
        #expect(sessions.allSatisfy { $0.contains("Walking: 15 min") && !$0.contains("Walking: 10 min") })
        // The days before keep the sessions the patient had, with the old dose.
        let before = try Peer.run("khal_list.py", ["2026-11-09", "2026-11-11", a.path, b.path])
        let old = before.split(separator: "\n").filter { $0.contains("| Rehab: ") }
        #expect(old.count == 9, "khal listed:\n\(before)")
        #expect(old.allSatisfy { $0.contains("Walking: 10 min") })
        // A morning check-in every day, none lost in the re-export.
        let checkIns = (before + listed).split(separator: "\n").filter { $0.contains("| Rehab check-in") }
        // Nov 10 and 11 from the first file, Nov 12-18 from the second.
        #expect(checkIns.count == 9, "khal listed:\n\(before)\n\(listed)")
    }

    /// After a resume: khal keeps cancelled events; after a halt and a clearance
    /// each session time shows one event a day, not the cancelled one beside the live one.
    @Test func khalAfterHaltAndResumeListsOneEventPerSession() throws {
        let s = try ResumeUIDTests.Scenario()
        let (active, halted, resumed) = try s.chain()
        let files = try [("active.ics", active), ("halted.ics", halted), ("resumed.ics", resumed)].map {
            try Peer.temporaryFile($0.1, name: $0.0).path
        }
        let listed = try Peer.run("khal_list.py", ["2026-11-15", "2026-11-21"] + files)
        let sessions = listed.split(separator: "\n").filter { $0.contains("| Rehab: ") }
        let starts = sessions.map { String($0.split(separator: "|")[0]).trimmingCharacters(in: .whitespaces) }
        // 7 days x 3 sessions (08:00, 13:00, 18:00), each listed once, none cancelled.
        #expect(sessions.count == 21, "khal listed:\n\(listed)")
        #expect(Set(starts).count == 21, "khal listed:\n\(listed)")
        #expect(Set(starts.map { $0.suffix(5) }) == ["07:00", "12:00", "17:00"], "khal lists UTC: \(Set(starts))")
        #expect(!sessions.contains { $0.contains("CANCELLED") }, "khal listed:\n\(listed)")
        // The clearance day: 13:00 and 18:00 (08:00 came before the clearance at 09:00).
        let day = try Peer.run("khal_list.py", ["2026-11-14", "2026-11-14"] + files)
            .split(separator: "\n").filter { $0.contains("| Rehab: ") }
        #expect(day.count == 2, "khal listed:\n\(day.joined(separator: "\n"))")
    }

    struct CalcurseReport: Decodable {
        var returncode: Int
        var imported_lines: Int
        var log: String
        var stderr: String
        var stdout: String
    }

    @Test(arguments: ["Europe/Berlin", "America/New_York"])
    func calcurseImportsWithNothingSkipped(_ zoneName: String) throws {
        let zone = try Fixture.zone(zoneName)
        let at = try #require(LocalDateTime(iso: "2027-03-20T12:00"))
        let halt = Halt(date: at.date, at: at, flags: [.fever], advice: [RedFlag.fever.defaultAdvice])
        let patient = Fixture.patient(zone: zoneName, surgery: "2027-02-01", start: "2027-02-08")
        let active = try CalendarExporter.export(Fixture.request(
            Fixture.plan(asOf: "2027-03-08", times: ["02:30", "08:00", "18:30"], zone: zone), zone: zone, patient: patient))
        let halted = try CalendarExporter.export(Fixture.request(
            Fixture.plan(asOf: "2027-03-20", zone: zone, halt: halt), zone: zone, patient: patient, previous: active))
        for ics in [active, halted] {
            let file = try Peer.temporaryFile(ics)
            let report = try JSONDecoder().decode(CalcurseReport.self, from: Data(try Peer.run("calcurse_import.py", [file.path]).utf8))
            #expect(report.returncode == 0, "calcurse: \(report.stderr)")
            #expect(report.log.isEmpty, "calcurse skipped items:\n\(report.log)")
            #expect(report.imported_lines > 0)
            #expect(report.stdout.contains("skipped") == false || report.stdout.contains("0 skipped") || !report.stdout.lowercased().contains("skipped"),
                    "calcurse: \(report.stdout)")
        }
    }
}
