import Foundation

/// A zone's UTC offsets from 1970 to 2070 as the list of instants where they change,
/// built once per zone and shared: the planner, the plan JSON and the calendar resolve
/// hundreds of wall times per patient, and each `TimeZone.secondsFromGMT(for:)` is a
/// locked ICU call, while a zone's offset changes a few times a year at most.
///
/// Built from Foundation's own transitions and checked against Foundation at each one;
/// instants outside the range, and zones whose check fails, are asked of Foundation
/// directly. So an answer from the table is the answer `secondsFromGMT(for:)` gives.
///
/// ```swift
/// let offsets = ZoneOffsets.shared(for: zone)   // once, then no lock and no ICU call
/// let instant = wall.resolved(in: offsets)
/// ```
public final class ZoneOffsets: Sendable {
    public let zone: TimeZone
    /// Seconds since 1970 of the covered range's first instant, and of the first after it.
    private let start: Double
    private let end: Double
    /// Instants (seconds since 1970) where the offset changes, ascending.
    private let transitions: [Double]
    /// `offsets[i]` is in force before `transitions[i]` and from `transitions[i - 1]` on;
    /// empty when the table could not be trusted (everything then goes to Foundation).
    private let offsets: [Int]

    /// The covered years.
    static let years = (from: 1970, to: 2070)

    init(zone: TimeZone) {
        self.zone = zone
        let start = Self.seconds(year: Self.years.from)
        let end = Self.seconds(year: Self.years.to)
        self.start = start
        self.end = end
        var transitions: [Double] = []
        var offsets = [zone.secondsFromGMT(for: Date(timeIntervalSince1970: start))]
        var trusted = true
        var t = Date(timeIntervalSince1970: start)
        while let next = zone.nextDaylightSavingTimeTransition(after: t), next.timeIntervalSince1970 < end, next > t {
            let offset = zone.secondsFromGMT(for: next)
            // Just before a transition the offset must still be the one before it; if not,
            // Foundation changed the offset somewhere it did not name.
            if zone.secondsFromGMT(for: next.addingTimeInterval(-1)) != offsets[offsets.count - 1] {
                trusted = false
                break
            }
            if offset != offsets[offsets.count - 1] {
                transitions.append(next.timeIntervalSince1970)
                offsets.append(offset)
            }
            t = next
        }
        if trusted, zone.secondsFromGMT(for: Date(timeIntervalSince1970: end - 1)) != offsets[offsets.count - 1] {
            trusted = false
        }
        self.transitions = trusted ? transitions : []
        self.offsets = trusted ? offsets : []
    }

    /// Whether the table answers by itself (false: it found Foundation changing an offset
    /// where no transition was named, and passes every question on).
    var isComplete: Bool { !offsets.isEmpty }

    /// Seconds east of UTC at `instant`; the same as `zone.secondsFromGMT(for:)`.
    public func offset(at instant: Date) -> Int {
        offset(atSeconds: instant.timeIntervalSince1970)
    }

    func offset(atSeconds seconds: Double) -> Int {
        guard !offsets.isEmpty, seconds >= start, seconds < end else {
            return zone.secondsFromGMT(for: Date(timeIntervalSince1970: seconds))
        }
        // The number of transitions at or before `seconds`.
        var low = 0
        var high = transitions.count
        while low < high {
            let middle = (low + high) / 2
            if transitions[middle] <= seconds { low = middle + 1 } else { high = middle }
        }
        return offsets[low]
    }

    /// The table for `zone`, built on first use and kept for the life of the process.
    public static func shared(for zone: TimeZone) -> ZoneOffsets {
        let id = zone.identifier
        if let table = registry.withLock({ $0[id] }) { return table }
        let table = ZoneOffsets(zone: zone)
        return registry.withLock { tables in
            if let existing = tables[id] { return existing }
            tables[id] = table
            return table
        }
    }

    private static func seconds(year: Int) -> Double {
        Double((LocalDate(year: year, month: 1, day: 1) ?? LocalDate(daysSinceEpoch: 0)).daysSinceEpoch) * 86_400
    }

    private static let registry = Registry()

    /// Tables by zone identifier behind a lock (an NSLock: Synchronization's Mutex needs
    /// macOS 15, and the package builds for 13).
    private final class Registry: @unchecked Sendable {
        private let lock = NSLock()
        private var tables: [String: ZoneOffsets] = [:]

        func withLock<T>(_ body: (inout [String: ZoneOffsets]) -> T) -> T {
            lock.lock()
            defer { lock.unlock() }
            return body(&tables)
        }
    }
}
