import Foundation
import RehabKit

/// Everything the calendar export needs: the plan and what it was made from.
///
/// `previous` is the text of an earlier export at the same path, or nil. With it the
/// export keeps that file's UIDs, keeps events wholly before `plan.asOf` as they were,
/// raises SEQUENCE on changed events and cancels vanished future ones.
public struct CalendarRequest: Sendable {
    public var plan: Plan
    public var program: Program
    public var library: ExerciseLibrary
    public var patient: Patient
    /// The patient's zone, resolved by the caller (`TimeZone(identifier: patient.timezone)`).
    public var zone: TimeZone
    /// The text of an earlier export, or nil when there is none.
    public var previous: String?
    /// The patient file's name. Never shown to the patient (patient text names no files and
    /// no commands); kept so callers that pass it need not change.
    public var patientFile: String?
    /// The patient's check-in page (`rehab link`/`rehab serve`), or nil. When set, each
    /// session and morning check-in event carries it as its URL and in its DESCRIPTION;
    /// without it, events point to the paper pain diary.
    public var checkInURL: String?

    public init(plan: Plan, program: Program, library: ExerciseLibrary, patient: Patient, zone: TimeZone,
                previous: String? = nil, patientFile: String? = nil, checkInURL: String? = nil) {
        self.checkInURL = checkInURL
        self.plan = plan
        self.program = program
        self.library = library
        self.patient = patient
        self.zone = zone
        self.previous = previous
        self.patientFile = patientFile
    }
}

/// Why a calendar could not be written. Descriptions say what and how to fix, and never
/// quote a patient's free text.
public struct CalendarError: Error, CustomStringConvertible, Equatable {
    public enum Kind: Equatable, Sendable {
        /// The file at the output path is not a rehab export (or is another patient's).
        case notOurs(reason: String)
        /// The zone has no definition in libical's built-in zone table.
        case unknownZone(String)
        /// libical reported an error.
        case libical(String)
        /// Writing a file failed.
        case io(path: String, message: String)
    }

    public var kind: Kind

    public init(_ kind: Kind) { self.kind = kind }

    public static func notOurs(_ reason: String) -> CalendarError { CalendarError(.notOurs(reason: reason)) }
    public static func libical(_ message: String) -> CalendarError { CalendarError(.libical(message)) }

    public var description: String {
        switch kind {
        case .notOurs(let reason):
            return "the existing output file is not a rehab calendar export (\(reason)); it was left untouched: choose another --out path or move that file away"
        case .unknownZone(let name):
            return "time zone '\(name)' is unknown to libical; use an IANA name such as Europe/Berlin"
        case .libical(let message):
            return "libical: \(message)"
        case .io(let path, let message):
            return "\(path): \(message)"
        }
    }
}
