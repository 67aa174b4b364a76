import ArgumentParser
import Foundation

/// An error a command reports to the user, with the exit code the README documents:
/// 64 wrong usage, 65 invalid input, 74 an I/O failure.
///
/// `message` is printed to stderr as it is (it may span lines, e.g. file diagnostics);
/// it must never contain a patient's free-text note.
public struct CLIError: Error, CustomStringConvertible {
    public enum Code: Int32, Sendable {
        case usage = 64
        case invalidInput = 65
        case io = 74
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

/// Writes to standard error without buffering surprises.
package func printError(_ text: String) {
    FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
}
