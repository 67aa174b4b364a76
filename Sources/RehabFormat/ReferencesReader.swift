import Yams

/// One source the library and programs may name in `sources:`, by its key.
public struct Reference: Hashable, Sendable {
    /// The kinds a reference may be.
    public enum Kind: String, Sendable, CaseIterable {
        case webArticle = "web article", trial, review, `protocol`
    }

    public var key: String
    public var kind: Kind
    public var title: String
    public var authors: String?
    public var year: Int?
    /// Journal, volume and pages, as a citation gives them.
    public var published: String?
    public var doi: String?
    public var urls: [String]
    /// What the project takes from it, in a sentence or two.
    public var supports: String
}

/// The project's reference list (`programs/references.yaml`): every key a `sources:` entry
/// may name.
///
/// ```swift
/// let refs = try ReferencesReader.read(text: yaml, file: "programs/references.yaml")
/// refs["oosterhuis-2014"]?.title
/// ```
public struct ReferenceList: Hashable, Sendable {
    public let references: [Reference]

    public init(references: [Reference]) { self.references = references }

    public subscript(key: String) -> Reference? { references.first { $0.key == key } }
    public var keys: [String] { references.map(\.key) }
}

/// Reads `programs/references.yaml`, reporting every problem with its position.
public enum ReferencesReader {
    /// The file name of the reference list among the shipped files.
    public static let fileName = "references.yaml"

    public static func read(text: String, file: String) throws(DiagnosticsError) -> ReferenceList {
        var c = Checker(file: file, text: text)
        guard let root = c.compose(text), let list = parse(root, &c), !c.hasErrors else { throw c.thrown }
        return list
    }

    static let itemKeys = (required: ["key", "kind", "title", "supports"],
                           optional: ["authors", "year", "published", "doi", "url", "urls"])

    static func parse(_ root: Node, _ c: inout Checker) -> ReferenceList? {
        guard let top = c.fields(root, "the reference list", required: ["version", "references"]),
              c.supportedVersion(top), let items = c.list(top["references"], "'references'") else { return nil }
        var result: [Reference] = []
        var seen: Set<String> = []
        for item in items {
            guard let f = c.fields(item, "a reference", required: itemKeys.required, optional: itemKeys.optional)
            else { continue }
            let key = c.id(f["key"], "reference key")
            if let key {
                if seen.contains(key) {
                    c.error("duplicate-id", "reference key '\(key)' is used twice; keys must be unique", at: f["key"])
                }
                seen.insert(key)
            }
            var kind: Reference.Kind?
            if let node = f["kind"], let text = c.string(node, "'kind'") {
                kind = Reference.Kind(rawValue: text)
                if kind == nil {
                    let names = Reference.Kind.allCases.map(\.rawValue)
                    c.error("type", "'kind' must be one of \(names.joined(separator: ", ")), found '\(Checker.clip(text))'"
                            + Suggest.didYouMean(text, among: names), at: node)
                }
            }
            let title = c.string(f["title"], "'title'")
            let supports = c.string(f["supports"], "'supports'")
            let authors = f.has("authors") ? c.string(f["authors"], "'authors'") : nil
            let published = f.has("published") ? c.string(f["published"], "'published'") : nil
            let doi = f.has("doi") ? c.string(f["doi"], "'doi'") : nil
            var year: Int?
            if let node = f["year"], let y = c.int(node, "'year'") {
                if (1900...2100).contains(y) { year = y } else {
                    c.error("range", "'year' is \(y); write the year of publication", at: node)
                }
            }
            var urls: [String] = []
            if let node = f["url"], let u = c.string(node, "'url'") { urls.append(u) }
            if f.has("urls"), let list = c.strings(f["urls"], "'urls'") { urls += list }
            for (node, u) in zip([f["url"]].compactMap { $0 } + (c.peekList(f["urls"]) ?? []), urls)
            where !(u.hasPrefix("https://") || u.hasPrefix("http://")) {
                c.error("type", "'\(Checker.clip(u))' is not a web address; start it with https://", at: node)
            }
            guard let key, let kind, let title, let supports else { continue }
            result.append(Reference(key: key, kind: kind, title: title, authors: authors, year: year,
                                    published: published, doi: doi, urls: urls, supports: supports))
        }
        return ReferenceList(references: result)
    }
}

extension Checker {
    /// The items of a list, without reporting anything.
    func peekList(_ node: Node?) -> [Node]? {
        guard let node, case .sequence(let sequence) = node else { return nil }
        return Array(sequence)
    }
}
