import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a YAML file's text, refusing files too large to be a program before reading them.
public enum SourceFile {
    /// The largest file read: 1 MiB. Real programs are a few kilobytes.
    public static let maxBytes = 1 << 20

    /// What can go wrong before a file's text is checked.
    public enum Failure: Error, Sendable {
        /// The file is missing, is a folder, or cannot be read (an I/O problem).
        case unreadable(Diagnostic)
        /// The file is too large or not UTF-8 text (a problem with the input).
        case invalid(Diagnostic)

        public var diagnostic: Diagnostic {
            switch self {
            case .unreadable(let d), .invalid(let d): d
            }
        }
    }

    /// The text of the file at `path`; `file` is the name used in diagnostics (default `path`).
    public static func read(path: String, file: String? = nil) throws(Failure) -> String {
        try readIdentified(path: path, file: file).text
    }

    /// The text and the identity (device, inode, size, modification time) of the file it
    /// was read from, through `PrivateFile` (no link followed, nothing but a regular file).
    public static func readIdentified(path: String, file: String? = nil) throws(Failure) -> (text: String, identity: PrivateFile.Identity) {
        let name = file ?? path
        func problem(_ category: String, _ message: String, line: Int = 0) -> Diagnostic {
            Diagnostic(file: name, line: line, column: line > 0 ? 1 : 0, category: category, message: message)
        }
        let opened: PrivateFile.Opened
        switch PrivateFile.openFile(path, O_RDONLY) {
        case .success(let o): opened = o
        case .failure(.folder): throw .unreadable(problem("io", "this is a folder, not a YAML file"))
        case .failure(let refusal):
            throw refusal.isInvalidInput ? .invalid(problem("not-a-file", refusal.message)) : .unreadable(problem("io", refusal.message))
        }
        defer { close(opened.fd) }
        // Size first, from the file system: a huge file is refused without reading it.
        let size = Int(opened.identity.size)
        if size > maxBytes {
            throw .invalid(problem("too-large", "the file is \(size) bytes; program, library and patient files are "
                                   + "refused above \(maxBytes) bytes (1 MiB). Is this the right file?", line: 1))
        }
        // Read at most one byte past the limit, in case the file grew since its size was read.
        let bytes: [UInt8]
        switch PrivateFile.readAll(opened.fd, limit: maxBytes) {
        case .success(let b): bytes = b
        case .failure(.tooLarge):
            throw .invalid(problem("too-large", "the file is larger than \(maxBytes) bytes (1 MiB) and is refused. "
                                   + "Is this the right file?", line: 1))
        case .failure(.io(let code)):
            throw .unreadable(problem("io", "reading the file failed: \(String(cString: strerror(code)))"))
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .invalid(problem("syntax", "the file is not UTF-8 text; save it as UTF-8", line: 1))
        }
        return (text, opened.identity)
    }
}
