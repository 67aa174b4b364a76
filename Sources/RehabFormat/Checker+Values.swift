import Foundation
import Yams

/// The keys of one YAML mapping, checked against the keys a reader knows.
struct Fields {
    /// The mapping node itself (its mark is its first key).
    let node: Node
    private var entries: [String: (key: Node, value: Node)]

    init(node: Node, entries: [String: (key: Node, value: Node)]) {
        self.node = node
        self.entries = entries
    }

    subscript(key: String) -> Node? { entries[key]?.value }
    func keyNode(_ key: String) -> Node? { entries[key]?.key }
    func has(_ key: String) -> Bool { entries[key] != nil }
}

extension Checker {
    /// A mapping whose keys must be among `required + optional`; reports unknown keys (with a
    /// suggestion) and missing required ones. Nil when the node is not a mapping.
    mutating func fields(_ node: Node, _ what: String, required: [String], optional: [String] = [],
                         missingCategory: [String: String] = [:]) -> Fields? {
        guard case .mapping(let mapping) = node else {
            error("type", "\(what) must be a mapping of 'key: value' lines, found \(Self.describe(node))", at: node)
            return nil
        }
        let known = required + optional
        var entries: [String: (key: Node, value: Node)] = [:]
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                error("type", "a key in \(what) must be plain text, found \(Self.describe(key))", at: key)
                continue
            }
            let name = scalar.string
            if known.contains(name) {
                entries[name] = (key, value)
            } else {
                let hint = Suggest.closest(name, among: known).map { "did you mean '\($0)'?" }
                    ?? "known keys: " + known.joined(separator: ", ")
                error("unknown-key", "unknown key '\(Self.clip(name))' in \(what); " + hint, at: key)
            }
        }
        for name in required where entries[name] == nil {
            let category = missingCategory[name] ?? "missing-key"
            error(category, "\(what) is missing the key '\(name)'", at: node)
        }
        return Fields(node: node, entries: entries)
    }

    /// Plain text (any scalar but an empty value).
    mutating func string(_ node: Node?, _ what: String) -> String? {
        guard let node else { return nil }
        guard case .scalar(let scalar) = node, !Self.isNull(node) else {
            error("type", "\(what) must be text, found \(Self.describe(node))", at: node)
            return nil
        }
        let text = scalar.string.trimmingCharacters(in: .whitespaces)
        if text.isEmpty {
            error("type", "\(what) must not be empty", at: node)
            return nil
        }
        // Terminal escape sequences and other control characters (an escaped "\e[2J" could
        // clear a screen over the advice when the text is printed) are refused, never shown.
        if let control = scalar.string.unicodeScalars.first(where: Self.isControl) {
            let code = String(control.value, radix: 16, uppercase: true)
            error("control-character", "\(what) contains the control character U+\(String(repeating: "0", count: max(0, 4 - code.count)))\(code); "
                  + "remove it (line breaks and tabs are the only control characters allowed in text)", at: node)
            return nil
        }
        return scalar.string
    }

    /// C0 controls but tab, line feed and carriage return (line breaks), DEL, and C1
    /// controls (which include the 8-bit CSI).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || (0x7F...0x9F).contains(v)
    }

    /// A whole number written without quotes.
    mutating func int(_ node: Node?, _ what: String) -> Int? {
        guard let node else { return nil }
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any,
              !Self.isNull(node) else {
            error("type", "\(what) must be a whole number, found \(Self.describe(node))", at: node)
            return nil
        }
        let text = scalar.string
        let digits = text.hasPrefix("-") || text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            error("type", "\(what) must be a whole number, found \(Self.describe(node))", at: node)
            return nil
        }
        guard let value = Int(text) else {
            error("type", "\(what) is far too large a number", at: node)
            return nil
        }
        return value
    }

    /// `true` or `false`.
    mutating func bool(_ node: Node?, _ what: String) -> Bool? {
        guard let node else { return nil }
        if case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any {
            switch scalar.string {
            case "true": return true
            case "false": return false
            default: break
            }
        }
        error("type", "\(what) must be true or false, found \(Self.describe(node))", at: node)
        return nil
    }

    /// The items of a list.
    mutating func list(_ node: Node?, _ what: String) -> [Node]? {
        guard let node else { return nil }
        guard case .sequence(let sequence) = node else {
            error("type", "\(what) must be a list, found \(Self.describe(node))", at: node)
            return nil
        }
        return Array(sequence)
    }

    /// A list of texts; items that are not text are reported and left out.
    mutating func strings(_ node: Node?, _ what: String) -> [String]? {
        guard let items = list(node, what) else { return nil }
        return items.compactMap { string($0, "each item of \(what)") }
    }

    /// A list of sources: missing, empty or blank entries are `missing-source` problems.
    mutating func sources(_ fields: Fields, _ what: String) -> [String]? {
        guard let node = fields["sources"] else {
            error("missing-source", "\(what) has no 'sources'; add the seed file or public reference it comes from",
                  at: fields.node)
            return nil
        }
        guard let items = list(node, "'sources' of \(what)") else { return nil }
        if items.isEmpty {
            error("missing-source", "'sources' of \(what) is empty; add the seed file or public reference it comes from",
                  at: node)
            return nil
        }
        var result: [String] = []
        for item in items {
            guard let text = string(item, "a source") else { continue }
            if text.hasPrefix("seed:"), text.dropFirst(5).trimmingCharacters(in: .whitespaces).isEmpty {
                error("missing-source", "'seed:' must be followed by a seed file name", at: item)
                continue
            }
            result.append(text)
        }
        return result
    }

    /// An id: lower-case letters, digits and '-', starting with a letter, at most 64 characters.
    mutating func id(_ node: Node?, _ what: String) -> String? {
        guard let node, let text = string(node, what) else { return nil }
        guard Self.isValidID(text) else {
            error("id", "\(what) '\(Self.clip(text))' is not a valid id: use lower-case letters, digits and '-', "
                  + "starting with a letter, at most 64 characters", at: node)
            return nil
        }
        return text
    }

    static func isValidID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...64).contains(bytes.count), let first = bytes.first, first >= 97, first <= 122 else { return false }
        return bytes.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
    }

    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// How a node reads in a message: "a list", "a mapping", "nothing", "'text'".
    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            if isNull(node) { return "nothing" }
            return "'\(clip(scalar.string))'"
        }
    }

    /// Text shortened for a message.
    static func clip(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count > 40 ? String(flat.prefix(37)) + "..." : flat
    }
}

extension Checker {
    /// The file format versions this build reads.
    static let supportedVersions = [1]

    /// Checks `version:`; false (after reporting) when the version is one this build cannot
    /// read, in which case the rest of the file is not checked.
    mutating func supportedVersion(_ fields: Fields) -> Bool {
        guard let node = fields["version"] else { return true }  // reported as missing
        guard let value = int(node, "version") else { return false }
        guard Self.supportedVersions.contains(value) else {
            error("version", "version \(value) is not supported; this rehab reads version 1 files", at: node)
            return false
        }
        return true
    }
}
