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
        /// The caller's check refused the new entry (for example a resume while not halted).
        case refused
    }

    public var kind: Kind
    public var file: String
    /// 1-based line number, when the problem is on one line.
    public var line: Int?
    public var message: String

    public init(_ kind: Kind, file: String, line: Int? = nil, message: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.message = message
    }

    /// `FILE:LINE:1: error: [pain-log] message`, or `FILE: error: [pain-log] message`.
    public var description: String {
        let place = line.map { "\(file):\($0):1" } ?? file
        return "\(place): error: [pain-log] \(message)"
    }
}
