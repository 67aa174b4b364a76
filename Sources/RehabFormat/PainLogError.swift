/// A problem with a pain log: a damaged line, a log of another patient, a log too large,
/// or a failed read or write. The description says what, where and how to fix it, and
/// never quotes the line itself (it may hold the patient's note).
public struct PainLogError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// A line that is not a valid entry (or the header).
        case damaged
        /// The header names another patient, or an unknown format version.
        case mismatch
        /// The log is larger than `PainLogStore.sizeLimit`.
        case tooLarge
        /// Reading, locking, writing or syncing failed.
        case io
        /// The log's name is a symbolic link, a named pipe, a socket or a device, not a
        /// regular file: it is neither read nor written.
        case notAFile
        /// The caller's check refused the new entry (for example a resume while not halted).
        case refused
    }

    /// A further damaged line of the same file.
    public struct LineProblem: Sendable, Equatable {
        public var line: Int
        public var message: String
    }

    public var kind: Kind
    public var file: String
    /// 1-based line number, when the problem is on one line.
    public var line: Int?
    public var message: String
    /// The file's other damaged lines, in line order (all of a file's problems in one run).
    public var more: [LineProblem]

    /// How many problems `description` lists before saying how many more there are.
    public static let listLimit = 20

    public init(_ kind: Kind, file: String, line: Int? = nil, message: String, more: [LineProblem] = []) {
        self.kind = kind
        self.file = file
        self.line = line
        self.message = message
        self.more = more
    }

    /// Every problem as a diagnostic (category `pain-log`, no source line: never quoted),
    /// named `file` (e.g. the path as the user typed it).
    public func diagnostics(file: String) -> [Diagnostic] {
        [Diagnostic(file: file, line: line ?? 0, column: line == nil ? 0 : 1, category: "pain-log", message: message)]
            + more.map { Diagnostic(file: file, line: $0.line, column: 1, category: "pain-log", message: $0.message) }
    }

    /// `FILE:LINE:1: error: [pain-log] message`, or `FILE: error: [pain-log] message`; a line
    /// like it for each further damaged line (up to `listLimit` in all, then a count).
    public var description: String {
        let place = line.map { "\(file):\($0):1" } ?? file
        var lines = ["\(place): error: [pain-log] \(message)"]
        for problem in more.prefix(Self.listLimit - 1) {
            lines.append("\(file):\(problem.line):1: error: [pain-log] \(problem.message)")
        }
        if more.count >= Self.listLimit {
            let rest = more.count - (Self.listLimit - 1)
            lines.append("\(file): error: [pain-log] \(rest) more damaged line\(rest == 1 ? "" : "s") not listed")
        }
        return lines.joined(separator: "\n")
    }
}
