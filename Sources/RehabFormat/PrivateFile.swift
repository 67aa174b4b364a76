import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one way rehab opens a file that holds a patient's data (patient file, pain log,
/// token, and a program file read for a patient): never through a symbolic link
/// (`O_NOFOLLOW`), never waiting on a pipe or device (`O_NONBLOCK`), and only when `fstat`
/// on the opened descriptor says it is a regular file. A refusal says what the path is,
/// never what it holds.
///
/// ```swift
/// switch PrivateFile.openFile("p.painlog", O_RDONLY) {
/// case .success(let file): defer { close(file.fd) } ...
/// case .failure(let refusal): print(refusal.message)
/// }
/// ```
public enum PrivateFile {
    /// An open regular file and what `fstat` said about it.
    public struct Opened {
        public var fd: Int32
        public var identity: Identity
    }

    /// What tells one version of a file from another: device, inode, size and modification time.
    public struct Identity: Hashable, Sendable {
        public var device: UInt64
        public var inode: UInt64
        public var size: Int64
        public var seconds: Int
        public var nanoseconds: Int

        /// The identity of the file itself, whatever its size and time (for telling two
        /// names of one file apart from two files).
        public init(device: UInt64, inode: UInt64) {
            self.device = device
            self.inode = inode
            size = 0
            seconds = 0
            nanoseconds = 0
        }

        init(_ s: stat) {
            device = UInt64(s.st_dev)
            inode = UInt64(s.st_ino)
            size = Int64(s.st_size)
            seconds = Int(s.st_mtim.tv_sec)
            nanoseconds = Int(s.st_mtim.tv_nsec)
        }

        /// Changed more than two seconds before `now`: a later change within the same
        /// timestamp tick is then impossible, so an equal identity means equal content.
        public func isSettled(now: Date = Date()) -> Bool { Double(seconds) + 2 < now.timeIntervalSince1970 }
    }

    /// Why a path was not opened.
    public enum Refusal: Error, Sendable, Equatable {
        case missing
        case link
        case folder
        /// A named pipe, socket or device: `what` names it.
        case notRegular(String)
        case denied
        case io(Int32)

        /// A plain sentence for a diagnostic (no content of the file, ever).
        public var message: String {
            switch self {
            case .missing: "no such file; check the path"
            case .link: "this is a symbolic link; rehab does not follow links for patient files: give the file itself"
            case .folder: "this is a folder, not a file"
            case .notRegular(let what): "this is \(what), not a regular file; rehab reads and writes only regular files"
            case .denied: "permission denied; check the file's permissions"
            case .io(let code): "cannot open the file: \(String(cString: strerror(code)))"
            }
        }

        /// True for a problem with the input (exit 65) rather than with the system (exit 74).
        public var isInvalidInput: Bool {
            switch self {
            case .link, .notRegular: true
            default: false
            }
        }
    }

    /// Opens `path` with `flags` plus `O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC` (and `mode` when
    /// `flags` creates), and keeps it only when it is a regular file.
    public static func openFile(_ path: String, _ flags: Int32, mode: mode_t = 0o600) -> Result<Opened, Refusal> {
        let fd = open(path, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, mode)
        if fd < 0 { return .failure(refusal(errno: errno, path: path)) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            return .failure(.io(code))
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .success(Opened(fd: fd, identity: Identity(info)))
        case S_IFDIR: close(fd); return .failure(.folder)
        default: close(fd); return .failure(.notRegular(kindName(info.st_mode)))
        }
    }

    /// The identity of the file at `path` itself (a link is not followed), or nil.
    public static func identity(_ path: String) -> Identity? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return Identity(info)
    }

    /// Why `readAll` stopped.
    public enum ReadFailure: Error, Sendable { case tooLarge, io(Int32) }

    /// Reads all of an open file from where it stands, at most `limit` bytes.
    public static func readAll(_ fd: Int32, limit: Int) -> Result<[UInt8], ReadFailure> {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(.io(errno))
            }
            if n == 0 { return .success(bytes) }
            bytes.append(contentsOf: buffer[0..<n])
            if bytes.count > limit { return .failure(.tooLarge) }
        }
    }

    /// Writes all of `bytes` to `fd`, going on after short writes; the errno of the write
    /// that failed (never a stale one), or nil when all was written.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            if n == 0 { return EIO }
            offset += n
        }
        return nil
    }

    static func refusal(errno code: Int32, path: String) -> Refusal {
        switch code {
        case ENOENT, ENOTDIR: return .missing
        case ELOOP:
            // O_NOFOLLOW says ELOOP for a link as the last part of the path.
            var info = stat()
            if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK { return .link }
            return .io(code)
        case EISDIR: return .folder
        case ENXIO, EWOULDBLOCK: return .notRegular("a named pipe, socket or device")
        case EACCES, EPERM: return .denied
        default: return .io(code)
        }
    }

    static func kindName(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: "a named pipe (FIFO)"
        case S_IFSOCK: "a socket"
        case S_IFCHR, S_IFBLK: "a device"
        default: "not a regular file"
        }
    }
}
