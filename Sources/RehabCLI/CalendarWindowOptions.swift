import ArgumentParser
import Foundation
import RehabFormat
import RehabKit

/// The options a calendar command shares (`rehab export`, and `rehab publish` in
/// `rehab-publish`): which days, and the check-in link; and the plan they give.
package struct CalendarWindowOptions: ParsableArguments {
    @Option(name: .customLong("as-of"), help: "First day, YYYY-MM-DD in the patient's zone; default today there.")
    package var asOf: String?
    @Option(help: "How many days (1-366).")
    package var days: Int = 28
    @Option(help: "The public address of `rehab serve`: each session links to the patient's check-in page (needs `rehab link`).")
    package var baseURL: String?

    package init() {}

    /// The patient, the plan over these days and (with `--base-url`) the check-in page's
    /// address. `--days` is checked by the caller first, before its own options.
    package func plan(patient path: String) throws -> (context: PatientContext, plan: Plan, checkInURL: String?) {
        let base = try baseURL.map(LinkCommand.checkBaseURL)
        let context = try PatientContext.load(path)
        let checkInURL = try base.map { try context.checkInURL(baseURL: $0) }
        let date = try context.asOfDate(asOf)
        let plan = context.plan(asOf: date, days: days, log: try context.readLog())
        return (context, plan, checkInURL)
    }
}
