import Foundation
@testable import RehabFormat
import Testing

/// Two clinical rules swept over whole grids of programs, so each fires exactly where it
/// should and nowhere else.
struct ClinicalLintGridTests {
    static func program(walking dose: String, glideZones: String? = nil, week: Int = 6) -> String {
        var text = """
            version: 1
            id: grid
            title: Grid
            procedures: [discectomy]
            stages:
              - id: one
                title: One
                from_week: \(week)
                sessions: ["08:00"]
                prescriptions:
                  - exercise: walking
                    dose: \(dose)
                    sources: [post-op-protocol-doses]

            """
        if let glideZones {
            text += """
                      - exercise: nerve-glide
                        dose:
                          ladder:
                            - {reps: 10, variant: nerve-glide-slider}
                          start: {reps: 10, variant: nerve-glide-slider}
                        skip_in_flare: true
                        zones: \(glideZones)
                        sources: [web-foot-nerve-pain-help]

                """
        }
        return text + "sources: [post-op-protocol-stages]\n"
    }

    static func categories(_ text: String) throws -> [String] {
        FileValidator.validate([(file: "grid.yaml", text: text)], fallback: try Catalog.shipped())[0].map(\.category)
    }

    /// A generated ladder's largest relative step up is its first one (from the start), so
    /// `volume-jump` fires exactly when `step / start > 50 %`.
    @Test func volumeJumpFiresExactlyWhenTheFirstStepIsMoreThanHalf() throws {
        var fired = 0
        for start in 1...16 {
            for step in 1...12 {
                let text = Self.program(walking: "{floor: {minutes: 1}, start: {minutes: \(start)}, "
                                        + "step: {minutes: \(step)}, cap: {minutes: \(start + 3 * step)}}")
                let found = try Self.categories(text)
                let expected = 2 * step > start
                #expect(found == (expected ? ["clinical/volume-jump"] : []), "start \(start), step \(step): \(found)")
                if expected { fired += 1 }
            }
        }
        #expect(fired > 50 && fired < 16 * 12)
    }

    /// `nerve-amber` fires for a glide exactly when its zones leave room above green.
    @Test func nerveAmberFiresExactlyWhenThereIsAnAmberZone() throws {
        // Zones may only tighten the program's (3 / 5 here); looser ones are a [zones] error
        // of the reader, not a clinical warning.
        for green in 0...5 {
            for amber in green...8 {
                let text = Self.program(walking: "{start: {minutes: 10}, step: {minutes: 5}, cap: {minutes: 15}}",
                                        glideZones: "{green_max: \(green), amber_max: \(amber)}")
                let found = try Self.categories(text)
                let looser = (green > 3 ? 1 : 0) + (amber > 5 ? 1 : 0)  // one [zones] error per looser limit
                let expected = looser > 0 ? Array(repeating: "zones", count: looser)
                    : amber > green ? ["clinical/nerve-amber"] : []
                #expect(found == expected, "green \(green), amber \(amber): \(found)")
            }
        }
    }
}
