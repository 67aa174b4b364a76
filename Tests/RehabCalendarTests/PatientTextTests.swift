import Foundation
import RehabKit
import Testing
@testable import RehabCalendar

/// What the patient reads in a session event besides the exercises: the restrictions in
/// force and the warning signs.
@Suite struct PatientTextTests {
    /// Surgery 2026-11-02: week 6 begins on 2026-12-14.
    static func program() -> Program {
        var program = Fixture.program(times: ["08:00"])
        program.restrictions = [
            Restriction(text: "No bending, lifting or twisting.", untilWeek: 6),
            Restriction(text: "Fusion only.", untilWeek: 12, procedures: [.fusion]),
            Restriction(text: "Stop any exercise that sends pain further down your leg."),
        ]
        program.redFlagAdvice = [
            .fever: "Stop the exercises. A fever needs a prompt check. Contact your surgical team today.",
            .chestPain: "Stop all exercises. Chest pain needs emergency care now.",
        ]
        return program
    }

    func sessionDescription(asOf: String, days: Int, checkIn: String? = nil) throws -> String {
        let zone = try Fixture.zone("Europe/Berlin")
        let plan = Fixture.plan(asOf: asOf, days: days, times: ["08:00"], zone: zone)
        var request = Fixture.request(plan, zone: zone, program: Self.program())
        request.patientFile = "p.yaml"
        request.checkInURL = checkIn
        let sessions = EventPlanner(request: request).events().filter { $0.kind == .session }
        try #require(sessions.count == 1)
        return sessions[0].description
    }

    @Test func restrictionsInForceOnAnyDayOfTheEventAreListedWithTheirLastDay() throws {
        // 2026-12-10 to 2026-12-16 straddles the end of week 6: the restriction is listed,
        // with the day it ends, since it holds for some of the occurrences.
        let straddling = try sessionDescription(asOf: "2026-12-10", days: 7)
        #expect(straddling.contains("""
            Remember:
            - Until 2026-12-13: No bending, lifting or twisting.
            - Stop any exercise that sends pain further down your leg.
            """))
        #expect(!straddling.contains("Fusion only."))
        let after = try sessionDescription(asOf: "2026-12-14", days: 7)
        #expect(!after.contains("No bending"))
        #expect(after.contains("Remember:\n- Stop any exercise that sends pain further down your leg."))
    }

    @Test func restrictionsForAPatientFollowTheirProcedureAndWeek() {
        let program = Self.program()
        var patient = Fixture.patient()
        let first = Fixture.date("2026-12-13"), last = Fixture.date("2026-12-20")
        #expect(program.restrictions(for: patient, from: first, through: last).map(\.line) == [
            "Until 2026-12-13: No bending, lifting or twisting.",
            "Stop any exercise that sends pain further down your leg.",
        ])
        #expect(program.restrictions(for: patient, from: first + 1, through: last).map(\.text)
                == ["Stop any exercise that sends pain further down your leg."])
        patient.procedure = .fusion
        #expect(program.restrictions(for: patient, from: first + 1, through: last).map(\.line) == [
            "Until 2027-01-24: Fusion only.",
            "Stop any exercise that sends pain further down your leg.",
        ])
    }

    @Test func warningSignsHaveOneHeadingEveryHaltingFlagAndHowToRecordOne() throws {
        let text = try sessionDescription(asOf: "2026-11-09", days: 3)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let heading = try #require(lines.firstIndex(of: "Warning signs: stop all exercises and get help."))
        #expect(lines.filter { $0.hasPrefix("Warning signs") }.count == 1)
        let items = lines[(heading + 1)...].prefix { $0.hasPrefix("- ") }
        // One line per halting flag with its own advice (a flag may share its text with others).
        let expected = Self.program().redFlagTexts()
        #expect(items.count == expected.count)
        // Emergency signs first.
        let chest = try #require(items.firstIndex(of: "- Chest pain needs emergency care now."))
        let fever = try #require(items.firstIndex(of: "- A fever needs a prompt check. Contact your surgical team today."))
        #expect(chest < fever)
        for item in items { #expect(!item.hasPrefix("- Stop"), "\(item)") }
        #expect(lines[heading + 1 + items.count]
                == "Once you have help, log it too, so the plan stops: rehab log p.yaml --flag NAME (rehab log --help lists the names).")
        let online = try sessionDescription(asOf: "2026-11-09", days: 3, checkIn: "https://example.org/p/t/check-in")
        #expect(online.hasSuffix("Once you have help, report it on your check-in page too, so the plan stops."))
    }
}

extension PatientTextTests {
    /// The pain zones in the session text follow the program's numbers.
    @Test func theZoneLineUsesTheProgramsNumbers() {
        #expect(EventText.zoneLine(PainRules()) == "0-3 is fine. 4-5: keep to this dose. 6 or more: stop that exercise.")
        var rules = PainRules()
        rules.greenMax = 0
        rules.amberMax = 1
        #expect(EventText.zoneLine(rules) == "0 is fine. 1: keep to this dose. 2 or more: stop that exercise.")
        rules.greenMax = 4
        rules.amberMax = 9
        #expect(EventText.zoneLine(rules) == "0-4 is fine. 5-9: keep to this dose. 10: stop that exercise.")
    }
}

private extension Program {
    /// The distinct advice texts of the halting flags.
    func redFlagTexts() -> Set<String> { Set(RedFlag.allCases.filter(\.halts).map { advice(for: $0) }) }
}
