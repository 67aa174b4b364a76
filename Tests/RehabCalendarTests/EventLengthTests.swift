import Foundation
import RehabFormat
import RehabKit
import Testing
@testable import RehabCalendar

/// A session event stays short - under 1,200 characters of DESCRIPTION for a
/// 4-exercise session. Measured on every session of every stage of every shipped program,
/// with the example clinic, for a linked patient (a check-in link of real length:
/// the token is 43 characters) and for one without a link (the paper diary). With
/// `REHAB_PRINT_EVENTS=1` in the environment every measured text is printed.
@Suite struct EventLengthTests {
    static let limit = 1_200

    struct Measured: CustomStringConvertible {
        var program: String
        var stage: String
        var linked: Bool
        var exercises: Int
        var characters: Int
        var description: String {
            "\(program)/\(stage)\(linked ? ", linked" : ""): \(exercises) exercises, \(characters) characters"
        }
    }

    /// Every session event of each stage's first week.
    static func measure() throws -> [Measured] {
        let catalog = try Catalog.shipped()
        let zone = try Fixture.zone("Europe/Berlin")
        var found: [Measured] = []
        for program in catalog.programs {
            for stage in program.stages {
                for linked in [true, false] {
                    let start = Fixture.date("2026-11-09")
                    let patient = Patient(id: "p-0001", program: program.id, procedure: program.procedures[0],
                                          surgeryDate: start - 7 * stage.fromWeek - 1, startDate: start,
                                          timezone: zone.identifier, startStage: stage.id,
                                          clinic: .init(name: "Riverside Spine Physio", phone: "+49 30 1234567"),
                                          emergencyNumber: "112")
                    let plan = Planner.plan(PlanRequest(program: program, library: catalog.library, patient: patient, zone: zone,
                                                        log: [], asOf: start, days: 7))
                    let request = CalendarRequest(plan: plan, program: program, library: catalog.library, patient: patient,
                                                  zone: zone, checkInURL: linked ? PatientWordsTests.url : nil)
                    let sessions = plan.sessions
                    for spec in EventPlanner(request: request).events() where spec.kind == .session {
                        let count = sessions.first { $0.slot.date == spec.firstDate && $0.slot.time == spec.time }?.exercises.count ?? 0
                        found.append(Measured(program: program.id, stage: stage.id, linked: linked, exercises: count,
                                              characters: spec.description.count))
                        if ProcessInfo.processInfo.environment["REHAB_PRINT_EVENTS"] != nil {
                            print("=== \(program.id)/\(stage.id) \(linked) \(spec.description.count)\n\(spec.description)")
                        }
                    }
                }
            }
        }
        return found
    }

    @Test func theBusiestSessionOfEveryShippedProgramIsShort() throws {
        let measured = try Self.measure()
        #expect(measured.count > 10)
        let busiest = Dictionary(grouping: measured, by: { "\($0.program)\($0.linked ? " linked" : "")" }).mapValues { all in
            all.max { ($0.exercises, $0.characters) < ($1.exercises, $1.characters) }!
        }
        for (_, m) in busiest.sorted(by: { $0.key < $1.key }) { print("busiest session: \(m)") }
        if let longest = measured.max(by: { $0.characters < $1.characters }) { print("longest session: \(longest)") }
        for m in measured where m.exercises <= 4 {
            #expect(m.characters < Self.limit, "\(m)")
        }
        #expect(measured.contains { $0.exercises == 4 }, "no 4-exercise session to hold the target on")
    }
}
