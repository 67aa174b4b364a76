import Foundation

/// Everything the planner needs, resolved by the caller: the program and library, the
/// patient, the patient's time zone (RehabKit never looks one up), every pain-log entry
/// in the order written, the as-of date and how many days to plan from it.
public struct PlanRequest: Sendable {
    public var program: Program
    public var library: ExerciseLibrary
    public var patient: Patient
    public var zone: TimeZone
    public var log: [LogEntry]
    public var asOf: LocalDate
    public var days: Int

    public init(program: Program, library: ExerciseLibrary, patient: Patient, zone: TimeZone,
                log: [LogEntry], asOf: LocalDate, days: Int) {
        self.program = program
        self.library = library
        self.patient = patient
        self.zone = zone
        self.log = log
        self.asOf = asOf
        self.days = days
    }
}

/// The pain-adaptive planner: a pure, deterministic function from a `PlanRequest` to a
/// `Plan` (the pain rules: README, "How doses move"). Every number comes from the program's `PainRules` and
/// each stage's `ExitCriterion`.
///
/// **Replay.** The log is replayed day by day from the patient's `start_date` to `as_of`.
/// Day D's evidence is judged once the next morning's report can exist, so every
/// evidence decision about day D is dated **D + 1, the day it takes effect**, and changes
/// sessions from D + 1 on. Only log entries dated up to `as_of` are read. Halts and
/// clearances are dated by their own report and act from their own instant. Days after
/// `as_of` show `as_of`'s stage and doses: nothing is scheduled that has not been earned.
///
/// **Halts and evidence.** A report is logged while halted when, in log order (by time,
/// ties in the order written), it comes at or after a halting report and before the
/// clearance; such reports are kept but are not evidence. A report written before the
/// halting report in the same minute is evidence.
///
/// **Which day counts.** A report counts for `PainReport.day`; one naming an exercise or
/// variant counts for its family (`ExerciseLibrary.familyID`), one naming none counts for
/// every exercise scheduled that day. A day is a *scheduled day* for an exercise when a
/// session that day (not halted) holds it; a day is a scheduled day of the plan when any
/// exercise is scheduled, and *green* for the plan when every exercise scheduled that day
/// is green evidence. A *red day* (flare, exit criterion) is a day with any red report.
///
/// **Rule ids** (`Decision.rule`, pain rules version 2; docs/json.md lists them):
/// - `green-days` (progress): the exercise's last `daysAtDose` scheduled days were green
///   evidence, all since its last change (good news for an `ownReport` prescription only
///   from reports naming it). `quota` (progress): `everyDays` session days since the last
///   change without amber or red. One step up a day in the whole plan: the due exercise
///   whose last change is oldest (ties: program order); the others hold `one-at-a-time`
///   and stay due until amber, red or spreading on any report. None on a day with a
///   regression, a flare's start or end, a stage entry, a halt or a clearance.
/// - `awaiting-approval` (hold, once per gate): the next rung (or stage) needs approval.
///   `approved` (approve): a clinician's approval; it opens the next gated rung.
/// - `at-cap`, `wait-days`, `amber-day`, `missing-reports` (hold); `red-day`, `spreading`
///   (regress), `at-floor` (hold); `tailored-cap` (regress: the patient's lower cap).
/// - `flare`, `flare-over`, `escalate`, `stage-gate` (also a carried dose moved to the
///   nearest lower rung), `exit-criterion`, `red-flag`, `cleared`: as in version 1.
/// - Waiting restarts for every exercise on a regression, a flare's start or end, a stage
///   entry, a clearance and a halt; for its own exercise on a step up and an approval.
/// - Zones are relative to the usual pain (`UsualPain`), per prescription (`ZoneLimits`).
/// - As-of's own reports are judged once more with only the lowering rules; what they
///   earn is dated `asOf + 1` and shows in the sessions from then on.
///
/// **Choices the rules leave open.**
/// - Holds are recorded only when they say something, and a hold repeating the previous
///   decision's rule for the same exercise (an amber or unreported streak) is recorded once.
///   A first green day, still waiting for the second, records nothing.
/// - No progress and no stage advance while a flare lasts. A flare, its end (for paused
///   exercises), a clearance and entering a stage (for new exercises) restart the waiting
///   just like a dose change does.
/// - Regress comes first, then the flare; a red day in a flare still regresses.
/// - The flare window counts every red day in it, also those from before the last flare
///   ended. A new flare after one has ended needs at least one red day judged after that
///   end: the red days of the last flare were answered by the green streak that ended it,
///   so they cannot restart it on their own (no flare, flare-over, flare loop without new
///   pain), but one new red day with an older one in the window is a new flare.
/// - The exit criterion counts only scheduled days of the current stage (never met without
///   reports, also when a program sets `greenDays` to 0), and its red check covers every
///   calendar day from the `noRedDays`-th last scheduled day (at least `noRedDays` days).
/// - Every day's evidence is judged, also that of a day whose next day begins halted:
///   reports logged before the halt are evidence, so its red day counts for the flare
///   window and the exit criterion, and it is one of the exercise's scheduled days when
///   a session came before the halt. While the plan is halted at the start of the day a
///   decision would take effect, only the rules that lower or pause act (`red-day` /
///   `spreading` regress, `at-floor`, `flare`), dated that day as usual; the clearance then
///   applies the lower of current and the stage's start on top, so a step back is never
///   lost. Progress, other holds, `flare-over`, `escalate` and `stage-gate` wait for the
///   first day that begins unhalted (a clearance restarts the waiting anyway).
/// - A clearance takes effect at once, so its lowered doses show for the whole day of the
///   clearance.
/// - A further halting report while halted adds its flags to the open halt.
public enum Planner {
    /// Advice added to `Plan.advice` when a flare lasts too long; `redFrom` is the first
    /// score of the red zone (`PainRules.amberMax + 1`).
    public static func escalateAdvice(afterDays days: Int, redFrom: Int) -> String {
        "Your pain has flared for more than \(days) days. Contact your clinical team (your physical therapist or surgical team) for a check. Keep to the reduced doses until then, and stop any exercise that brings your pain to \(redFrom) or more."
    }

    /// The plan for `request.asOf`: stage, doses, sessions of `[asOf, asOf + days)` and
    /// every decision up to `asOf`.
    public static func plan(_ request: PlanRequest) -> Plan {
        var replay = PlannerReplay(request: request)
        replay.run()
        return replay.plan()
    }
}

extension Planner {
    /// The rung an approval of `exercise` (or one of its variants) would open at the end of
    /// `request.asOf`: the next gated rung above its current dose in the stage in force,
    /// or nil when the stage has no such prescription or no gated rung lies above.
    public static func approvalTarget(_ request: PlanRequest, exercise: String) -> Dose? {
        var replay = PlannerReplay(request: request)
        replay.run()
        guard let i = replay.prescriptionIndex(of: exercise), let gate = replay.nextGate(i) else { return nil }
        return replay.stage.prescriptions[i].ladder.rungs[gate]
    }
}
