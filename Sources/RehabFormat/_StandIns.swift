// STAND-INS for the format helper's API, only so the `cli` branch compiles and its tests
// run. The lead deletes this file when merging the real RehabFormat readers.
import Foundation
import RehabKit
import Yams

public struct Diagnostic: Sendable {
    public var file: String
    public var line: Int
    public var column: Int
    public var category: String
    public var message: String
}

public struct DiagnosticsError: Error, Sendable {
    public var diagnostics: [Diagnostic]
    public var rendered: String {
        diagnostics.map { "\($0.file):\($0.line):\($0.column): error: [\($0.category)] \($0.message)" }
            .joined(separator: "\n")
    }
}

public struct Catalog: Sendable {
    public var library: ExerciseLibrary
    var programs: [String: Program]

    public static func shipped() throws -> Catalog {
        func ex(_ id: String, _ name: String, _ kind: DoseKind, family: String? = nil, variants: [String] = []) -> Exercise {
            Exercise(id: id, name: name, category: "stand-in", doseKind: kind, instructions: ["Stand-in."],
                     summary: "Stand-in.", variants: variants, family: family, sources: ["stand-in"])
        }
        let library = ExerciseLibrary(exercises: [
            ex("walking", "Walking", .minutes),
            ex("ankle-pumps", "Ankle pumps", .reps),
            ex("nerve-glide", "Sciatic nerve glide", .reps, variants: ["nerve-glide-slider", "nerve-glide-tensioner"]),
            ex("nerve-glide-slider", "Sciatic nerve glide (slider)", .reps, family: "nerve-glide"),
            ex("nerve-glide-tensioner", "Sciatic nerve glide (tensioner)", .reps, family: "nerve-glide"),
        ])
        let t = { (h: Int, m: Int) in LocalTime(hour: h, minute: m) ?? LocalTime(hour: 0, minute: 0)! }
        let walking = Prescription(exercise: "walking", ladder: DoseLadder.generate(
            floor: Dose(minutes: 5), start: Dose(minutes: 10), step: Dose(minutes: 5), cap: Dose(minutes: 30))!,
            sources: ["stand-in"])
        let glide = Prescription(exercise: "nerve-glide", ladder: DoseLadder(rungs: [
            Dose(reps: 5, variant: "nerve-glide-slider"), Dose(reps: 10, variant: "nerve-glide-slider")], startIndex: 1),
            sessions: [1], skipInFlare: true, sources: ["stand-in"])
        let program = Program(id: "lumbar-decompression", title: "Stand-in", procedures: [.discectomy, .laminectomy],
                              stages: [Stage(id: "protect", title: "Protect", fromWeek: 0,
                                             sessionTimes: [t(8, 0), t(13, 0), t(18, 30)], prescriptions: [walking, glide])],
                              sources: ["stand-in"])
        return Catalog(library: library, programs: [program.id: program])
    }

    public func program(reference: String, relativeTo: URL) throws -> Program {
        guard let p = programs[reference] else {
            throw DiagnosticsError(diagnostics: [Diagnostic(file: relativeTo.path, line: 1, column: 1,
                                                            category: "program", message: "unknown program \(reference)")])
        }
        return p
    }
}

public enum PatientReader {
    public static func read(text: String, file: String, catalog: Catalog) throws -> Patient {
        func fail(_ message: String) -> DiagnosticsError {
            DiagnosticsError(diagnostics: [Diagnostic(file: file, line: 1, column: 1, category: "patient", message: message)])
        }
        guard let map = try Yams.load(yaml: text, Resolver.default.removing(.timestamp)) as? [String: Any] else { throw fail("not a mapping") }
        func date(_ key: String) throws -> LocalDate {
            guard let s = map[key] as? String, let d = LocalDate(iso: s) else { throw fail("bad \(key)") }
            return d
        }
        guard let id = map["id"] as? String, let program = map["program"] as? String,
              let procedure = (map["procedure"] as? String).flatMap(Procedure.init(rawValue:)),
              let zone = map["timezone"] as? String, TimeZone(identifier: zone) != nil else { throw fail("bad patient") }
        return Patient(id: id, program: program, procedure: procedure, surgeryDate: try date("surgery_date"),
                       startDate: try date("start_date"), timezone: zone,
                       sessionTimes: (map["session_times"] as? [String])?.compactMap { LocalTime(hhmm: $0) },
                       baselinePain: map["baseline_pain"] as? Int ?? 0)
    }
}
