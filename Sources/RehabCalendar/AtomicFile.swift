import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Crash-safe file replacement: a reader sees the old file or the new one, never half.
/// The file is written with mode 0600 (only its owner may read it).
///
/// Writes a temporary file in the target's folder, fsyncs it, renames it over the
/// target and fsyncs the folder so the rename itself is durable.
///
/// A writer of many files in one folder (`rehab batch`) calls `removeStaleTemporaries(in:)`
/// once, writes each file with `durable: false, sweep: false` while a `FlushBehind` keeps
/// the disk busy, and ends with `syncFileSystem(of:)`: one listing and a few flushes
/// instead of one of each per file.
public enum AtomicFile {
    /// Replaces `path` with `data` atomically. Pass `durable: false` to skip the fsyncs
    /// and `sweep: false` to skip the folder listing that removes a killed write's
    /// leftovers (both for a caller that does these once for the whole folder). `mode` is
    /// the new file's permission, set whatever the umask: 0600 by default, since every file
    /// rehab writes holds a patient's plan (and, with --base-url, the link token).
    public static func write(_ data: some ContiguousBytes, to path: String, durable: Bool = true, sweep: Bool = true,
                             mode: mode_t = 0o600) throws {
        // Split by hand: URL(fileURLWithPath:) would stat the path and read the working folder.
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        if sweep { removeStaleTemporaries(in: folder, only: name) }
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
            fchmod(fd, mode)
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

    /// Removes `.NAME.tmp-XXXXXX` files that a killed earlier write left behind: of one
    /// target `only` when given, else of any. Only files of this exact pattern and over a
    /// minute old are touched, so a write in progress in another process keeps its
    /// temporary file.
    public static func removeStaleTemporaries(in folder: String, only name: String? = nil, now: Date = Date()) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for entry in entries where isTemporary(entry, of: name) {
            let path = "\(folder)/\(entry)"
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  attributes[.type] as? FileAttributeType == .typeRegular,
                  let modified = attributes[.modificationDate] as? Date,
                  now.timeIntervalSince(modified) > 60 else { continue }
            unlink(path)
        }
    }

    /// Whether `entry` has the shape of a temporary file of ours: `.NAME.tmp-` and the six
    /// characters mkstemp adds, for the given target name or (nil) any.
    static func isTemporary(_ entry: String, of name: String?) -> Bool {
        guard entry.hasPrefix("."), let range = entry.range(of: ".tmp-", options: .backwards),
              range.lowerBound > entry.startIndex,
              entry.utf8.count - entry.utf8.distance(from: entry.startIndex, to: range.upperBound) == 6 else { return false }
        let target = entry[entry.index(after: entry.startIndex)..<range.lowerBound]
        return name.map { target == $0 } ?? !target.isEmpty
    }

    /// Makes everything written under `folder` durable at once: the data of every file and
    /// every rename, with one `syncfs(2)` of its file system (where there is none, `sync(2)`).
    public static func syncFileSystem(of folder: String) throws {
        let dfd = open(folder, O_RDONLY)
        guard dfd >= 0 else { throw failure(folder, "cannot open the folder to flush it") }
        defer { close(dfd) }
        if let syncfs = syncfsFunction {
            guard syncfs(dfd) == 0 else { throw failure(folder, "cannot flush the folder's file system to disk") }
        } else {
            sync()
        }
    }

    /// Flushes a folder's file system every `interval` seconds on a thread of its own
    /// while a batch writes, so the disk works while the cores plan and the final
    /// `syncFileSystem(of:)` has little left to wait for. Errors here are ignored: the
    /// final flush reports them.
    public final class FlushBehind: @unchecked Sendable {
        private let folder: String
        private let interval: Double
        private let wake = DispatchSemaphore(value: 0)
        private let done = DispatchSemaphore(value: 0)
        private let lock = NSLock()
        private var stopping = false

        public init(folder: String, interval: Double = 1) {
            self.folder = folder
            self.interval = interval
            let thread = Thread { [self] in run() }
            thread.name = "rehab flush-behind"
            thread.start()
        }

        private func run() {
            while wake.wait(timeout: .now() + interval) == .timedOut, !isStopping {
                try? AtomicFile.syncFileSystem(of: folder)
            }
            done.signal()
        }

        private var isStopping: Bool { lock.withLock { stopping } }

        /// Stops the thread and waits for a flush under way to end.
        public func stop() {
            lock.withLock { stopping = true }
            wake.signal()
            done.wait()
        }
    }

    /// Glibc's `syncfs`, which Swift's Glibc module does not declare; looked up once.
    private static let syncfsFunction: (@convention(c) (Int32) -> Int32)? = {
        #if os(Linux)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "syncfs") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Int32).self)
        #else
        return nil
        #endif
    }()

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
