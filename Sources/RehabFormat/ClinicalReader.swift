import RehabKit
import Yams

/// Reads the clinical keys of the library and programs: `movements`, `caution`,
/// `forbids`, `throughout`, `accept` and `education` (docs/program-format.md).
extension Checker {
    /// A list of movement names.
    mutating func movements(_ node: Node?, _ what: String) -> Set<Movement>? {
        guard let items = list(node, what) else { return nil }
        let names = Movement.allCases.map(\.rawValue)
        var result: Set<Movement> = []
        var ok = true
        for item in items {
            guard let text = string(item, "a movement") else { ok = false; continue }
            guard let m = Movement(rawValue: text) else {
                ok = false
                error("movement", "unknown movement '\(Self.clip(text))'" + Suggest.didYouMean(text, among: names)
                      + "; use \(names.joined(separator: ", "))", at: item)
                continue
            }
            result.insert(m)
        }
        return ok ? result : nil
    }

    /// A short caution: one line of at most 60 characters, shown beside a dose.
    mutating func caution(_ node: Node?) -> String? {
        guard let node, let text = string(node, "'caution'") else { return nil }
        if text.count > 60 || text.contains("\n") {
            error("range", "'caution' is \(text.count) characters; keep it to one short line (60 at most), "
                  + "the full cautions go under 'cautions'", at: node)
            return nil
        }
        return text
    }

    /// `accept: [{rule, because}]`: clinical warnings kept for one prescription.
    mutating func accepts(_ node: Node?) -> [AcceptedWarning]? {
        guard let items = list(node, "'accept'") else { return nil }
        var result: [AcceptedWarning] = []
        var ok = true
        for item in items {
            guard let f = fields(item, "an accepted warning", required: ["rule", "because"]) else { ok = false; continue }
            var rule = string(f["rule"], "'rule'")
            if let r = rule, r.hasPrefix("clinical/") { rule = String(r.dropFirst("clinical/".count)) }
            let because = string(f["because"], "'because'")
            if let r = rule, !ClinicalLint.rules.contains(r) {
                error("unknown-rule", "no clinical rule '\(Self.clip(r))'" + Suggest.didYouMean(r, among: ClinicalLint.rules)
                      + "; the rules are " + ClinicalLint.rules.joined(separator: ", "), at: f["rule"])
                ok = false
                continue
            }
            if let b = because, b.trimmingCharacters(in: .whitespaces).count < 10 {
                error("type", "'because' must say why the warning is kept, in a sentence", at: f["because"])
                ok = false
                continue
            }
            guard let rule, let because else { ok = false; continue }
            result.append(AcceptedWarning(rule: rule, because: because))
        }
        return ok ? result : nil
    }

    /// A program's `education:` items.
    mutating func education(_ node: Node?) -> [EducationItem]? {
        guard let items = list(node, "'education'") else { return nil }
        var result: [EducationItem] = []
        var ids: Set<String> = []
        var ok = true
        for item in items {
            guard let f = fields(item, "an education item", required: ["id", "title", "text", "sources"],
                                 optional: ["from_week", "until_week", "procedures"],
                                 missingCategory: ["sources": "missing-source"]) else { ok = false; continue }
            let id = self.id(f["id"], "education id")
            if let id {
                if ids.contains(id) { error("duplicate-id", "education id '\(id)' is used twice", at: f["id"]) }
                ids.insert(id)
            }
            let title = string(f["title"], "'title'")
            let text = string(f["text"], "'text'")
            var from = 0
            if let n = f["from_week"], let w = int(n, "'from_week'") {
                if w < 0 { error("range", "'from_week' is \(w); weeks after surgery count from 0", at: n) } else { from = w }
            }
            var until: Int?
            if let n = f["until_week"], let w = int(n, "'until_week'") {
                if w <= from {
                    error("range", "'until_week' \(w) must be after 'from_week' \(from)", at: n)
                } else { until = w }
            }
            let procedures = f.has("procedures")
                ? ProgramReader.procedureList(f["procedures"], "'procedures'", allowEmpty: true, &self) : []
            let sources = f.has("sources") ? self.sources(f, "education item '\(id ?? "?")'") : nil
            guard let id, let title, let text, let procedures, let sources else { ok = false; continue }
            result.append(EducationItem(id: id, title: title, text: text, fromWeek: from, untilWeek: until,
                                        procedures: procedures, sources: sources))
        }
        return ok ? result : nil
    }
}
