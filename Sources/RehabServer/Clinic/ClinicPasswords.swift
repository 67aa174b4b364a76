import Dispatch
import Foundation
import HummingbirdBcrypt

/// Passwords for the clinician file, through hummingbird-auth's `Bcrypt` (cost 12).
/// Bcrypt is slow by design (a quarter second or more a check), so every hash and check runs
/// on one serial queue of its own, off the server's event loops: sign-ins wait for each
/// other, never the patients' feeds and check-ins, and a burst of sign-ins takes at most
/// one core.
public enum ClinicPasswords {
    /// The work factor: 2^12 rounds.
    public static let cost: UInt8 = 12
    private static let queue = DispatchQueue(label: "rehab.clinic.bcrypt")

    /// A new salted hash of `password`, for the clinician file (called by `rehab clinician add`).
    public static func hash(_ password: String) -> String { Bcrypt.hash(password, cost: cost) }

    /// A hash to check unknown names against, so that an unknown name costs what a known
    /// one costs; made once, on the bcrypt queue, at the first use.
    nonisolated(unsafe) private static var decoy: String?

    /// Checks waiting or running on the queue; more than `maxWaiting` are refused at once,
    /// so a flood cannot keep real sign-ins waiting for minutes.
    static let maxWaiting = 16
    private static let waiting = Waiting()

    final class Waiting: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func enter(limit: Int) -> Bool { lock.withLock { count < limit ? { count += 1; return true }() : false } }
        func leave() { lock.withLock { count -= 1 } }
    }

    /// True when `password` matches `hash`; with a nil `hash` (an unknown name) a check
    /// against the decoy is made all the same and false returned. nil when too many checks
    /// are already waiting.
    static func verify(_ password: String, hash: String?) async -> Bool? {
        guard waiting.enter(limit: maxWaiting) else { return nil }
        defer { waiting.leave() }
        return await withCheckedContinuation { (done: CheckedContinuation<Bool, Never>) in
            queue.async {
                if let hash {
                    done.resume(returning: Bcrypt.verify(password, hash: hash))
                } else {
                    let decoy = Self.decoy ?? Bcrypt.hash("not a clinician", cost: cost)
                    Self.decoy = decoy
                    _ = Bcrypt.verify(password, hash: decoy)
                    done.resume(returning: false)
                }
            }
        }
    }
}
