import Testing
import RehabFormat
import RehabKit

/// The shipped programs carry version 2's rules keys where the clinical review asked.
@Suite struct ShippedProgramRulesTests {
    @Test func shippedProgramsUseVersionTwoRules() throws {
        let programs = try Catalog.shipped().programs
        #expect(programs.count == 3)
        var tensionerGates = 0
        for program in programs {
            for stage in program.stages {
                for rx in stage.prescriptions {
                    switch rx.exercise {
                    case "nerve-glide":
                        #expect(rx.ownReport && rx.skipInFlare, "\(program.id)/\(stage.id)")
                        #expect(rx.zones == ZoneLimits(greenMax: 2, amberMax: 2))
                        if let first = rx.ladder.rungs.firstIndex(where: { $0.variant == "nerve-glide-tensioner" }) {
                            #expect(rx.approvalRungs == [first], "\(program.id)/\(stage.id)")
                            tensionerGates += 1
                        }
                    case "hamstring-stretch", "ankle-pumps-hamstring":
                        #expect(rx.skipInFlare && rx.ownReport, "\(program.id)/\(stage.id)/\(rx.exercise)")
                        #expect(rx.zones.map { $0.greenMax == $0.amberMax } == true, "no amber")
                    case "walking":
                        #expect(rx.progression == .quota(everyDays: 3), "\(program.id)/\(stage.id)")
                    default: break
                    }
                }
            }
        }
        #expect(tensionerGates >= 2)
    }
}
