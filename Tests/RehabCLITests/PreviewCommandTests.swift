import Foundation
import RehabFormat
import RehabKit
import Testing

struct PreviewCommandTests {
    @Test(arguments: ["lumbar-decompression", "lumbar-fusion", "late-leg-pain"])
    func shippedProgramsMatchTheirSnapshots(program: String) throws {
        let text = try runRehab(["preview", program, "--surgery-date", "2026-11-02"])
        #expect(text.status == 0, "\(text.stderr)")
        expectSnapshot(text.stdout, named: "preview-\(program).txt")
        let json = try runRehab(["preview", program, "--surgery-date", "2026-11-02", "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        expectSnapshot(json.stdout, named: "preview-\(program).json")
    }

    @Test func jsonHasStagesWithDatesAndStartAndCapDoses() throws {
        let result = try runRehab(["preview", "lumbar-decompression", "--surgery-date", "2026-11-02",
                                   "--procedure", "discectomy", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["program"] as? String == "lumbar-decompression")
        #expect(object["procedure"] as? String == "discectomy")
        let stages = try #require(object["stages"] as? [[String: Any]])
        let program = try Catalog.shipped().program(reference: "lumbar-decompression", relativeTo: nil)
        #expect(stages.compactMap { $0["id"] as? String } == program.stages.map(\.id))
        let surgery = try #require(LocalDate(iso: "2026-11-02"))
        for (stage, model) in zip(stages, program.stages) {
            #expect(stage["from_week"] as? Int == model.fromWeek)
            #expect(stage["starts_on"] as? String == (surgery + 7 * model.fromWeek).description)
            let prescriptions = try #require(stage["prescriptions"] as? [[String: Any]])
            #expect(prescriptions.count == model.prescriptions.count)
            for (p, m) in zip(prescriptions, model.prescriptions) {
                #expect(p["exercise"] as? String == m.exercise)
                let start = try #require(p["start"] as? [String: Any])
                let cap = try #require(p["cap"] as? [String: Any])
                #expect(Set(start.keys).isSuperset(of: ["sets", "reps", "hold_seconds", "minutes"]))
                #expect(start["reps"] as? Int == m.ladder.start.reps)
                #expect(start["minutes"] as? Int == m.ladder.start.minutes)
                #expect(cap["reps"] as? Int == m.ladder.cap.reps)
                #expect(cap["minutes"] as? Int == m.ladder.cap.minutes)
            }
        }
    }

    /// The version 2 rules a therapist must see before giving a program: each
    /// prescription's own zones, own-report, quota walking and approval gates, checked
    /// against the model rather than only the snapshot.
    @Test func version2KeysShowAsTheModelHasThem() throws {
        let program = try Catalog.shipped().program(reference: "late-leg-pain", relativeTo: nil)
        let json = try runRehab(["preview", "late-leg-pain", "--surgery-date", "2026-11-02", "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let rules = try #require(object["pain_rules"] as? [String: Any])
        #expect(rules["days_at_dose"] as? Int == program.painRules.daysAtDose)
        let stages = try #require(object["stages"] as? [[String: Any]])
        var gates = 0, quotas = 0, ownReports = 0
        for (stage, model) in zip(stages, program.stages) {
            #expect(stage["approval"] as? Bool == model.approval)
            for (p, m) in zip(try #require(stage["prescriptions"] as? [[String: Any]]), model.prescriptions) {
                #expect(p["own_report"] as? Bool == m.ownReport)
                #expect((p["zones"] as? [String: Any])?["green_max"] as? Int == m.zones?.greenMax)
                let before = try #require(p["approval_before"] as? [[String: Any]])
                #expect(before.count == m.approvalRungs.count)
                #expect(before.map { $0["variant"] as? String } == m.approvalRungs.sorted().map { m.ladder.rungs[$0].variant })
                if case .quota(let every) = m.progression {
                    #expect(p["progression"] as? String == "quota" && p["every_days"] as? Int == every)
                    quotas += 1
                } else {
                    #expect(p["progression"] as? String == "pain" && p["every_days"] is NSNull)
                }
                gates += before.count
                ownReports += m.ownReport ? 1 : 0
            }
        }
        // The shipped program has each kind at least once, so the loop above checked something.
        #expect(gates >= 1 && quotas >= 1 && ownReports >= 1)
        let text = try runRehab(["preview", "late-leg-pain", "--surgery-date", "2026-11-02"])
        #expect(text.stdout.contains("green to 2, no amber; steps up only on reports naming it"))
        #expect(text.stdout.contains("approval before 5 reps (nerve-glide-tensioner)"))
        #expect(text.stdout.contains("a step every 3 session days"))
    }

    @Test func aProgramFileByPathPreviewsToo() throws {
        let result = try runRehab(["preview", "valid/program.yaml", "--surgery-date", "2026-03-02"], in: formatFixtures)
        // The fixture program uses the fixture library's ids; the shipped library must know them.
        let library = try Catalog.shipped().library
        if library["nerve-glide"] != nil, library["walking"] != nil {
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("From week 6: mon 2026-04-13"))
        } else {
            #expect(result.status == 65)
        }
    }

    @Test func theFixtureProgramPreviewMatchesItsSnapshot() throws {
        let library = try LibraryReader.read(
            text: try String(contentsOf: formatFixtures.appendingPathComponent("valid/library.yaml"), encoding: .utf8),
            file: "library.yaml")
        let program = try ProgramReader.read(
            text: try String(contentsOf: formatFixtures.appendingPathComponent("valid/program.yaml"), encoding: .utf8),
            file: "program.yaml", library: library)
        let date = try #require(LocalDate(iso: "2026-11-02"))
        let all = ProgramPreview(program: program, library: library, surgeryDate: date)
        expectSnapshot(all.text(), named: "fixture-preview.txt")
        expectSnapshot(all.json(), named: "fixture-preview.json")
        // Restrictions for another operation are left out when a procedure is given.
        let discectomy = ProgramPreview(program: program, library: library, surgeryDate: date, procedure: .discectomy)
        #expect(!discectomy.text().contains("No bending."))
        #expect(all.text().contains("No bending. (until week 6, mon 2026-12-14; fusion only)"))
    }

    @Test(arguments: [
        (["preview", "lumbar-decompression", "--surgery-date", "2026-13-01"], Int32(65), "no such date"),
        (["preview", "lumbar-decompression", "--surgery-date", "2 Nov"], 64, "not a date"),
        (["preview", "lumbar-decompression", "--surgery-date", "2026-11-02", "--procedure", "knee"], 64, "unknown --procedure"),
        (["preview", "lumbar-decompresion", "--surgery-date", "2026-11-02"], 65, "Did you mean 'lumbar-decompression'?"),
        (["preview", "lumbar-fusion", "--surgery-date", "2026-11-02", "--procedure", "discectomy"], 65, "not discectomy"),
        (["preview", "missing/program.yaml", "--surgery-date", "2026-11-02"], 74, "cannot read program file"),
        (["preview", "lumbar-fusion"], 64, "surgery-date"),
    ])
    func badInvocationsSayWhatIsWrong(arguments: [String], status: Int32, message: String) throws {
        let result = try runRehab(arguments)
        #expect(result.status == status, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }
}
