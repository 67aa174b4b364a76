import Foundation
import RehabFormat
import RehabKit

/// What the webhook receives for one alert, and the alert's stable id. Pure: no files,
/// no clock.
///
/// The body is `{"id","kind","patient","since","text","clinic_url"}`. `text` names the
/// alert's kind in plain words and nothing else (chat services show it as the message),
/// never a warning sign, a score or a note: it is made from the kind alone, never from
/// `Alert.text`.
public struct AlertMessage: Sendable, Equatable {
    /// The kinds that reach the clinic team at once.
    public static let kinds: Set<Alert.Kind> = [.halted, .escalated, .awaitingApproval]

    public var id: String
    public var kind: Alert.Kind
    public var patient: String
    public var since: LocalDate
    public var clinicURL: String

    /// The message for `alert` of `patient`, or nil for a kind that is not sent.
    public init?(patient: String, alert: Alert, baseURL: String) {
        guard Self.kinds.contains(alert.kind) else { return nil }
        id = Self.id(patient: patient, alert: alert)
        kind = alert.kind
        self.patient = patient
        since = alert.since
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        let escaped = patient.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? patient
        clinicURL = "\(base)/clinic/patients/\(escaped)"
    }

    /// The alert's identity (patient, kind, gated exercise, since) written out:
    /// `p-0001:halted:2026-12-01`, `p-0001:awaiting-approval:nerve-glide:2026-12-01`.
    /// The same alert gives the same id on every scan and after a restart; a new halt
    /// (after a clearance) or a new gate has a new `since` or exercise, so a new id.
    public static func id(patient: String, alert: Alert) -> String {
        ([patient, alert.kind.rawValue] + (alert.exercise.map { [$0] } ?? []) + [alert.since.description]).joined(separator: ":")
    }

    /// The kind in plain words.
    public static func text(_ kind: Alert.Kind) -> String {
        switch kind {
        case .halted: "Plan halted by a warning sign: a clinician must clear it."
        case .escalated: "Flare lasting over a week: the patient should hear from the clinic."
        case .awaitingApproval: "A step is waiting for a clinician's approval."
        default: "A new alert."
        }
    }

    /// The JSON body, keys in the documented order.
    public var body: Data {
        let json = OrderedJSON.object([
            ("id", .string(id)),
            ("kind", .string(kind.rawValue)),
            ("patient", .string(patient)),
            ("since", .string(since.description)),
            ("text", .string(Self.text(kind))),
            ("clinic_url", .string(clinicURL)),
        ])
        return Data(json.rendered(pretty: false).utf8)
    }
}
