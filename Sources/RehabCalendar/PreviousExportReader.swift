import Foundation

/// A public door to the reader `rehab export` uses to read back an earlier export, so
/// that tools outside the module (the fuzz targets in `Fuzz/`) can exercise it.
public enum PreviousExportReader {
    /// The largest earlier export read back: 8 MiB, as `rehab export` (a year of sessions
    /// is well under 1 MiB).
    public static let maxBytes = 8 << 20

    /// Parses `text` as an earlier rehab export for `patient` and returns how many events
    /// it holds; throws when it is not one (or is larger than `maxBytes`).
    public static func eventCount(text: String, patient: String) throws -> Int {
        guard text.utf8.count <= maxBytes else {
            throw CalendarError.notOurs("it is larger than \(maxBytes >> 20) MiB")
        }
        return try LibicalSession.run { try PreviousExport(text: text, patient: patient).events.count }
    }
}
