import RehabKit

/// The exercise library as `rehab exercises` prints it, in text or JSON.
public enum LibraryListing {
    /// Every exercise in library order; variants follow their family, indented.
    public static func text(_ library: ExerciseLibrary) -> String {
        var out: [String] = []
        for exercise in library.exercises where exercise.family == nil {
            out.append(contentsOf: entry(exercise, library: library, indent: ""))
            for id in exercise.variants {
                guard let variant = library[id] else { continue }
                out.append(contentsOf: entry(variant, library: library, indent: "    "))
            }
        }
        return out.dropFirst().joined(separator: "\n") + "\n"
    }

    private static func entry(_ e: Exercise, library: ExerciseLibrary, indent: String) -> [String] {
        var lines = [""]
        let what = e.family.map { "variant of \($0)" } ?? e.category
        lines.append("\(indent)\(e.name) [\(e.id)] - \(what), dosed in \(e.doseKind.rawValue)")
        lines.append("\(indent)  \(e.summary)")
        for (i, step) in e.instructions.enumerated() { lines.append("\(indent)  \(i + 1). \(step)") }
        for caution in e.cautions { lines.append("\(indent)  Caution: \(caution)") }
        if !e.variants.isEmpty { lines.append("\(indent)  Variants, easier first: \(e.variants.joined(separator: ", "))") }
        if let moves = e.movements {
            lines.append("\(indent)  Loads: " + (moves.isEmpty ? "none of the checked movements" : moves.sorted().map(\.rawValue).joined(separator: ", ")))
        }
        lines.append("\(indent)  Sources: \(e.sources.joined(separator: "; "))")
        return lines
    }

    /// `{ "schema": 1, "exercises": [ { "id", "name", "category", "dose_kind", "family", ... } ] }`.
    public static func json(_ library: ExerciseLibrary) -> String {
        let items: [OrderedJSON] = library.exercises.map { e in
            .object([
                ("id", .string(e.id)), ("name", .string(e.name)), ("category", .string(e.category)),
                ("dose_kind", .string(e.doseKind.rawValue)), ("family", .string(e.family)),
                ("summary", .string(e.summary)), ("instructions", .array(e.instructions.map { .string($0) })),
                ("cautions", .array(e.cautions.map { .string($0) })), ("variants", .array(e.variants.map { .string($0) })),
                ("sources", .array(e.sources.map { .string($0) })),
                ("caution", .string(e.caution)),
                ("movements", e.movements.map { .array($0.sorted().map { .string($0.rawValue) }) } ?? .null),
            ])
        }
        return OrderedJSON.object([("schema", .int(1)), ("exercises", .array(items))]).rendered()
    }
}
