import Foundation

/// Small readers for iCalendar text in assertions.
enum ICS {
    /// Logical lines (unfolded).
    static func unfolded(_ ics: String) -> [String] {
        ics.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n").filter { !$0.isEmpty }
    }

    /// The VEVENT blocks, unfolded, keyed by UID.
    static func events(_ ics: String) -> [String: [String]] {
        var result: [String: [String]] = [:]
        var current: [String]?
        var depth = 0
        for line in unfolded(ics) {
            if line == "BEGIN:VEVENT" { current = []; depth = 0 }
            if line.hasPrefix("BEGIN:") { depth += 1 }
            current?.append(line)
            if line.hasPrefix("END:") { depth -= 1 }
            if line == "END:VEVENT", let c = current {
                let uid = c.first { $0.hasPrefix("UID:") }.map { String($0.dropFirst(4)) } ?? ""
                result[uid] = c
                current = nil
            }
        }
        return result
    }

    static func value(_ name: String, in event: [String]) -> String? {
        event.first { $0.hasPrefix(name + ":") || $0.hasPrefix(name + ";") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last.map(String.init) }
    }

    static func sequence(_ event: [String]?) -> Int? { event.flatMap { value("SEQUENCE", in: $0) }.flatMap { Int($0) } }
}
