import Yams

/// Who a patient calls: the clinic's name and phone and the emergency number, shown
/// wherever advice says to call (on pages as `tel:` links).
///
/// Read defensively from the patient file's optional `clinic: {name, phone}` and
/// `emergency_number` keys with `read(patientText:)`, so the pages work whether or not the
/// patient model carries these keys yet; anything missing or malformed is left out.
public struct Contacts: Sendable, Equatable {
    public var clinicName: String?
    public var clinicPhone: String?
    public var emergencyNumber: String?

    public init(clinicName: String? = nil, clinicPhone: String? = nil, emergencyNumber: String? = nil) {
        self.clinicName = clinicName
        self.clinicPhone = clinicPhone
        self.emergencyNumber = emergencyNumber
    }

    /// The keys from a patient file's text; nothing when the text is not a YAML mapping.
    public static func read(patientText: String) -> Contacts {
        guard let node = try? Yams.compose(yaml: patientText), let root = node.mapping else { return Contacts() }
        var contacts = Contacts()
        if let clinic = root["clinic"]?.mapping {
            contacts.clinicName = clean(clinic["name"]?.string, limit: 80)
            contacts.clinicPhone = clean(clinic["phone"]?.string, limit: 40).flatMap { dial($0) == nil ? nil : $0 }
        }
        contacts.emergencyNumber = clean(root["emergency_number"]?.string, limit: 20).flatMap { dial($0) == nil ? nil : $0 }
        return contacts
    }

    /// A number as a `tel:` link takes it: a leading `+` and digits only; nil when the
    /// text has no digit or holds anything but digits, spaces, `+ - ( ) .` and `/`.
    public static func dial(_ number: String) -> String? {
        var out = ""
        for c in number {
            if c.isASCII, c.isNumber { out.append(c); continue }
            if c == "+" && out.isEmpty { out.append(c); continue }
            if " -().\u{00A0}/".contains(c) { continue }
            return nil
        }
        return out.contains(where: \.isNumber) ? out : nil
    }

    private static func clean(_ text: String?, limit: Int) -> String? {
        guard let text else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= limit, !trimmed.contains(where: { $0.isNewline }) else { return nil }
        return trimmed
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
