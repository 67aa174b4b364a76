import Foundation
import RehabKit

/// The only place the CLI reads the time.
///
/// Testing hook: when the environment variable `REHAB_NOW` holds an ISO 8601 instant
/// with a zone (`2026-11-20T08:30:00Z` or `2026-11-20T09:30:00+01:00`), that instant is
/// "now". It exists so tests and demos give the same output on every machine and day.
enum Clock {
    static let environmentKey = "REHAB_NOW"

    /// The current instant (or `REHAB_NOW`'s).
    static func now(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Date {
        guard let text = environment[environmentKey] else { return Date() }
        guard let date = parse(text) else {
            throw CLIError(.usage, "error: \(environmentKey)=\(text.prefix(40)) is not an ISO 8601 instant; write it like 2026-11-20T08:30:00Z (it is a testing hook; unset it for normal use)")
        }
        return date
    }

    /// Today's date on the wall calendar of `zone`.
    static func today(in zone: TimeZone) throws -> LocalDate {
        LocalDateTime.at(try now(), in: zone).date
    }

    static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let d = formatter.date(from: text) { return d }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
