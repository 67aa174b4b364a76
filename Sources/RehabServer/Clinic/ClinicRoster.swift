import Foundation
import Logging
import RehabFormat

/// The clinician file as the server sees it now: read again whenever its identity (inode,
/// size, modification time) changes, so that a line added, changed or removed with
/// `rehab clinician add` (or an editor) takes effect without a restart. A session holds
/// the line it signed in with and ends when the line differs (`ClinicSessions`). Lines
/// with problems are left out and logged by number; a file that cannot be read signs
/// nobody in until it can.
final class ClinicRoster: @unchecked Sendable {
    let path: String
    private let logger: Logger
    private let lock = NSLock()
    private var identity: PrivateFile.Identity?
    private var hashes: [String: String] = [:]

    init(path: String, logger: Logger) {
        self.path = path
        self.logger = logger
    }

    /// The bcrypt hash on `name`'s line, or nil when there is no such line.
    func hash(for name: String) -> String? {
        lock.withLock {
            refresh()
            return hashes[name]
        }
    }

    /// Caller holds `lock`.
    private func refresh() {
        let now = PrivateFile.identity(path)
        if let now, now == identity, now.isSettled() { return }
        identity = now
        do {
            let file = try ClinicianFile.read(path: path)
            hashes = Dictionary((file?.entries ?? []).map { ($0.name, $0.hash) }, uniquingKeysWith: { first, _ in first })
            for problem in file?.problems ?? [] {
                logger.error("clinician file line left out", metadata: ["line": "\(problem.line)", "reason": "\(problem.message)"])
            }
        } catch {
            hashes = [:]
            logger.error("clinician file unreadable; nobody can sign in", metadata: ["reason": "\(error.message)"])
        }
    }
}
