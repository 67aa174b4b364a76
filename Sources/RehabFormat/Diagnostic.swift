/// One problem found in a file, with its position.
///
/// Rendered like a compiler's message:
/// ```
/// programs/x.yaml:7:5: error: [unknown-key] unknown key 'exrcise'; did you mean 'exercise'?
///     exrcise: walking
///     ^
/// ```
/// `line` and `column` are 1-based (columns count Unicode scalars, as Yams does).
/// A line of 0 means the problem has no position (the file could not be read at all).
public struct Diagnostic: Hashable, Sendable {
    public var file: String
    public var line: Int
    public var column: Int
    /// A stable, short name for the kind of problem: `unknown-key`, `dose`, `time`, ...
    public var category: String
    /// What is wrong and how to fix it; never a patient's free-text note.
    public var message: String
    /// The text of the line the problem is on, without its line break.
    public var sourceLine: String?
    /// `error` (the file cannot be used), `warning` (clinical sense, or a patient file
    /// without a known emergency number; printed, the file is used; `validate --strict` refuses it) or `info` (worth a look, never refused).
    public var severity: Severity = .error

    /// How serious a diagnostic is.
    public enum Severity: String, Sendable, Hashable {
        case error, warning, info
    }

    public init(file: String, line: Int, column: Int, category: String, message: String, sourceLine: String? = nil,
                severity: Severity = .error) {
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.category = category
        self.message = message
        self.sourceLine = sourceLine
    }

    /// `FILE:LINE:COL: SEVERITY: [category] message`, then the source line and a caret under
    /// the column (when the line is known).
    public var rendered: String {
        guard line > 0 else { return "\(file): \(severity.rawValue): [\(category)] \(message)" }
        var text = "\(file):\(line):\(column): \(severity.rawValue): [\(category)] \(message)"
        if let sourceLine {
            // A very long line is shown as a window around the column.
            var scalars = Array(sourceLine.unicodeScalars)
            var caret = max(0, column - 1)
            if scalars.count > 160 {
                let from = max(0, min(caret - 60, scalars.count - 120))
                let to = min(scalars.count, from + 120)
                scalars = (from > 0 ? Array("...".unicodeScalars) : []) + Array(scalars[from..<to])
                    + (to < sourceLine.unicodeScalars.count ? Array("...".unicodeScalars) : [])
                caret = caret - from + (from > 0 ? 3 : 0)
            }
            var shown = String.UnicodeScalarView()
            // A control character (an escape sequence) is shown as U+FFFD, never sent raw to a terminal.
            shown.append(contentsOf: scalars.map { Checker.isControl($0) ? "\u{FFFD}" : $0 })
            // Keep tabs so the caret lines up under the same column in a terminal.
            let pad = String(scalars.prefix(caret).map { $0 == "\t" ? "\t" : " " })
            text += "\n\(String(shown))\n\(pad)^"
        }
        return text
    }

    /// The diagnostic as a JSON object: file, line, column, category, message, severity.
    var json: OrderedJSON {
        let fields: [(String, OrderedJSON)] = [
            ("file", .string(file)), ("line", .int(line)), ("column", .int(column)),
            ("category", .string(category)), ("message", .string(message)),
            ("severity", .string(severity.rawValue)),
        ]
        return .object(fields)
    }
}

extension Diagnostic {
    /// Every diagnostic rendered as text, one after another.
    public static func renderText(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(\.rendered).joined(separator: "\n")
    }

    /// A pretty-printed JSON array of objects with file, line, column, category, message, severity.
    public static func renderJSON(_ diagnostics: [Diagnostic]) -> String {
        OrderedJSON.array(diagnostics.map(\.json)).rendered()
    }
}

/// The problems found in a file; thrown by the readers when there is at least one.
public struct DiagnosticsError: Error, CustomStringConvertible, Sendable {
    public var diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    /// Every diagnostic rendered, one after another.
    public var description: String { Diagnostic.renderText(diagnostics) }
}
