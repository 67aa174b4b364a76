import ArgumentParser
import Foundation
import RehabFormat
import RehabKit

/// `rehab plan PATIENT [--as-of DATE] [--days N] [--format text|json]`: the sessions of
/// the coming days with their doses, as a week table or as the plan JSON (docs/json.md).
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show the patient's sessions and doses for the coming days."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "The patient file (YAML).") var patient: String
    @Option(name: .customLong("as-of"), help: "First day, YYYY-MM-DD in the patient's zone; default today there.") var asOf: String?
    @Option(help: "How many days (1-366).") var days: Int = 7
    @Option(help: "text or json.") var format: Format = .text

    func run() throws {
        try PatientContext.checkDays(days)
        let context = try PatientContext.load(patient)
        let date = try context.asOfDate(asOf)
        let log = try context.readLog()
        let plan = context.plan(asOf: date, days: days, log: log)
        switch format {
        case .json: print(PlanJSON.encode(plan, library: context.library, zone: context.zone), terminator: "")
        case .text: print(Self.text(plan, context: context, patientFile: patient), terminator: "")
        }
    }

    /// The week table: a header with status and stage, any advice, the restrictions in
    /// force and this week's education items (title and first line), then each day and its
    /// sessions with every exercise's dose and its one short caution. `patientFile` is
    /// the patient file as typed, for the `rehab resume` line of a halted plan.
    static func text(_ plan: Plan, context: PatientContext, patientFile: String) -> String {
        let last = plan.asOf + (plan.days - 1)
        var out = "Plan for \(plan.patient) - \(context.program.title)\n"
        out += "\(plan.asOf) to \(last), times in \(context.zone.identifier)\n"
        out += "Status: \(plan.status.rawValue) - stage: \(stageTitle(plan.stage, context: context))\n"
        if let halt = plan.halt {
            out += "\nSTOPPED since \(halt.at) (\(halt.flags.map(\.rawValue).joined(separator: ", "))):\n"
            for advice in halt.advice { out += "  ! \(advice)\n" }
            out += "  No sessions until your clinical team has cleared you.\n"
            out += "  Then record the clearance: rehab resume \(patientFile) --cleared-by NAME\n"
        }
        for advice in plan.advice { out += "\nAdvice: \(advice)\n" }
        let restrictions = context.program.restrictions(for: context.patient, from: plan.asOf, through: last)
        if !restrictions.isEmpty {
            out += "\nRemember:\n" + restrictions.map { "  - \($0.line)\n" }.joined()
        }
        let education = context.program.education(for: context.patient, on: plan.asOf)
        if !education.isEmpty {
            out += "\nGood to know this week:\n" + education.map { "  - \($0.title): \($0.firstLine)\n" }.joined()
        }
        out += "\n"
        var byDay: [LocalDate: [PlannedSession]] = [:]
        for session in plan.sessions { byDay[session.start.local.date, default: []].append(session) }
        for offset in 0..<plan.days {
            let day = plan.asOf + offset
            let sessions = byDay[day] ?? []
            out += "\(weekdayName(day.weekday)) \(day)"
            if sessions.isEmpty {
                out += plan.status == .halted ? "  stopped\n" : "  rest day\n"
                continue
            }
            out += "\n"
            for session in sessions {
                let items = session.exercises.map { e in
                    let name = context.library[e.id]?.name ?? e.id
                    let dose = e.dose.description
                    let line = dose.isEmpty ? name : "\(name) \(dose)"
                    return context.library[e.id]?.caution.map { "\(line) (\($0.lowercasedFirst))" } ?? line
                }
                out += "  \(session.start.local.time)  " + (items.isEmpty ? "(nothing scheduled)" : items.joined(separator: "; ")) + "\n"
            }
        }
        return out
    }

    static func stageTitle(_ id: String, context: PatientContext) -> String {
        guard let title = context.program.stage(id: id)?.title, title != id else { return id }
        return "\(id) (\(title))"
    }

    static func weekdayName(_ day: Weekday) -> String {
        switch day {
        case .mon: "Mon"
        case .tue: "Tue"
        case .wed: "Wed"
        case .thu: "Thu"
        case .fri: "Fri"
        case .sat: "Sat"
        case .sun: "Sun"
        }
    }
}

extension String {
    /// The text with its first letter in lower case and no closing full stop, to follow a
    /// dose in brackets.
    var lowercasedFirst: String {
        let text = hasSuffix(".") ? String(dropLast()) : self
        return text.prefix(1).lowercased() + text.dropFirst()
    }
}
