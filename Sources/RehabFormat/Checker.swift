import Yams

/// Collects the diagnostics of one file while a reader walks its YAML nodes, and offers
/// the typed getters every reader shares (string, whole number, list, mapping with known keys).
///
/// Getters report a problem and return nil; callers carry on with the rest of the file so
/// one run names every problem.
struct Checker {
    let file: String
    private let lines: [Substring]
    private var found: [Diagnostic] = []
    /// Every problem so far, in file order (line, then column).
    var diagnostics: [Diagnostic] {
        found.enumerated().sorted { a, b in
            let x = a.element.category == "too-many", y = b.element.category == "too-many"
            if x != y { return y }
            return (a.element.line, a.element.column, a.offset) < (b.element.line, b.element.column, b.offset)
        }.map(\.element)
    }
    /// More than this many diagnostics in one file are summarised, not listed.
    static let limit = 200

    init(file: String, text: String) {
        self.file = file
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.last == "\r" ? $0.dropLast() : $0 }
    }

    var hasErrors: Bool { found.contains { $0.severity == .error } }

    /// Records something worth fixing that does not stop the file from being used.
    mutating func warning(_ category: String, _ message: String, at node: Node?) {
        let mark = node?.mark
        record(.warning, category, message, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    /// Records a problem at a 1-based line and column.
    mutating func error(_ category: String, _ message: String, line: Int, column: Int) {
        record(.error, category, message, line: line, column: column)
    }

    private mutating func record(_ severity: Diagnostic.Severity, _ category: String, _ message: String,
                                 line: Int, column: Int) {
        guard found.count <= Self.limit else { return }
        if found.count == Self.limit {
            found.append(Diagnostic(file: file, line: line, column: column, category: "too-many",
                                          message: "more than \(Self.limit) problems; fix these and run again"))
            return
        }
        let source = lines.indices.contains(line - 1) ? String(lines[line - 1]) : nil
        found.append(Diagnostic(file: file, line: line, column: column, category: category,
                                      message: message, sourceLine: source, severity: severity))
    }

    /// Records a problem at a node's position (1:1 when the node has none).
    mutating func error(_ category: String, _ message: String, at node: Node?) {
        let mark = node?.mark
        error(category, message, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    /// The diagnostics so far, as the error a reader throws.
    var thrown: DiagnosticsError { DiagnosticsError(diagnostics: diagnostics) }

    // MARK: Parsing

    /// The single document of `text`, or nil after reporting a syntax problem.
    mutating func compose(_ text: String) -> Node? {
        do {
            // The basic resolver: the readers judge each scalar's text themselves, and the
            // default one runs a dozen regular expressions per scalar to guess a type.
            guard let root = try Yams.compose(yaml: text, .basic) else {
                error("file-kind", "the file is empty; start with 'version: 1'", line: 1, column: 1)
                return nil
            }
            return root
        } catch let yaml as YamlError {
            report(yaml, text: text)
        } catch {
            self.error("syntax", "the file is not valid YAML", line: 1, column: 1)
        }
        return nil
    }

    private mutating func report(_ yaml: YamlError, text: String) {
        func say(_ problem: String, _ context: YamlError.Context?, _ mark: Mark) {
            var message = "YAML syntax: \(problem)"
            if let context, !context.text.isEmpty {
                message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
            }
            error("syntax", message + "; check indentation, colons and quotes", line: mark.line, column: mark.column)
        }
        switch yaml {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            say(problem, context, mark)
        case let .duplicatedKeysInMapping(duplicates, context):
            let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            error("duplicate-key", "key \(names) appears more than once in this mapping; keep one",
                  line: context.mark.line, column: context.mark.column)
        case let .reader(problem, offset, _, _):
            let (line, column) = offset.map { Self.position(ofCharacter: $0, in: text) } ?? (1, 1)
            error("syntax", "the file cannot be read as text: \(problem); save it as UTF-8",
                  line: line, column: column)
        default:
            error("syntax", "the file is not valid YAML: \(yaml)", line: 1, column: 1)
        }
    }

    /// 1-based line and column of the character at `offset` (in Characters).
    static func position(ofCharacter offset: Int, in text: String) -> (Int, Int) {
        var line = 1, column = 1
        for (i, ch) in text.enumerated() {
            if i >= offset { break }
            if ch == "\n" || ch == "\r\n" { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }
}
