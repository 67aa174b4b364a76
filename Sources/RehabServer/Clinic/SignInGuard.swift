import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Failed sign-ins, counted per (name, client address) and per name. Five failures of one
/// pair within `window` lock that pair for `lockFor`; failures of a name from anywhere only
/// slow its next tries (`delayStep` seconds a failure, 5 s at most), so nobody can lock a
/// clinician out from another address. Kept in memory; a restart forgets it.
///
/// An attempt is counted from its start (`begin`) to its end (`finish`): attempts still
/// being checked count against the pair's five, so many sent at once cannot all pass the
/// lock check before the first failures are recorded. An IPv6 address counts by its /64
/// (one host usually holds a whole /64). One address may start at most
/// `maxAttemptsPerAddress` sign-ins a minute, whatever the names, so a flood of made-up
/// names cannot fill the bcrypt queue for everyone.
final class SignInGuard: @unchecked Sendable {
    static let maxFailures = 5
    static let maxDelay: TimeInterval = 5
    static let maxAttemptsPerAddress = 20

    let window: TimeInterval
    let lockFor: TimeInterval
    let delayStep: TimeInterval
    private let lock = NSLock()
    private var pairs: [String: [Date]] = [:]
    private var lockedUntil: [String: Date] = [:]
    private var names: [String: [Date]] = [:]
    private var inFlight: [String: Int] = [:]
    private var attempts: [String: [Date]] = [:]

    init(window: TimeInterval, lockFor: TimeInterval, delayStep: TimeInterval) {
        self.window = window
        self.lockFor = lockFor
        self.delayStep = delayStep
    }

    private static func key(_ name: String, _ address: String) -> String { "\(name)\u{0}\(network(address))" }

    /// The address an attempt is counted by: an IPv4 address as it is, an IPv6 address by
    /// its first 64 bits.
    static func network(_ address: String) -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        guard address.contains(":"), inet_pton(AF_INET6, address, &bytes) == 1 else { return address }
        return bytes.prefix(8).map { String($0, radix: 16) }.joined(separator: ".") + "/64"
    }

    /// Why an attempt may not start.
    enum Refusal: Equatable { case locked, tooManyFromHere }

    /// Starts an attempt: refused while the pair is locked, while its recent failures and
    /// the attempts still being checked already reach a lock, or when the address started
    /// too many sign-ins in the last minute. Every started attempt must be finished.
    func begin(name: String, address: String, now: Date) -> Refusal? {
        lock.withLock {
            prune(now)
            let key = Self.key(name, address), net = Self.network(address)
            if let until = lockedUntil[key], now < until { return .locked }
            let recent = (attempts[net] ?? []).filter { now.timeIntervalSince($0) < 60 }
            guard recent.count < Self.maxAttemptsPerAddress else { return .tooManyFromHere }
            let failures = (pairs[key] ?? []).filter { now.timeIntervalSince($0) < window }.count
            guard failures + inFlight[key, default: 0] < Self.maxFailures else { return .locked }
            attempts[net] = recent + [now]
            inFlight[key, default: 0] += 1
            return nil
        }
    }

    /// Ends an attempt `begin` started; true when its failure locked the pair.
    @discardableResult
    func finish(name: String, address: String, succeeded: Bool, now: Date) -> Bool {
        lock.withLock {
            let key = Self.key(name, address)
            inFlight[key] = (inFlight[key] ?? 1) > 1 ? inFlight[key]! - 1 : nil
        }
        if succeeded {
            self.succeeded(name: name, address: address)
            return false
        }
        return failed(name: name, address: address, now: now)
    }

    /// When the pair's lock ends, if it is locked at `now`.
    func locked(name: String, address: String, now: Date) -> Date? {
        lock.withLock {
            guard let until = lockedUntil[Self.key(name, address)], now < until else { return nil }
            return until
        }
    }

    /// Seconds to wait before checking `name`'s password.
    func delay(name: String, now: Date) -> TimeInterval {
        lock.withLock {
            let recent = (names[name] ?? []).filter { now.timeIntervalSince($0) < window }.count
            return min(Self.maxDelay, Double(recent) * delayStep)
        }
    }

    /// Counts a failure; true when it locked the pair.
    @discardableResult
    func failed(name: String, address: String, now: Date) -> Bool {
        lock.withLock {
            prune(now)
            let key = Self.key(name, address)
            var times = (pairs[key] ?? []).filter { now.timeIntervalSince($0) < window }
            times.append(now)
            names[name] = ((names[name] ?? []).filter { now.timeIntervalSince($0) < window } + [now]).suffix(64)
            if times.count >= Self.maxFailures {
                pairs[key] = nil
                lockedUntil[key] = now.addingTimeInterval(lockFor)
                return true
            }
            pairs[key] = times
            return false
        }
    }

    /// A good sign-in clears the pair's failures.
    func succeeded(name: String, address: String) {
        lock.withLock { pairs[Self.key(name, address)] = nil }
    }

    /// Keeps memory bounded under a flood of made-up names. Caller holds `lock`.
    private func prune(_ now: Date) {
        guard pairs.count + names.count + lockedUntil.count + attempts.count > 20_000 else { return }
        pairs = pairs.filter { $0.value.contains { now.timeIntervalSince($0) < window } }
        names = names.filter { $0.value.contains { now.timeIntervalSince($0) < window } }
        lockedUntil = lockedUntil.filter { now < $0.value }
        attempts = attempts.filter { $0.value.contains { now.timeIntervalSince($0) < 60 } }
    }
}
