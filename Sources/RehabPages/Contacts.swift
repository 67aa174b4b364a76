import RehabKit

/// Who a patient calls: the clinic's name and phone and the emergency number, shown
/// wherever advice says to call (on pages as `tel:` links).
///
/// Made from the patient model with `init(patient:)`: the file's `clinic`, and the
/// emergency number `EmergencyNumber` gives (the file's `emergency_number`, else the
/// default for the patient's time zone). When no number is known, `emergencyNumber` is nil
/// and the pages say "your local emergency number".
public struct Contacts: Sendable, Equatable {
    public var clinicName: String?
    public var clinicPhone: String?
    public var emergencyNumber: String?

    public init(clinicName: String? = nil, clinicPhone: String? = nil, emergencyNumber: String? = nil) {
        self.clinicName = clinicName
        self.clinicPhone = clinicPhone
        self.emergencyNumber = emergencyNumber
    }

    /// The patient's clinic and emergency number (nil when `EmergencyNumber` knows none).
    public init(patient: Patient) {
        self.init(clinicName: patient.clinic?.name, clinicPhone: patient.clinic?.phone,
                  emergencyNumber: EmergencyNumber.isUnknown(for: patient) ? nil : EmergencyNumber.for(patient: patient))
    }

    /// A number as a `tel:` link takes it: a leading `+` and digits only; nil when the
    /// text has no digit or holds anything but digits, spaces, `+ - ( ) . ,` and `/`.
    public static func dial(_ number: String) -> String? {
        var out = ""
        for c in number {
            if c.isASCII, c.isNumber { out.append(c); continue }
            if c == "+" && out.isEmpty { out.append(c); continue }
            if " -().,\u{00A0}/".contains(c) { continue }
            return nil
        }
        return out.contains(where: \.isNumber) ? out : nil
    }

    /// The numbers as a template reads them (the `calls` partial).
    var view: CallsView {
        CallsView(emergencyNumber: emergencyNumber, emergencyDial: emergencyNumber.flatMap(Self.dial),
                  clinicName: clinicName ?? "Your clinic", clinicPhone: clinicPhone,
                  clinicPhoneDial: clinicPhone.flatMap(Self.dial))
    }
}

/// The `calls` partial's fields.
struct CallsView {
    var emergencyNumber: String?
    var emergencyDial: String?
    var clinicName: String
    var clinicPhone: String?
    var clinicPhoneDial: String?
}
