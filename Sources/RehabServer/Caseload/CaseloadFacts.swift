import RehabKit
import RehabPages

/// What the caseload row and the patient page show beyond the plan itself, worked out
/// from values only (the patient, the program, the log's reports and the plan): the
/// week, last report, adherence, the 14-day pain values, the chart's days and marks and
/// the gates awaiting approval. No files and no clock; `CaseloadStore` calls it.
enum CaseloadFacts {
    /// The caseload row of a planned patient.
    static func summary(patient: Patient, program: Program, plan: Plan, reports: [PainReport],
                        relativePath: String) -> PatientSummary {
        let asOf = plan.asOf
        let days = asOf.days(since: patient.surgeryDate)
        return PatientSummary(
            id: patient.id, relativePath: relativePath, status: plan.status.rawValue, program: plan.program,
            stage: plan.stage, week: days >= 0 ? days / 7 : -((-days + 6) / 7), alerts: plan.alerts, asOf: asOf,
            lastReport: reports.lazy.map(\.at).max(),
            adherence: adherence(patient: patient, program: program, plan: plan, reports: reports),
            pain14: (0..<14).map { highest(reports, on: asOf - 13 + $0) })
    }

    /// The highest during/after score counting for `day`, if any.
    static func highest(_ reports: [PainReport], on day: LocalDate) -> Int? {
        reports.lazy.filter { $0.when != .nextMorning && $0.day == day }.compactMap(\.pain).max()
    }

    /// Days with a during/after report among the scheduled days of the 14 days ending on
    /// the plan's `asOf`. A day is scheduled when it is on or after the start date, the
    /// stage in force then has sessions on its weekday, and the plan was not halted for the
    /// whole day (the halt's own day and the clearance's day count).
    static func adherence(patient: Patient, program: Program, plan: Plan, reports: [PainReport]) -> Adherence {
        let asOf = plan.asOf
        let reported = Set(reports.lazy.filter { $0.when != .nextMorning }.map(\.day))
        var scheduled = 0, hit = 0
        for offset in 0..<14 {
            let day = asOf - 13 + offset
            guard day >= patient.startDate, isScheduled(day, patient: patient, program: program, plan: plan) else { continue }
            scheduled += 1
            if reported.contains(day) { hit += 1 }
        }
        return Adherence(reported: hit, scheduled: scheduled)
    }

    /// True when `day` has sessions under the stage in force and no halt covers it whole.
    static func isScheduled(_ day: LocalDate, patient: Patient, program: Program, plan: Plan) -> Bool {
        guard let stage = stage(on: day, patient: patient, program: program, plan: plan),
              stage.weekdays.contains(day.weekday) else { return false }
        var haltedSince: LocalDate?
        for d in plan.decisions where d.date <= day {
            if d.action == .halt { haltedSince = haltedSince ?? d.date }
            if d.action == .resume { haltedSince = nil }
        }
        if let since = haltedSince, since < day { return false }
        return true
    }

    /// The stage in force on `day`: the start stage moved on by each stage advance before
    /// or on that day (stages advance in program order).
    static func stage(on day: LocalDate, patient: Patient, program: Program, plan: Plan) -> Stage? {
        var index = patient.startStage.flatMap { id in program.stages.firstIndex { $0.id == id } } ?? 0
        for d in plan.decisions where d.action == .advanceStage && d.exercise == nil && d.date <= day { index += 1 }
        return program.stages.indices.contains(index) ? program.stages[index] : program.stages.last
    }

    /// One chart day per date from the start date (or the first report, when earlier) to
    /// `asOf`, with the zones the planner judges during/after scores by: the usual pain is
    /// the lower of the baseline in force and the median next-morning score of the 7 days
    /// before, once there are 3.
    static func chartDays(patient: Patient, program: Program, reports: [PainReport], asOf: LocalDate) -> [ChartDay] {
        let first = min(patient.startDate, reports.lazy.map(\.day).min() ?? patient.startDate)
        guard first <= asOf else { return [] }
        var during: [LocalDate: Int] = [:], morning: [LocalDate: Int] = [:]
        for r in reports {
            guard let pain = r.pain else { continue }
            if r.when == .nextMorning { morning[r.day] = max(morning[r.day] ?? 0, pain) }
            else { during[r.day] = max(during[r.day] ?? 0, pain) }
        }
        let limits = program.painRules.limits
        return (0...asOf.days(since: first)).map { offset in
            let day = first + offset
            let before = (1...7).compactMap { morning[day - $0] }
            let usual = UsualPain.of(baseline: patient.baseline(on: day), morningScores: before)
            return ChartDay(date: day, duringAfter: during[day], morning: morning[day], usual: usual,
                            greenUpTo: PainRules.greenUpTo(usual: usual, limits: limits),
                            redFrom: PainRules.redFrom(usual: usual, limits: limits))
        }
    }

    /// The plan's stage changes and decisions worth a mark (holds are not), one per kind
    /// and day, with the first decision's reason.
    static func marks(_ plan: Plan) -> [ChartMark] {
        var seen: Set<String> = []
        var result: [ChartMark] = []
        for d in plan.decisions {
            let kind: ChartMark.Kind
            switch d.action {
            case .progress: kind = .stepUp
            case .regress: kind = .stepDown
            case .advanceStage: guard d.exercise == nil else { continue }; kind = .stage
            case .flare, .escalate: kind = .flare
            case .halt: kind = .halt
            case .resume: kind = .resume
            case .approve: kind = .approval
            case .hold: continue
            }
            guard seen.insert("\(d.date)|\(kind.rawValue)").inserted else { continue }
            result.append(ChartMark(date: d.date, kind: kind, text: d.because))
        }
        return result
    }

    /// The gates the plan's `awaiting-approval` alerts wait on: an exercise's next gated
    /// rung, or the stage after the current one.
    static func approvals(_ plan: Plan, program: Program) -> [ApprovalTarget] {
        plan.alerts.filter { $0.kind == .awaitingApproval }.compactMap { alert in
            if let exercise = alert.exercise { return .exercise(exercise) }
            guard let i = program.stages.firstIndex(where: { $0.id == plan.stage }), i + 1 < program.stages.count else { return nil }
            return .stage(program.stages[i + 1].id)
        }
    }

    /// Names of every exercise the plan's sessions, decisions or program name, by id.
    static func names(_ plan: Plan, program: Program, library: ExerciseLibrary) -> [String: String] {
        var ids = Set(plan.sessions.flatMap { $0.exercises.flatMap { [$0.id, $0.prescription] } })
        ids.formUnion(plan.decisions.compactMap(\.exercise))
        ids.formUnion(program.stages.flatMap { $0.prescriptions.map(\.exercise) })
        var names: [String: String] = [:]
        for id in ids { if let e = library[id] { names[id] = e.name } }
        return names
    }
}
