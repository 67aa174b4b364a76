import ArgumentParser
import Foundation
import RehabFormat
import RehabKit

/// `rehab explain PATIENT [--as-of DATE]`: each decision that led to today's plan, in
/// plain words, with the rule and the reports it rested on.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain, decision by decision, how the patient's doses and stage came about."
    )

    @Argument(help: "The patient file (YAML).") var patient: String
    @Option(name: .customLong("as-of"), help: "YYYY-MM-DD in the patient's zone; default today there.") var asOf: String?

    func run() throws {
        let context = try PatientContext.load(patient)
        let date = try context.asOfDate(asOf)
        let log = try context.readLog()
        let plan = context.plan(asOf: date, days: 1, log: log)
        print(Self.text(plan, context: context), terminator: "")
    }

    static func text(_ plan: Plan, context: PatientContext) -> String {
        var out = "How \(plan.patient)'s plan came about, up to \(plan.asOf)\n"
        out += "Now: \(plan.status.rawValue), stage \(PlanCommand.stageTitle(plan.stage, context: context))\n"
        guard !plan.decisions.isEmpty else {
            return out + "\nNo decisions yet: every exercise is at its starting dose. Doses change only after pain reports.\n"
        }
        for d in plan.decisions {
            let subject = d.exercise.map { context.library[$0]?.name ?? $0 } ?? "Whole plan"
            out += "\n\(d.date)  \(subject): \(sentence(d))\n"
            out += "  Rule: \(d.rule). \(d.because)\n"
            if d.reports.isEmpty {
                out += "  Reports: none.\n"
            } else {
                out += "  Reports:\n"
                for r in d.reports {
                    var line = "    \(r.at) \(r.when.rawValue)"
                    line += r.pain.map { " pain \($0)/10" } ?? ""
                    if let e = r.exercise { line += ", " + (context.library[e]?.name ?? e) }
                    if !r.flags.isEmpty { line += ", flags: " + r.flags.map(\.rawValue).joined(separator: ", ") }
                    out += line + "\n"
                }
            }
        }
        for advice in plan.advice { out += "\nAdvice: \(advice)\n" }
        for alert in plan.alerts { out += "\nAlert (\(alert.kind.rawValue), since \(alert.since)): \(alert.text)\n" }
        return out
    }

    /// The action in plain words, with the dose change when there is one.
    static func sentence(_ d: Decision) -> String {
        let change: String
        switch (d.from, d.to) {
        case let (from?, to?) where from == to: change = " (\(dose(to)))"
        case let (from?, to?): change = " from \(dose(from)) to \(dose(to))"
        case let (nil, to?): change = " at \(dose(to))"
        case let (from?, nil): change = " (was \(dose(from)))"
        case (nil, nil): change = ""
        }
        switch d.action {
        case .progress: return "stepped up" + change + "."
        case .hold: return "kept the same dose" + change + "."
        case .regress: return "stepped back" + change + "."
        case .advanceStage: return "moved on to the next stage" + change + "."
        case .flare: return "eased back for a flare-up" + change + "."
        case .halt: return "stopped because of a warning sign."
        case .resume: return "restarted after a clinician's clearance" + change + "."
        case .escalate: return "the flare-up has lasted too long: contact your clinical team."
        case .approve: return "a clinician approved the next step" + change + "."
        }
    }

    static func dose(_ dose: Dose) -> String {
        let text = dose.description
        guard let variant = dose.variant else { return text.isEmpty ? "-" : text }
        return text.isEmpty ? variant : "\(text) (\(variant))"
    }
}
