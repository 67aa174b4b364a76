import Foundation
import RehabKit
import Testing
@testable import RehabCalendar

/// What the patient reads besides the exercises: the restrictions in force (in the morning
/// check-in) and the warning signs (in every session and check-in).
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

    func description(_ kind: EventSpec.Kind = .session, asOf: String, days: Int, checkIn: String? = nil,
                     usualPain: Int = 0) throws -> String {
        let zone = try Fixture.zone("Europe/Berlin")
        var plan = Fixture.plan(asOf: asOf, days: days, times: ["08:00"], zone: zone)
        plan.usualPain = usualPain
        var request = Fixture.request(plan, zone: zone, program: Self.program())
        request.checkInURL = checkIn
        let events = EventPlanner(request: request).events().filter { $0.kind == kind }
        try #require(events.count == 1)
        return events[0].description
    }

    func sessionDescription(asOf: String, days: Int, checkIn: String? = nil) throws -> String {
        try description(asOf: asOf, days: days, checkIn: checkIn)
    }

    @Test func restrictionsInForceOnAnyDayOfTheEventAreListedWithTheirLastDay() throws {
        // 2026-12-10 to 2026-12-16 straddles the end of week 6: the restriction is listed,
        // with the day it ends, since it holds for some of the occurrences.
        let straddling = try description(.checkIn, asOf: "2026-12-10", days: 7)
        #expect(straddling.contains("""
            Remember:
            - Until 2026-12-13: No bending, lifting or twisting.
            - Stop any exercise that sends pain further down your leg.
            """))
        #expect(!straddling.contains("Fusion only."))
        let after = try description(.checkIn, asOf: "2026-12-14", days: 7)
        #expect(!after.contains("No bending"))
        #expect(after.contains("Remember:\n- Stop any exercise that sends pain further down your leg."))
        // Sessions stay short: the restrictions are said once a day, in the morning check-in.
        #expect(!(try sessionDescription(asOf: "2026-12-10", days: 7)).contains("Remember:"))
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

    @Test func warningSignsAreOneShortBlockInPlainWordsWithWhomToCall() throws {
        let text = try sessionDescription(asOf: "2026-11-09", days: 3)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let heading = try #require(lines.firstIndex(of: "Warning signs - stop and get help:"))
        #expect(lines.filter { $0.hasPrefix("Warning signs") }.count == 1)
        // The block ends the event: emergency signs first, then the signs for today, then
        // where scores and warning signs go.
        #expect(Array(lines[(heading + 1)...]) == [
            "- Call your local emergency number now: numbness between your legs or around your bottom; "
                + "new bladder or bowel trouble; worsening leg weakness; chest pain; sudden breathlessness.",
            "- Call your surgical team today: a fever; a red or leaking wound; a painful swollen calf; sudden new leg pain.",
            "",
            "Write your scores in your pain diary (the handout) and bring it to your next visit.",
            "Tell your clinical team of a warning sign.",
        ])
        // Every halting sign is said, in words, never by its flag name.
        for flag in RedFlag.allCases where flag.halts {
            #expect(text.contains(EventText.words(flag)), "\(flag)")
            #expect(!text.contains(flag.rawValue) || !flag.rawValue.contains("-"), "\(flag.rawValue) shown")
        }
        let online = try sessionDescription(asOf: "2026-11-09", days: 3, checkIn: "https://example.org/p/t/check-in")
        #expect(online.hasSuffix("sudden new leg pain.\n\nSend your scores and warning signs here: https://example.org/p/t/check-in"))
        // The morning check-in ends the same way.
        #expect(try description(.checkIn, asOf: "2026-11-09", days: 3).hasSuffix(lines[heading...].joined(separator: "\n")))
    }
}

extension PatientTextTests {
    /// The pain zones in the session text follow the program's numbers.
    @Test func theZoneLineUsesTheProgramsNumbers() {
        func line(_ rules: PainRules, usual: Int = 0) -> String { EventText.zoneLine(ZoneBands(usual: usual, limits: rules.limits)) }
        #expect(line(PainRules()) == "0-3 is fine. 4-5: keep to this dose. 6 or more: stop that exercise.")
        var rules = PainRules()
        rules.greenMax = 0
        rules.amberMax = 1
        #expect(line(rules) == "0 is fine. 1: keep to this dose. 2 or more: stop that exercise.")
        rules.greenMax = 4
        rules.amberMax = 9
        // 9 and 10 are red whatever the program says.
        #expect(line(rules) == "0-4 is fine. 5-8: keep to this dose. 9 or more: stop that exercise.")
        // Relative to the usual pain: a patient whose usual pain is 6 is not told to stop at 6.
        #expect(line(PainRules(), usual: 6) == "0-6 is fine. 7: keep to this dose. 8 or more: stop that exercise.")
        #expect(line(PainRules(), usual: 8) == "0-8 is fine. 9 or more: stop that exercise.")
    }

    /// Over every usual pain and every valid pair of limits, each score the words call
    /// fine / keep / stop is exactly the planner's green / amber / red.
    @Test func theZoneWordsAreThePlannersZones() {
        for usual in 0...10 {
            for green in 0...8 {
                for amber in green...9 {
                    let limits = ZoneLimits(greenMax: green, amberMax: amber)
                    let bands = ZoneBands(usual: usual, limits: limits)
                    for score in 0...10 {
                        let said: Zone = score <= bands.greenUpTo ? .green
                            : (bands.amber?.contains(score) == true ? .amber : (score >= bands.redFrom ? .red : .green))
                        #expect(said == PainRules.zone(ofScore: score, usual: usual, limits: limits),
                                "usual \(usual), limits \(green)/\(amber), score \(score)")
                    }
                }
            }
        }
    }

    /// The session text's pain guide uses the usual pain the plan judged as_of by.
    @Test func theSessionPainGuideFollowsThePatientsUsualPain() throws {
        let text = try description(asOf: "2026-11-09", days: 3, usualPain: 6)
        #expect(text.contains("Leg pain 0-10 during and after: 0-6 is fine. 7: keep to this dose. 8 or more: stop that exercise."))
    }
}
