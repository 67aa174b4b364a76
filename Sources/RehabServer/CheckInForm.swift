import Foundation
import RehabFormat
import RehabKit

/// The check-in form: reading a posted `application/x-www-form-urlencoded` body into a
/// `ReportDraft`, and the plain messages shown when it is refused.
///
/// Fields: `pain`, `when`, `exercise`, `note` (each at most once) and `flag` (repeatable).
/// Empty values count as left out. Unknown or repeated fields refuse the whole form.
enum CheckInForm {
    /// The largest body accepted, in bytes (a 2,000-character note fully percent-encoded fits).
    static let maxBodyBytes = 32 * 1024
    static let single: Set<String> = ["pain", "when", "exercise", "note"]

    /// Why a form was refused; `message` is shown to the patient and never quotes a value.
    struct Refusal: Error, Equatable { var message: String }

    static func draft(from body: String) throws(Refusal) -> ReportDraft {
        var draft = ReportDraft()
        var seen: Set<String> = []
        let pairs = body.isEmpty ? [] : body.split(separator: "&", omittingEmptySubsequences: false)
        guard pairs.count <= 40 else { throw Refusal(message: "The form has too many fields.") }
        for pair in pairs {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), let value = decode(parts.count > 1 ? parts[1] : "") else {
                throw Refusal(message: "The form could not be read (bad encoding).")
            }
            guard name == "flag" || single.contains(name) else {
                throw Refusal(message: "The form has a field this page does not know; reload the page and try again.")
            }
            guard name == "flag" || seen.insert(name).inserted else {
                throw Refusal(message: "The form has the field \"\(name)\" more than once; reload the page and try again.")
            }
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            switch name {
            case "pain": draft.pain = trimmed
            case "when": draft.when = trimmed
            case "exercise": draft.exercise = trimmed
            case "note": draft.note = value
            default: draft.flags.append(trimmed)
            }
        }
        return draft
    }

    /// Percent-decoding with `+` as a space; nil on a broken escape or invalid UTF-8.
    static func decode(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let b = iterator.next() {
            switch b {
            case UInt8(ascii: "+"): bytes.append(0x20)
            case UInt8(ascii: "%"):
                guard let h = iterator.next(), let l = iterator.next(), let hi = hex(h), let lo = hex(l) else { return nil }
                bytes.append(hi << 4 | lo)
            default: bytes.append(b)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: b - 0x30
        case 0x41...0x46: b - 0x41 + 10
        case 0x61...0x66: b - 0x61 + 10
        default: nil
        }
    }

    /// A fixed message per field, so no submitted value is echoed.
    static func message(for problem: ReportDraft.Problem) -> String {
        switch problem.field {
        case "pain": "Pain: choose a whole number from 0 (no pain) to 10 (worst)."
        case "when": "When: choose during, after or next morning."
        case "exercise": "Exercise: choose one from the list, or leave it empty for all of today's."
        case "flag": "Warning signs: one of them is not on this page; reload the page and try again."
        case "note": "Note: keep it under \(ReportDraft.maxNoteLength) characters."
        default: "The time of the report is not valid."
        }
    }
}
