/// Flags a patient may attach to a report (`--flag`). All but `spreading` halt the plan.
public enum RedFlag: String, Sendable, Hashable, CaseIterable, Comparable {
    // Emergency care now.
    case saddleNumbness = "saddle-numbness"
    case bladderBowel = "bladder-bowel"
    case worseningWeakness = "worsening-weakness"
    case chestPain = "chest-pain"
    case breathlessness
    // Contact the surgical team today.
    case fever
    case woundInfection = "wound-infection"
    case calfSwelling = "calf-swelling"
    case suddenLegPain = "sudden-leg-pain"
    // Not halting: pain moving further down the leg; regresses that exercise.
    case spreading

    public enum Urgency: String, Sendable { case emergency, surgicalTeamToday = "surgical-team-today", none }

    public var urgency: Urgency {
        switch self {
        case .saddleNumbness, .bladderBowel, .worseningWeakness, .chestPain, .breathlessness: .emergency
        case .fever, .woundInfection, .calfSwelling, .suddenLegPain: .surgicalTeamToday
        case .spreading: .none
        }
    }

    public var halts: Bool { urgency != .none }

    /// Our own plain words (docs/clinical-basis.md, "Warning signs": reference
    /// `web-leg-nerve-pain-help` for the emergency signs and infection,
    /// `web-leg-pain-after-surgery` for sudden new leg pain, `post-op-protocol-stages` for
    /// calf swelling, chest pain and breathlessness).
    public var defaultAdvice: String {
        switch self {
        case .saddleNumbness, .bladderBowel, .worseningWeakness:
            "Stop all exercises. Numbness between the legs, new trouble controlling bladder or bowel, or leg weakness that is getting worse needs emergency care now: call your emergency number or go to an emergency department."
        case .chestPain, .breathlessness:
            "Stop all exercises. Chest pain or sudden breathlessness needs emergency care now: call your emergency number."
        case .fever, .woundInfection:
            "Stop all exercises. A fever over 38.3 C (101 F) with chills, or more redness or fluid at the wound, needs a prompt check: contact your surgical team today."
        case .calfSwelling:
            "Stop all exercises. A painful, swollen or warm calf needs checking: contact your surgical team today."
        case .suddenLegPain:
            "Stop all exercises. Sudden new leg pain after a spell of relief needs checking: contact your surgical team today."
        case .spreading:
            "Pain moving further down the leg: that exercise steps back. Tell your physical therapist if it keeps happening."
        }
    }

    public static func < (a: RedFlag, b: RedFlag) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
