import Foundation
import RehabKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads and appends to a patient's pain log on disk.
///
/// The log sits beside the patient file and is named after it (`p.yaml` -> `p.painlog`).
/// Appending locks the file for the whole read-check-append, writes one whole line with
/// a single `write`, and syncs it to disk before returning; a new log is created with
/// mode 0600 (only the owner may read it). A refused append leaves the file as it was.
public enum PainLogStore {
    /// Logs larger than this are refused (about 700,000 reports).
    public static let sizeLimit = 64 * 1024 * 1024

    /// The log path for a patient file: same folder, extension replaced by `.painlog`.
    public static func logURL(forPatientFile patientFile: URL) -> URL {
        patientFile.deletingPathExtension().appendingPathExtension("painlog")
    }

    /// Reads a log under a shared lock. A log that does not exist yet is empty. With
    /// `patient`, a log whose header names another patient is refused (`.mismatch`).
    public static func read(from url: URL, patient: String? = nil) throws(PainLogError) -> PainLog {
        let path = url.path
        let fd: Int32
        switch PrivateFile.openFile(path, O_RDONLY) {
        case .success(let opened): fd = opened.fd
        case .failure(.missing): return PainLog()
        case .failure(let refusal): throw refused(path, refusal)
        }
        defer { close(fd) }
        guard lockRetrying(fd, LOCK_SH) else { throw ioError(path, "cannot lock the pain log") }
        let log = try PainLog.parse(readAll(fd, path: path), file: path)
        if let patient, let owner = log.patient, owner != patient { throw mismatch(path, owner: owner, patient: patient) }
        return log
    }

    /// Appends `entry` for `patient`, writing the header first when the log is new.
    ///
    /// Under an exclusive lock it reads the whole log, checks that it is undamaged and
    /// belongs to `patient`, calls `check` with it (throw from `check` to refuse the
    /// entry), then writes header-if-new plus the entry as one line in one `write`, and
    /// `fsync`s. On any failure the file is left exactly as it was (a log this call
    /// created is removed again).
    ///
    /// `keepingDamage` is for a report of a warning sign, which must not be lost because an
    /// earlier line is damaged: then a damaged log (but not another patient's, or one too
    /// large) takes the entry after its last line, which is left as it was (a torn last line
    /// is ended first, so the new line stands on its own); `check` is not called, and the
    /// damage is returned so the caller can say the log still needs repair.
    @discardableResult
    public static func append(_ entry: LogEntry, to url: URL, patient: String, keepingDamage: Bool = false,
                              check: (PainLog) throws(PainLogError) -> Void = { _ throws(PainLogError) in })
        throws(PainLogError) -> PainLogError? {
        try append(contentsOf: [entry], to: url, patient: patient, keepingDamage: keepingDamage, check: check)
    }

    /// Appends `entries` in order, as `append(_:to:patient:keepingDamage:check:)` does one:
    /// one lock, one read and check, one `write` of all their lines, one `fsync` (all or none).
    @discardableResult
    public static func append(contentsOf entries: [LogEntry], to url: URL, patient: String, keepingDamage: Bool = false,
                              check: (PainLog) throws(PainLogError) -> Void = { _ throws(PainLogError) in })
        throws(PainLogError) -> PainLogError? {
        let path = url.path
        let (fd, created) = try openLocked(path)
        var succeeded = false
        defer {
            if !succeeded && created { unlink(path) }
            close(fd)
        }
        let bytes = try readAll(fd, path: path)
        var damage: PainLogError?
        var log: PainLog?
        do {
            log = try PainLog.parse(bytes, file: path)
        } catch where error.kind == .damaged && keepingDamage {
            damage = error
        }
        // The owner from the header, or from the header line alone when later lines are damaged.
        let owner = log.map(\.patient) ?? {
            let first = bytes.firstIndex(of: UInt8(ascii: "\n")).map { bytes[..<$0] } ?? bytes[...]
            return String(bytes: first, encoding: .utf8).flatMap { try? PainLogLine.decodeHeader(Substring($0)) }
        }()
        if let owner, owner != patient { throw mismatch(path, owner: owner, patient: patient) }
        if let log { try check(log) }
        var text = bytes.isEmpty ? PainLogLine.header(patient: patient) + "\n" : ""
        if damage != nil, bytes.last != UInt8(ascii: "\n") { text = "\n" }  // end a torn last line first
        for entry in entries { text += PainLogLine.encode(entry) + "\n" }
        let data = Array(text.utf8)
        guard bytes.count + data.count <= sizeLimit else { throw tooLarge(path) }
        // The errno of the write that failed: a short write (a full disk) is followed by
        // one more, which says why, so no stale errno is ever reported.
        if let code = PrivateFile.writeAll(fd, data) {
            _ = ftruncate(fd, off_t(bytes.count))  // never leave half a line behind
            throw ioError(path, "cannot write the pain log", errno: code)
        }
        guard fsync(fd) == 0 else {
            let code = errno
            _ = ftruncate(fd, off_t(bytes.count))
            throw ioError(path, "cannot save the pain log to disk", errno: code)
        }
        if created { syncDirectory(of: url) }
        succeeded = true
        return damage
    }

    // MARK: - Helpers

    /// Opens (creating with 0600) and locks exclusively, retrying when another writer
    /// removed or replaced the file while we waited for the lock.
    private static func openLocked(_ path: String) throws(PainLogError) -> (Int32, Bool) {
        for _ in 0..<10 {
            var created = true
            // O_EXCL never follows a link, even a dangling one: that is EEXIST, and the
            // open below refuses the link itself.
            var result = PrivateFile.openFile(path, O_RDWR | O_APPEND | O_CREAT | O_EXCL)
            if case .failure(.io(EEXIST)) = result {
                created = false
                result = PrivateFile.openFile(path, O_RDWR | O_APPEND)
                if case .failure(.missing) = result { continue }
            }
            let fd: Int32
            switch result {
            case .success(let opened): fd = opened.fd
            case .failure(let refusal): throw refused(path, refusal, writing: true)
            }
            guard lockRetrying(fd, LOCK_EX) else {
                let code = errno
                close(fd)
                if created { unlink(path) }
                throw ioError(path, "cannot lock the pain log", errno: code)
            }
            var mine = stat(), named = stat()
            if fstat(fd, &mine) == 0, lstat(path, &named) == 0, mine.st_ino == named.st_ino, mine.st_dev == named.st_dev {
                return (fd, created)
            }
            close(fd)  // the name now points elsewhere: try again with the new file
        }
        throw PainLogError(.io, file: path, message: "the pain log keeps changing under us; try again")
    }

    /// A log that is not a regular file of its own: said plainly, as an I/O problem for the
    /// system's refusals and as a problem with the file for a link, pipe or device.
    private static func refused(_ path: String, _ refusal: PrivateFile.Refusal, writing: Bool = false) -> PainLogError {
        let what = writing ? "cannot open the pain log for writing" : "cannot open the pain log"
        return PainLogError(refusal.isInvalidInput ? .notAFile : .io, file: path, message: "\(what): \(refusal.message)")
    }

    private static func mismatch(_ path: String, owner: String, patient: String) -> PainLogError {
        PainLogError(.mismatch, file: path, line: 1,
                     message: "this log belongs to patient \(owner), not \(patient); check the patient file's id and the log's name")
    }

    private static func lockRetrying(_ fd: Int32, _ operation: Int32) -> Bool {
        while flock(fd, operation) != 0 {
            if errno != EINTR { return false }
        }
        return true
    }

    private static func readAll(_ fd: Int32, path: String) throws(PainLogError) -> [UInt8] {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ioError(path, "cannot read the pain log") }
        guard Int(info.st_size) <= sizeLimit else { throw tooLarge(path, size: Int(info.st_size)) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(info.st_size))
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var offset: off_t = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ioError(path, "cannot read the pain log")
            }
            if n == 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
            offset += off_t(n)
            guard bytes.count <= sizeLimit else { throw tooLarge(path) }
        }
        return bytes
    }

    private static func syncDirectory(of url: URL) {
        let dir = open(url.deletingLastPathComponent().path, O_RDONLY | O_CLOEXEC)
        guard dir >= 0 else { return }
        _ = fsync(dir)
        close(dir)
    }

    /// `size`: the size the file system reports, when the refusal comes from it (before
    /// any byte is read).
    private static func tooLarge(_ path: String, size: Int? = nil) -> PainLogError {
        let what = size.map { "is \($0 / 1_048_576) MiB, larger than \(sizeLimit / 1_048_576) MiB" }
            ?? "is larger than \(sizeLimit / 1_048_576) MiB"
        return PainLogError(.tooLarge, file: path,
                            message: "the pain log \(what), more than any real history; it is probably not a pain log, or damaged. Move it aside and ask your clinic to look at it")
    }

    private static func ioError(_ path: String, _ what: String, errno code: Int32 = errno) -> PainLogError {
        PainLogError(.io, file: path, message: "\(what): \(String(cString: strerror(code)))")
    }
}
