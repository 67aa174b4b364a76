import RehabKit
import Yams

/// Reads the patient file's `clinic` and `emergency_number`: who the patient calls, shown
/// in the calendar, the check-in page and the handout.
///
/// ```yaml
/// clinic:
///   name: Riverside Spine Physio
///   phone: "+49 30 1234567"
/// emergency_number: "112"
/// ```
///
/// Both are printed into patient text, so both are one short line of printable text; a
/// phone or emergency number holds only what a dialler takes. Values are never quoted in a
/// diagnostic. Without `emergency_number`, a zone with no default (`EmergencyNumber`)
/// gives a warning: the patient would read "your local emergency number".
enum PatientContactReader {
    static let nameLimit = 80
    static let phoneLimit = 32

    /// `.some(nil)` when the key is absent, nil after a problem.
    static func clinic(_ node: Node?, _ c: inout Checker) -> Patient.Clinic?? {
        guard let node else { return .some(nil) }
        guard let f = c.fields(node, "'clinic'", required: ["name", "phone"]) else { return nil }
        var name: String?
        if let n = f["name"], let text = c.string(n, "the clinic's 'name'") {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.count > nameLimit || !isPrintableLine(trimmed) {
                c.error("clinic", "the clinic's 'name' must be one line of at most \(nameLimit) characters "
                        + "without control characters", at: n)
            } else {
                name = trimmed
            }
        }
        let phone = f["phone"].flatMap { number($0, "the clinic's 'phone'", limit: phoneLimit, example: "\"+49 30 1234567\"", &c) }
        guard let name, let phone else { return nil }
        return .some(Patient.Clinic(name: name, phone: phone))
    }

    /// `.some(nil)` when the key is absent, nil after a problem.
    static func emergencyNumber(_ node: Node?, _ c: inout Checker) -> String?? {
        guard let node else { return .some(nil) }
        guard let value = number(node, "'emergency_number'", limit: 8, example: "\"112\"", &c) else { return nil }
        guard value.allSatisfy(\.isNumber) && value.count >= 2 else {
            c.error("emergency-number", "'emergency_number' must be the digits to dial, 2 to 8 of them, "
                    + "e.g. \"112\" or \"911\" (write it in quotes)", at: node)
            return nil
        }
        return .some(value)
    }

    /// A warning when the patient would read "your local emergency number": no
    /// `emergency_number` and no default for the zone. Only for a file without errors (a
    /// warning among errors is noise; it shows once they are fixed).
    static func warnWithoutEmergencyNumber(_ patient: Patient, timezoneNode: Node?, _ c: inout Checker) {
        guard !c.hasErrors, EmergencyNumber.isUnknown(for: patient) else { return }
        c.warning("emergency-number", "no emergency number is known for time zone '\(Checker.clip(patient.timezone))' "
                  + "(only zones that tzdata gives to a single country have one), so patients read \""
                  + EmergencyNumber.unknown + "\"; add e.g. emergency_number: \"112\" with the number "
                  + "that reaches an ambulance where the patient lives", at: timezoneNode)
    }

    /// A number as written (trimmed): digits, spaces and `+ - ( ) . /`, at least 2 digits.
    /// A plain scalar such as `000` or `112` is read as written, never as a number.
    private static func number(_ node: Node, _ what: String, limit: Int, example: String,
                               _ c: inout Checker) -> String? {
        guard let text = c.string(node, what) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let allowed = trimmed.unicodeScalars.allSatisfy { s in
            ("0"..."9").contains(s) || " +-().,/".unicodeScalars.contains(s)
        }
        let digits = trimmed.filter(\.isASCII).filter(\.isNumber).count
        guard allowed, digits >= 2, trimmed.count <= limit else {
            c.error("phone", "\(what) must be a phone number: at most \(limit) characters of digits, spaces and "
                    + "+ - ( ) . /, e.g. \(example)", at: node)
            return nil
        }
        return trimmed
    }

    private static func isPrintableLine(_ text: String) -> Bool {
        !text.unicodeScalars.contains { s in s.value < 0x20 || s.value == 0x7F || (0x80..<0xA0).contains(s.value) }
            && !text.isEmpty
    }
}
