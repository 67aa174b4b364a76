import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The clinician file of `rehab serve --clinicians FILE`: one `NAME:bcrypt-hash` line per
/// clinician, written by `rehab clinician add`. This file reads and renders it; it never
/// hashes or checks a password (RehabServer's `ClinicPasswords` does) and never quotes a
/// hash in a problem. The file is read through `PrivateFile` (no links, regular files only).
public struct ClinicianFile: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var hash: String
        /// 1-based line number in the file it was read from (0 for a new entry).
        public var line: Int

        public init(name: String, hash: String, line: Int = 0) {
            self.name = name
            self.hash = hash
            self.line = line
        }
    }

    /// A line that is not a clinician: its number and what is wrong, never its text.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// Why the file could not be read at all.
    public enum ReadError: Error, Sendable, Equatable {
        case refused(PrivateFile.Refusal)
        case tooLarge
        case io(Int32)

        public var message: String {
            switch self {
            case .refused(let refusal): refusal.message
            case .tooLarge: "the file is larger than 1 MiB; a clinician file holds one short line per clinician"
            case .io(let code): "cannot read the file: \(String(cString: strerror(code)))"
            }
        }
    }

    public static let maxNameLength = 64
    static let maxBytes = 1 << 20

    public var entries: [Entry]
    public var problems: [Problem]

    public init(entries: [Entry] = [], problems: [Problem] = []) {
        self.entries = entries
        self.problems = problems
    }

    /// Nil when `name` may name a clinician (1-64 characters, no `:`, no control
    /// characters, no space at either end); else what is wrong with it.
    public static func nameProblem(_ name: String) -> String? {
        if name.isEmpty { return "the name is empty" }
        if name.count > maxNameLength { return "the name is longer than \(maxNameLength) characters" }
        if name.contains(":") { return "the name contains ':'" }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" }) {
            return "the name contains a control character"
        }
        if name.trimmingCharacters(in: .whitespaces) != name { return "the name starts or ends with a space" }
        if name.hasPrefix("#") { return "the name starts with '#' (the file reads such a line as a comment)" }
        return nil
    }

    /// A bcrypt hash as `Bcrypt.hash` writes it: `$2a$`/`$2b$`/`$2y$`, two cost digits, 53
    /// more. The cost must be 12 to 31: a cheaper hash pasted in by hand would be weaker than
    /// the clinic's policy (and answer faster than an unknown name does).
    public static func looksLikeHash(_ hash: String) -> Bool {
        let bytes = Array(hash.utf8)
        guard bytes.count == 60, bytes[0] == UInt8(ascii: "$"), bytes[1] == UInt8(ascii: "2"),
              [UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "y")].contains(bytes[2]),
              bytes[3] == UInt8(ascii: "$"), bytes[6] == UInt8(ascii: "$") else { return false }
        let digits = bytes[4...5].allSatisfy { (0x30...0x39).contains($0) }
            && (12...31).contains(Int(bytes[4] - 0x30) * 10 + Int(bytes[5] &- 0x30))
        let rest = bytes[7...].allSatisfy { b in
            (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || b == 0x2E || b == 0x2F
        }
        return digits && rest
    }

    /// Reads the lines of `text`; blank lines and `#` comments are skipped, the others must be
    /// `NAME:HASH` with a valid name, a bcrypt hash, and each name once.
    public static func parse(_ text: String) -> ClinicianFile {
        var file = ClinicianFile()
        var seen: [String: Int] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.lastIndex(of: ":") else {
                file.problems.append(Problem(line: number, message: "not NAME:HASH (no ':')"))
                continue
            }
            let name = String(line[..<colon])
            let hash = String(line[line.index(after: colon)...])
            if let problem = nameProblem(name) {
                file.problems.append(Problem(line: number, message: problem))
            } else if !looksLikeHash(hash) {
                file.problems.append(Problem(line: number, message: "the part after ':' is not a bcrypt hash; set the password again with `rehab clinician add`"))
            } else if let first = seen[name] {
                file.problems.append(Problem(line: number, message: "this clinician is already on line \(first)"))
            } else {
                seen[name] = number
                file.entries.append(Entry(name: name, hash: hash, line: number))
            }
        }
        return file
    }

    /// Reads the file at `path` (nil when there is none yet).
    public static func read(path: String) throws(ReadError) -> ClinicianFile? {
        let opened: PrivateFile.Opened
        switch PrivateFile.openFile(path, O_RDONLY) {
        case .success(let o): opened = o
        case .failure(.missing): return nil
        case .failure(let refusal): throw .refused(refusal)
        }
        defer { close(opened.fd) }
        switch PrivateFile.readAll(opened.fd, limit: maxBytes) {
        case .success(let bytes): return parse(String(decoding: bytes, as: UTF8.self))
        case .failure(.tooLarge): throw .tooLarge
        case .failure(.io(let code)): throw .io(code)
        }
    }

    /// The hash for `name`, if that clinician is in the file.
    public func hash(for name: String) -> String? { entries.first { $0.name == name }?.hash }

    /// Adds `name` or replaces its hash, keeping the others in their order.
    public mutating func set(name: String, hash: String) {
        if let i = entries.firstIndex(where: { $0.name == name }) {
            entries[i].hash = hash
        } else {
            entries.append(Entry(name: name, hash: hash))
        }
    }

    /// The file's text: one `NAME:HASH` line per clinician.
    public func rendered() -> String { entries.map { "\($0.name):\($0.hash)\n" }.joined() }
}
