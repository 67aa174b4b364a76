import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Crash-safe file replacement: a reader sees the old file or the new one, never half.
///
/// Writes a temporary file in the target's folder, fsyncs it, renames it over the
/// target and fsyncs the folder so the rename itself is durable.
public enum AtomicFile {
    /// Replaces `path` with `data` atomically. Pass `durable: false` to skip the fsyncs
    /// (a batch that makes the whole folder durable once at the end).
    public static func write(_ data: Data, to path: String, durable: Bool = true) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let name = url.lastPathComponent
        removeStaleTemporaries(of: name, in: folder)
        var template = Array("\(folder)/.\(name).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard fd >= 0 else { throw failure(path, "cannot create a temporary file in \(folder)") }
        let tempPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var renamed = false
        defer {
            if !renamed { unlink(tempPath) }
        }
        do {
            defer { close(fd) }
            try data.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    guard let base = raw.baseAddress else { break }
                    let n = Foundation.write(fd, base + offset, raw.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw failure(path, "cannot write: \(String(cString: strerror(errno)))")
                    }
                    offset += n
                }
            }
            fchmod(fd, 0o644)
            if durable, fsync(fd) != 0 {
                throw failure(path, "cannot flush to disk: \(String(cString: strerror(errno)))")
            }
        }
        guard rename(tempPath, path) == 0 else {
            throw failure(path, "cannot replace the file: \(String(cString: strerror(errno)))")
        }
        renamed = true
        if durable { try syncFolder(folder) }
    }

    /// Removes `.NAME.tmp-XXXXXX` files that a killed earlier write left behind. Only files
    /// of this exact pattern and over a minute old are touched, so a write in progress in
    /// another process keeps its temporary file.
    static func removeStaleTemporaries(of name: String, in folder: String, now: Date = Date()) {
        let prefix = ".\(name).tmp-"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for entry in entries where entry.hasPrefix(prefix) && entry.utf8.count == prefix.utf8.count + 6 {
            let path = "\(folder)/\(entry)"
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  attributes[.type] as? FileAttributeType == .typeRegular,
                  let modified = attributes[.modificationDate] as? Date,
                  now.timeIntervalSince(modified) > 60 else { continue }
            unlink(path)
        }
    }

    /// Makes the entries of `folder` (renames into it) durable.
    public static func syncFolder(_ folder: String) throws {
        let dfd = open(folder, O_RDONLY)
        guard dfd >= 0 else { throw failure(folder, "cannot open the folder to flush it") }
        defer { close(dfd) }
        guard fsync(dfd) == 0 else { throw failure(folder, "cannot flush the folder to disk") }
    }

    private static func failure(_ path: String, _ message: String) -> CalendarError {
        CalendarError(.io(path: path, message: message))
    }
}
