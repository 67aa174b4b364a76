import Foundation

/// Failed sign-ins, counted per (name, client address) and per name. Five failures of one
/// pair within `window` lock that pair for `lockFor`; failures of a name from anywhere only
/// slow its next tries (`delayStep` seconds a failure, 5 s at most), so nobody can lock a
/// clinician out from another address. Kept in memory; a restart forgets it.
final class SignInGuard: @unchecked Sendable {
    static let maxFailures = 5
    static let maxDelay: TimeInterval = 5

    let window: TimeInterval
    let lockFor: TimeInterval
    let delayStep: TimeInterval
    private let lock = NSLock()
    private var pairs: [String: [Date]] = [:]
    private var lockedUntil: [String: Date] = [:]
    private var names: [String: [Date]] = [:]

    init(window: TimeInterval, lockFor: TimeInterval, delayStep: TimeInterval) {
        self.window = window
        self.lockFor = lockFor
        self.delayStep = delayStep
    }

    private static func key(_ name: String, _ address: String) -> String { "\(name)\u{0}\(address)" }

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
        guard pairs.count + names.count + lockedUntil.count > 20_000 else { return }
        pairs = pairs.filter { $0.value.contains { now.timeIntervalSince($0) < window } }
        names = names.filter { $0.value.contains { now.timeIntervalSince($0) < window } }
        lockedUntil = lockedUntil.filter { now < $0.value }
    }
}
