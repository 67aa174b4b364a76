import Yams

/// Checks that every `sources:` entry of a library or program file names a key of the
/// reference list (`programs/references.yaml`).
enum SourceKeys {
    /// An `unknown-source` error, with a did-you-mean, for each entry that is not a key.
    static func check(root: Node, references: ReferenceList, file: String, text: String) -> [Diagnostic] {
        var c = Checker(file: file, text: text)
        let keys = references.keys
        visit(root) { item in
            guard let key = item.scalar?.string, references[key] == nil else { return }
            c.error("unknown-source", "unknown source '\(Checker.clip(key))'" + Suggest.didYouMean(key, among: keys)
                    + "; a source names a key of programs/references.yaml (add the reference there first)", at: item)
        }
        return c.diagnostics
    }

    /// Calls `body` with every item of every `sources:` list, at any depth.
    private static func visit(_ node: Node, _ body: (Node) -> Void) {
        switch node {
        case .mapping(let mapping):
            for (key, value) in mapping {
                if key.scalar?.string == "sources", case .sequence(let items) = value {
                    items.forEach(body)
                } else {
                    visit(value, body)
                }
            }
        case .sequence(let items):
            items.forEach { visit($0, body) }
        default:
            break
        }
    }
}
