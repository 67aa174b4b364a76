import Foundation

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
        let name = file ?? path
        func problem(_ category: String, _ message: String, line: Int = 0) -> Diagnostic {
            Diagnostic(file: name, line: line, column: line > 0 ? 1 : 0, category: category, message: message)
        }
        // One stat answers all of it: there, a folder, a regular file, how large.
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw .unreadable(problem("io", "no such file; check the path"))
        }
        let kind = info.st_mode & S_IFMT
        if kind == S_IFDIR { throw .unreadable(problem("io", "this is a folder, not a YAML file")) }
        // Only regular files: a pipe or a terminal would block the read, a device never ends.
        if kind != S_IFREG {
            throw .invalid(problem("not-a-file", "this is a device, pipe or socket, not a regular file; give a YAML file"))
        }
        // Size first, from the file system: a huge file is refused without reading it.
        let size = Int(info.st_size)
        if size > maxBytes {
            throw .invalid(problem("too-large", "the file is \(size) bytes; program, library and patient files are "
                                   + "refused above \(maxBytes) bytes (1 MiB). Is this the right file?", line: 1))
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .unreadable(problem("io", "cannot open the file for reading; check its permissions"))
        }
        defer { try? handle.close() }
        // Read at most one byte past the limit, in case the file grew since its size was read.
        let data: Data
        do {
            data = try handle.read(upToCount: maxBytes + 1) ?? Data()
        } catch {
            throw .unreadable(problem("io", "reading the file failed; check that it is a regular file"))
        }
        if data.count > maxBytes {
            throw .invalid(problem("too-large", "the file is larger than \(maxBytes) bytes (1 MiB) and is refused. "
                                   + "Is this the right file?", line: 1))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .invalid(problem("syntax", "the file is not UTF-8 text; save it as UTF-8", line: 1))
        }
        return text
    }
}
