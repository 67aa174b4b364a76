import RehabKit
import Yams

/// Reads the exercise library (`programs/exercises.yaml`), reporting every problem with its
/// position.
///
/// ```swift
/// let library = try LibraryReader.read(text: yaml, file: "programs/exercises.yaml")
/// ```
public enum LibraryReader {
    /// The library in `text`; throws every problem found when there is any.
    public static func read(text: String, file: String) throws(DiagnosticsError) -> ExerciseLibrary {
        var checker = Checker(file: file, text: text)
        guard let root = checker.compose(text), let library = parse(root, &checker), !checker.hasErrors else {
            throw checker.thrown
        }
        return library
    }

    static let topKeys = ["version", "exercises"]
    static let exerciseKeys = (required: ["id", "name", "category", "dose_kind", "summary", "instructions", "sources"],
                               optional: ["cautions", "variants", "movements", "caution"])
    static let variantKeys = (required: ["id", "name", "summary", "instructions"],
                              optional: ["cautions", "sources", "movements", "caution"])

    /// Walks a composed library document; nil when it cannot make a library.
    static func parse(_ root: Node, _ c: inout Checker) -> ExerciseLibrary? {
        guard let top = c.fields(root, "the library", required: topKeys), c.supportedVersion(top) else { return nil }
        guard let items = c.list(top["exercises"], "'exercises'") else { return nil }
        if items.isEmpty { c.error("missing-key", "'exercises' is empty; list at least one exercise", at: top["exercises"]) }
        var exercises: [Exercise] = []
        var seen: Set<String> = []
        func add(_ exercise: Exercise, idNode: Node?, _ c: inout Checker) {
            if seen.contains(exercise.id) {
                c.error("duplicate-id", "exercise id '\(exercise.id)' is used twice; ids must be unique across "
                        + "exercises and variants", at: idNode)
            } else {
                seen.insert(exercise.id)
                exercises.append(exercise)
            }
        }
        for item in items {
            guard let f = c.fields(item, "an exercise", required: exerciseKeys.required,
                                   optional: exerciseKeys.optional, missingCategory: ["sources": "missing-source"])
            else { continue }
            let id = c.id(f["id"], "exercise id")
            let name = c.string(f["name"], "'name'")
            let category = c.id(f["category"], "'category'")
            let kind = doseKind(f["dose_kind"], &c)
            let summary = c.string(f["summary"], "'summary'")
            let instructions = steps(f["instructions"], &c)
            let cautions = f.has("cautions") ? c.strings(f["cautions"], "'cautions'") : []
            let sources = f.has("sources") ? c.sources(f, "exercise '\(id ?? "?")'") : nil
            let movements = f.has("movements") ? c.movements(f["movements"], "'movements'") : nil
            let caution = f.has("caution") ? c.caution(f["caution"]) : nil
            var variants: [(Exercise, Node?)] = []
            if f.has("variants"), let list = c.list(f["variants"], "'variants'") {
                for v in list {
                    guard let vf = c.fields(v, "a variant", required: variantKeys.required,
                                            optional: variantKeys.optional) else { continue }
                    let vid = c.id(vf["id"], "variant id")
                    let vname = c.string(vf["name"], "'name'")
                    let vsummary = c.string(vf["summary"], "'summary'")
                    let vsteps = steps(vf["instructions"], &c)
                    let vcautions = vf.has("cautions") ? c.strings(vf["cautions"], "'cautions'") : []
                    let vsources = vf.has("sources") ? c.sources(vf, "variant '\(vid ?? "?")'") : sources
                    let vmoves = vf.has("movements") ? c.movements(vf["movements"], "'movements'") : movements
                    let vcaution = vf.has("caution") ? c.caution(vf["caution"]) : caution
                    guard let vid, let vname, let vsummary, let vsteps, let vcautions, let id, let category,
                          let kind, let cautions, let vsources else { continue }
                    var variant = Exercise(id: vid, name: vname, category: category, doseKind: kind,
                                           instructions: vsteps, summary: vsummary, cautions: cautions + vcautions,
                                           family: id, sources: vsources)
                    variant.movements = vmoves
                    variant.caution = vcaution
                    variants.append((variant, vf["id"]))
                }
            }
            guard let id, let name, let category, let kind, let summary, let instructions, let cautions,
                  let sources else { continue }
            var exercise = Exercise(id: id, name: name, category: category, doseKind: kind, instructions: instructions,
                                    summary: summary, cautions: cautions, variants: variants.map(\.0.id), sources: sources)
            exercise.movements = movements
            exercise.caution = caution
            add(exercise, idNode: f["id"], &c)
            for (variant, node) in variants { add(variant, idNode: node, &c) }
        }
        return c.hasErrors ? nil : ExerciseLibrary(exercises: exercises)
    }

    private static func doseKind(_ node: Node?, _ c: inout Checker) -> DoseKind? {
        guard let node, let text = c.string(node, "'dose_kind'") else { return nil }
        guard let kind = DoseKind(rawValue: text) else {
            let names = DoseKind.allCases.map(\.rawValue)
            c.error("type", "'dose_kind' must be one of \(names.joined(separator: ", ")), found '\(Checker.clip(text))'"
                    + Suggest.didYouMean(text, among: names), at: node)
            return nil
        }
        return kind
    }

    private static func steps(_ node: Node?, _ c: inout Checker) -> [String]? {
        guard let node, let steps = c.strings(node, "'instructions'") else { return nil }
        if steps.isEmpty, case .sequence = node {
            c.error("missing-key", "'instructions' is empty; write the steps a patient follows", at: node)
            return nil
        }
        return steps
    }
}
