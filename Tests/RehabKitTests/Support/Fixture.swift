import Foundation
@testable import RehabKit

/// A small hand-built program for planner tests: two stages, a walking-minutes ladder,
/// a nerve glide that pauses in a flare, and a bridge that only the second stage has.
///
/// - protect (from week 0): 08:00, 13:00, 18:30 every day. walking 5-10-15-20 min (start
///   10) in every session; nerve glide slider 5-10-15 reps (start 10) in sessions 1 and 3.
/// - mobilise (from week 2): 09:00, 17:00 every day. walking 5-15-25-35-45 (start 15), so
///   a carried-over 20 is off the ladder; nerve glide slider 5-10-15 then tensioner 15;
///   bridge 8-10-12 reps in session 1 on Mon, Wed, Fri.
enum Fixture {
    static let surgery = date("2026-11-02")
    static let start = date("2026-11-09")  // a Monday, week 1
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    static let newYork = TimeZone(identifier: "America/New_York")!

    static func date(_ text: String) -> LocalDate { LocalDate(iso: text)! }
    static func time(_ text: String) -> LocalTime { LocalTime(hhmm: text)! }
    static func at(_ text: String) -> LocalDateTime { LocalDateTime(iso: text)! }

    static let library = ExerciseLibrary(exercises: [
        exercise("walking", .minutes),
        exercise("nerve-glide", .reps, variants: ["nerve-glide-slider", "nerve-glide-tensioner"]),
        exercise("nerve-glide-slider", .reps, family: "nerve-glide"),
        exercise("nerve-glide-tensioner", .reps, family: "nerve-glide"),
        exercise("bridge", .reps),
    ])

    static func exercise(_ id: String, _ kind: DoseKind, variants: [String] = [], family: String? = nil) -> Exercise {
        Exercise(id: id, name: id, category: "test", doseKind: kind, instructions: ["Do it."], summary: "Do it.",
                 variants: variants, family: family, sources: ["test"])
    }

    static func minutes(_ m: Int) -> Dose { Dose(minutes: m) }
    static func slider(_ reps: Int) -> Dose { Dose(reps: reps, variant: "nerve-glide-slider") }
    static func tensioner(_ reps: Int) -> Dose { Dose(reps: reps, variant: "nerve-glide-tensioner") }
    static func bridge(_ reps: Int) -> Dose { Dose(reps: reps) }

    static let protectWalking = DoseLadder.generate(floor: minutes(5), start: minutes(10), step: minutes(5), cap: minutes(20))!
    static let mobiliseWalking = DoseLadder(rungs: [5, 15, 25, 35, 45].map(minutes), startIndex: 1)
    static let protectGlide = DoseLadder(rungs: [slider(5), slider(10), slider(15)], startIndex: 1)
    static let mobiliseGlide = DoseLadder(rungs: [slider(5), slider(10), slider(15), tensioner(15)], startIndex: 1)
    static let bridgeLadder = DoseLadder.generate(floor: nil, start: bridge(8), step: bridge(2), cap: bridge(12))!

    /// Version 2 keys the tests switch on: the glide asks for its own reports and has no
    /// amber (2/2), walking progresses by quota, the tensioner rung and the mobilise stage
    /// need approval.
    struct Options: Hashable {
        var glideV2 = false
        var walkingQuota: Int?
        var gateTensioner = false
        var gateMobilise = false
        var glideDaysAtDose: Int?
    }

    static func program(rules: PainRules = PainRules(), exit: ExitCriterion = ExitCriterion(),
                        options o: Options = Options()) -> Program {
        let glideZones = o.glideV2 ? ZoneLimits(greenMax: 2, amberMax: 2) : nil
        let walkingProgression: Progression = o.walkingQuota.map { .quota(everyDays: $0) } ?? .pain
        return Program(
            id: "test-program", title: "Test", procedures: [.discectomy],
            stages: [
                Stage(id: "protect", title: "Protect", fromWeek: 0, exit: exit,
                      sessionTimes: ["08:00", "13:00", "18:30"].map(time),
                      prescriptions: [
                        Prescription(exercise: "walking", ladder: protectWalking, sources: ["test"],
                                     progression: walkingProgression),
                        Prescription(exercise: "nerve-glide", ladder: protectGlide, sessions: [1, 3],
                                     skipInFlare: true, sources: ["test"], zones: glideZones, ownReport: o.glideV2,
                                     daysAtDose: o.glideDaysAtDose),
                      ]),
                Stage(id: "mobilise", title: "Mobilise", fromWeek: 2, exit: exit,
                      sessionTimes: ["09:00", "17:00"].map(time),
                      prescriptions: [
                        Prescription(exercise: "walking", ladder: mobiliseWalking, sources: ["test"],
                                     progression: walkingProgression),
                        Prescription(exercise: "nerve-glide", ladder: mobiliseGlide, skipInFlare: true, sources: ["test"],
                                     zones: glideZones, ownReport: o.glideV2, daysAtDose: o.glideDaysAtDose,
                                     approvalRungs: o.gateTensioner ? [3] : []),
                        Prescription(exercise: "bridge", ladder: bridgeLadder, sessions: [1],
                                     weekdays: [.mon, .wed, .fri], sources: ["test"]),
                      ], approval: o.gateMobilise),
            ],
            painRules: rules, redFlagAdvice: [.fever: "Fever: call the ward."], sources: ["test"])
    }

    static func patient(start: LocalDate = start, times: [String]? = nil, baseline: Int = 0,
                        startStage: String? = nil, zone: String = "Europe/Berlin",
                        tailoring: Tailoring = Tailoring()) -> Patient {
        Patient(id: "p-0001", program: "test-program", procedure: .discectomy, surgeryDate: surgery,
                startDate: start, timezone: zone, sessionTimes: times?.map(time), baselinePain: baseline,
                startStage: startStage, tailoring: tailoring)
    }

    static func plan(_ log: [LogEntry], asOf: LocalDate, days: Int = 7, program: Program = program(),
                     patient: Patient = patient(), zone: TimeZone = berlin) -> Plan {
        Planner.plan(PlanRequest(program: program, library: library, patient: patient, zone: zone,
                                 log: log, asOf: asOf, days: days))
    }
}

/// Builds a pain log by day number (day 0 is the patient's start date) so a test reads
/// like the story it tells.
struct LogBuilder {
    var start: LocalDate = Fixture.start
    private(set) var entries: [LogEntry] = []

    func day(_ n: Int) -> LocalDate { start + n }

    /// An `after` report on day `n` at 19:00.
    mutating func after(_ n: Int, pain: Int?, exercise: String? = nil, flags: [RedFlag] = [], time: String = "19:00") {
        entries.append(.report(PainReport(at: LocalDateTime(date: day(n), time: Fixture.time(time)), pain: pain,
                                          when: .after, exercise: exercise, flags: flags)))
    }

    /// The next-morning report for day `n`, logged at 07:30 on day `n + 1`.
    mutating func morning(_ n: Int, pain: Int, exercise: String? = nil) {
        entries.append(.report(PainReport(at: LocalDateTime(date: day(n + 1), time: Fixture.time("07:30")), pain: pain,
                                          when: .nextMorning, exercise: exercise)))
    }

    /// A green day: pain 2 after exercise and 0 the next morning.
    mutating func green(_ days: Int...) { for n in days { after(n, pain: 2); morning(n, pain: 0) } }

    /// A red day: pain 7 after exercise, 3 the next morning.
    mutating func red(_ days: Int...) { for n in days { after(n, pain: 7); morning(n, pain: 3) } }

    /// A clinician's approval of the next gated rung of `exercise` on day `n`.
    mutating func approve(_ n: Int, exercise: String, time: String = "10:00") {
        entries.append(.approval(Approval(at: LocalDateTime(date: day(n), time: Fixture.time(time)), by: "Dr Weber",
                                          target: .exercise(exercise))))
    }

    /// A clinician's approval of stage `stage` on day `n`.
    mutating func approve(_ n: Int, stage: String, time: String = "10:00") {
        entries.append(.approval(Approval(at: LocalDateTime(date: day(n), time: Fixture.time(time)), by: "Dr Weber",
                                          target: .stage(stage))))
    }

    mutating func resume(_ n: Int, time: String, by name: String = "Dr Weber") {
        entries.append(.resume(Resume(at: LocalDateTime(date: day(n), time: Fixture.time(time)), clearedBy: name)))
    }
}

extension Plan {
    /// The dose of a prescription in the plan's first session that holds it.
    func dose(of exercise: String) -> Dose? {
        sessions.lazy.flatMap(\.exercises).first { $0.prescription == exercise }?.dose
    }

    func decisions(for exercise: String) -> [Decision] { decisions.filter { $0.exercise == exercise } }
    func rules(_ action: Decision.Action) -> [String] { decisions.filter { $0.action == action }.map(\.rule) }
}
