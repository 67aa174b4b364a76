import RehabKit
import Yams

/// Reads a program file (`programs/<id>.yaml`), checking it against the exercise library and
/// reporting every problem with its position.
///
/// ```swift
/// let program = try ProgramReader.read(text: yaml, file: "programs/lumbar-fusion.yaml", library: library)
/// ```
public enum ProgramReader {
    /// The program in `text`; throws every problem found when there is any.
    public static func read(text: String, file: String, library: ExerciseLibrary) throws(DiagnosticsError) -> Program {
        var checker = Checker(file: file, text: text)
        guard let root = checker.compose(text), let program = parse(root, library: library, &checker),
              !checker.hasErrors else { throw checker.thrown }
        return program
    }

    static let topKeys = (required: ["version", "id", "title", "procedures", "stages", "sources"],
                          optional: ["summary", "restrictions", "pain_rules", "red_flags", "education"])

    /// Walks a composed program document; nil when it cannot make a program.
    static func parse(_ root: Node, library: ExerciseLibrary, _ c: inout Checker) -> Program? {
        guard let f = c.fields(root, "the program", required: topKeys.required, optional: topKeys.optional,
                               missingCategory: ["sources": "missing-source"]),
              c.supportedVersion(f) else { return nil }
        let id = c.id(f["id"], "program id")
        let title = c.string(f["title"], "'title'")
        let summary = f.has("summary") ? c.string(f["summary"], "'summary'") : ""
        let procedures = procedureList(f["procedures"], "'procedures'", allowEmpty: false, &c)
        let restrictions = f.has("restrictions") ? self.restrictions(f["restrictions"], &c) : []
        let painRules = f.has("pain_rules") ? PainRulesReader.read(f["pain_rules"], &c) : PainRules()
        let redFlags = f.has("red_flags") ? self.redFlags(f["red_flags"], &c) : [:]
        let stages = f["stages"].flatMap { StageReader(library: library, rules: painRules ?? PainRules()).stages($0, &c) }
        let sources = f.has("sources") ? c.sources(f, "the program") : nil
        let education = f.has("education") ? c.education(f["education"]) : []
        guard let id, let title, let summary, let procedures, let restrictions, let painRules, let redFlags,
              let stages, let sources, let education, !c.hasErrors else { return nil }
        var program = Program(id: id, title: title, summary: summary, procedures: procedures, restrictions: restrictions,
                              stages: stages, painRules: painRules, redFlagAdvice: redFlags, sources: sources)
        program.education = education
        return program
    }

    /// A list of procedure names.
    static func procedureList(_ node: Node?, _ what: String, allowEmpty: Bool, _ c: inout Checker) -> [Procedure]? {
        guard let node, let items = c.list(node, what) else { return nil }
        if items.isEmpty, !allowEmpty {
            c.error("unknown-procedure", "\(what) is empty; name at least one of "
                    + Procedure.allCases.map(\.rawValue).joined(separator: ", "), at: node)
            return nil
        }
        var result: [Procedure] = []
        var ok = true
        for item in items {
            guard let p = procedure(item, &c) else { ok = false; continue }
            if !result.contains(p) { result.append(p) }
        }
        return ok ? result : nil
    }

    /// One procedure name.
    static func procedure(_ node: Node, _ c: inout Checker) -> Procedure? {
        guard let text = c.string(node, "a procedure") else { return nil }
        guard let p = Procedure(rawValue: text) else {
            let names = Procedure.allCases.map(\.rawValue)
            c.error("unknown-procedure", "unknown procedure '\(Checker.clip(text))'; "
                    + (Suggest.closest(text, among: names).map { "did you mean '\($0)'?" }
                       ?? "use " + names.joined(separator: ", ")), at: node)
            return nil
        }
        return p
    }

    private static func restrictions(_ node: Node?, _ c: inout Checker) -> [Restriction]? {
        guard let items = c.list(node, "'restrictions'") else { return nil }
        var result: [Restriction] = []
        var ok = true
        for item in items {
            guard let f = c.fields(item, "a restriction", required: ["text"],
                                   optional: ["until_week", "procedures", "forbids", "throughout"])
            else { ok = false; continue }
            let text = c.string(f["text"], "'text'")
            var until: Int?? = .some(nil)
            if let node = f["until_week"] {
                until = c.int(node, "'until_week'").map { week in
                    if week < 1 { c.error("range", "'until_week' is \(week); it must be 1 or more (leave it out for the whole program)", at: node) }
                    return week
                }
            }
            let procedures = f.has("procedures") ? procedureList(f["procedures"], "'procedures'", allowEmpty: true, &c) : []
            let forbids = f.has("forbids") ? c.movements(f["forbids"], "'forbids'") : []
            let throughout = f.has("throughout") ? c.bool(f["throughout"], "'throughout'") : false
            if throughout == true, let node = f["until_week"] {
                c.error("range", "a restriction with 'until_week' does not last throughout; keep one of the two",
                        at: node)
            }
            guard let text, let until, let procedures, let forbids, let throughout else { ok = false; continue }
            var restriction = Restriction(text: text, untilWeek: until, procedures: procedures)
            restriction.forbids = forbids
            restriction.throughout = throughout
            result.append(restriction)
        }
        return ok ? result : nil
    }

    private static func redFlags(_ node: Node?, _ c: inout Checker) -> [RedFlag: String]? {
        let names = RedFlag.allCases.map(\.rawValue)
        guard let node, let f = c.fields(node, "'red_flags'", required: [], optional: names) else { return nil }
        var result: [RedFlag: String] = [:]
        var ok = true
        for flag in RedFlag.allCases {
            guard let value = f[flag.rawValue] else { continue }
            if let advice = c.string(value, "the advice for '\(flag.rawValue)'") { result[flag] = advice } else { ok = false }
        }
        return ok ? result : nil
    }
}
