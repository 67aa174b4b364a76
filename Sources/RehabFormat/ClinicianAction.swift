import Foundation
import RehabKit

/// A clinician's approval or clearance, checked and appended to a patient's pain log: the
/// one implementation behind `rehab approve`, `rehab resume` and the clinic pages' forms.
/// It touches only the pain log (through `PainLogStore`); callers say the outcome in their
/// own words (`Failure.message` is the command's wording).
public enum ClinicianAction {
    /// What an approval opens: the next gated dose of an exercise, or a gated stage.
    public enum Request: Sendable, Equatable {
        case exercise(String)
        case stage(String)
    }

    /// Why nothing was written.
    public enum Failure: Error, Sendable {
        case unknownStage(id: String, program: String, stages: [String])
        case stageWithoutGate(String)
        case unknownExercise(String)
        /// No gated dose lies above the exercise's current one on that date.
        case nothingToApprove(patient: String, exercise: String, date: LocalDate)
        /// The log could not be read or written, or refused the entry (it changed meanwhile,
        /// or, for a clearance, the plan is not stopped).
        case log(PainLogError)

        /// True when the request itself was wrong (exit 65), not the log or the disk.
        public var isInvalidRequest: Bool {
            if case .log = self { return false }
            return true
        }

        /// A sentence for a clinician (the commands print it after their own prefix).
        public var message: String {
            switch self {
            case .unknownStage(let id, let program, let stages):
                "program \(program) has no stage '\(id.prefix(64))'; its stages are \(stages.joined(separator: ", "))"
            case .stageWithoutGate(let id): "stage \(id) needs no approval (it has no gate)"
            case .unknownExercise(let id): "unknown exercise '\(id.prefix(64))'; see `rehab exercises`"
            case .nothingToApprove(let patient, let exercise, let date):
                "\(patient)'s \(exercise) has no dose needing approval above its current one on \(date) (not in the current stage, or no gated step above)"
            case .log(let error): error.message
            }
        }
    }

    /// The patient as an action needs them.
    public struct Subject: Sendable {
        public var patient: Patient
        public var program: Program
        public var library: ExerciseLibrary
        public var zone: TimeZone
        public var logURL: URL

        public init(patient: Patient, program: Program, library: ExerciseLibrary, zone: TimeZone, logURL: URL) {
            self.patient = patient
            self.program = program
            self.library = library
            self.zone = zone
            self.logURL = logURL
        }
    }

    /// Appends `name`'s approval at `at`. For an exercise it opens the next gated rung above
    /// the current dose (worked out from the log as read, and checked again against the log
    /// as it stands when appended, since another writer may come between); for a stage,
    /// that stage's gate. Returns the entry written.
    @discardableResult
    public static func approve(_ request: Request, by name: String, at: LocalDateTime,
                               for subject: Subject) throws(Failure) -> Approval {
        let target: Approval.Target
        switch request {
        case .stage(let stage):
            guard let s = subject.program.stage(id: stage) else {
                throw .unknownStage(id: stage, program: subject.program.id, stages: subject.program.stages.map(\.id))
            }
            guard s.approval else { throw .stageWithoutGate(s.id) }
            target = .stage(s.id)
        case .exercise(let id):
            guard subject.library[id] != nil else { throw .unknownExercise(id) }
            target = .exercise(subject.library.familyID(of: id) ?? id)
        }
        func rung(_ log: PainLog) -> Dose? {
            guard case .exercise(let id) = target else { return nil }
            let plan = PlanRequest(program: subject.program, library: subject.library, patient: subject.patient,
                                   zone: subject.zone, log: log.entries, asOf: at.date, days: 1)
            return Planner.approvalTarget(plan, exercise: id)
        }
        let patientID = subject.patient.id
        let opened: Dose?
        do { opened = rung(try PainLogStore.read(from: subject.logURL, patient: patientID)) } catch { throw .log(error) }
        if case .exercise(let id) = target, opened == nil {
            throw .nothingToApprove(patient: patientID, exercise: id, date: at.date)
        }
        let approval = Approval(at: at, by: name, target: target, rung: opened)
        let path = subject.logURL.path
        do {
            try PainLogStore.append(.approval(approval), to: subject.logURL, patient: patientID) { (log: PainLog) throws(PainLogError) in
                guard rung(log) == opened else {
                    throw PainLogError(.refused, file: path, message: "\(patientID)'s log changed while approving; run the command again")
                }
            }
        } catch { throw .log(error) }
        return approval
    }

    /// Appends `name`'s clearance at `at`; refused when the plan is not stopped by a warning
    /// sign at that time.
    public static func resume(by name: String, at: LocalDateTime, for subject: Subject) throws(Failure) {
        let patientID = subject.patient.id
        let path = subject.logURL.path
        do {
            try PainLogStore.append(.resume(Resume(at: at, clearedBy: name)), to: subject.logURL, patient: patientID) { (log: PainLog) throws(PainLogError) in
                guard log.isHalted(at: at) else {
                    throw PainLogError(.refused, file: path,
                                       message: "\(patientID)'s plan is not stopped by a warning sign at \(at), so there is nothing to resume (see `rehab history`)")
                }
            }
        } catch { throw .log(error) }
    }
}
