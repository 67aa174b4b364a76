import RehabKit

/// The warning signs as a patient reads them: each in plain words, with what to do, and
/// the sign's flag name only as a form value (never shown).
public enum SignWords {
    /// The sign in plain words.
    public static func words(_ flag: RedFlag) -> String {
        switch flag {
        case .saddleNumbness: "Numbness between your legs or around your bottom"
        case .bladderBowel: "New trouble controlling your bladder or bowel"
        case .worseningWeakness: "Leg weakness that is getting worse"
        case .chestPain: "Chest pain"
        case .breathlessness: "Sudden shortness of breath"
        case .fever: "Fever over 38.3 C (101 F), or chills"
        case .woundInfection: "More redness, swelling or fluid at the wound"
        case .calfSwelling: "A swollen, painful or warm calf"
        case .suddenLegPain: "Sudden new leg pain after a spell of relief"
        case .spreading: "Pain moving further down your leg"
        }
    }

    /// What to do, short, with the numbers to call.
    public static func todo(_ flag: RedFlag, contacts: Contacts) -> String {
        let emergency = contacts.emergencyNumber.map { "call \($0)" } ?? "call your local emergency number"
        let clinic = contacts.clinicPhone.map { " (\(contacts.clinicName ?? "your clinic"): \($0))" } ?? ""
        switch flag.urgency {
        case .emergency:
            return flag == .chestPain || flag == .breathlessness
                ? "Stop your exercises and \(emergency) now."
                : "Stop your exercises. Get emergency care now: \(emergency) or go to an emergency department."
        case .surgicalTeamToday:
            return "Stop your exercises and call your surgical team today\(clinic)."
        case .none:
            return "That exercise steps back. Tell your physical therapist if it keeps happening."
        }
    }

    /// One sign for a template.
    struct Sign {
        var id: String
        var words: String
        var todo: String
        var emergency: Bool
    }

    /// The halting signs, emergency ones first.
    static func halting(_ contacts: Contacts) -> [Sign] {
        RedFlag.allCases.filter(\.halts).map {
            Sign(id: $0.rawValue, words: words($0), todo: todo($0, contacts: contacts), emergency: $0.urgency == .emergency)
        }
    }
}
