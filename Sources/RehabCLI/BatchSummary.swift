import Foundation
import RehabFormat

/// What became of one patient file in `rehab batch`.
struct BatchOutcome: Sendable {
    enum Status: String, Sendable {
        /// Plan (and calendar) written; the plan is active.
        case planned
        /// Written, but the plan is stopped by a red flag; `flags` says which.
        case halted
        /// Nothing written for this file; `error` says why.
        case failed
        /// A program or library file among the patients: not a patient, nothing to do; or a
        /// second name (hard link) of a patient file planned under its first name (`error` says which).
        case skipped
    }

    /// The patient file's path relative to the batch folder.
    var file: String
    var id: String?
    var status: Status
    var asOf: String?
    var flags: [String] = []
    /// Why it failed: file diagnostics' first lines (never a source line or a note).
    var error: String?
    /// The failure was writing an output file (exit 74 rather than 65).
    var outputFailed = false
}

/// The batch summary: counts, then one entry per patient file, in file order.
///
/// JSON (`--summary FILE`), keys only ever added while `schema` stays 1:
/// ```json
/// { "schema": 1, "as_of": "2026-11-23" | null, "days": 7, "shard": "1/4" | null,
///   "counts": { "patients": 3, "planned": 1, "halted": 1, "failed": 1, "skipped": 0 },
///   "patients": [ { "id": "p-0001", "file": "a/p1.yaml", "status": "planned" | "halted" | "failed",
///                   "as_of": "2026-11-23" | null, "flags": [], "error": null } ] }
/// ```
/// `as_of` at the top is null when each patient used their own today. Skipped program
/// and library files are counted, not listed.
struct BatchSummary {
    var asOf: String?
    var days: Int
    var shard: Shard?
    var outcomes: [BatchOutcome]

    func count(_ status: BatchOutcome.Status) -> Int { outcomes.lazy.filter { $0.status == status }.count }

    var patients: [BatchOutcome] { outcomes.filter { $0.status != .skipped } }

    var json: String {
        let counts: OrderedJSON = .object([
            ("patients", .int(patients.count)), ("planned", .int(count(.planned))), ("halted", .int(count(.halted))),
            ("failed", .int(count(.failed))), ("skipped", .int(count(.skipped))),
        ])
        let list = patients.map { o -> OrderedJSON in
            .object([
                ("id", .string(o.id)), ("file", .string(o.file)), ("status", .string(o.status.rawValue)),
                ("as_of", .string(o.asOf)), ("flags", .array(o.flags.map(OrderedJSON.string))),
                ("error", .string(o.error)),
            ])
        }
        return OrderedJSON.object([
            ("schema", .int(1)), ("as_of", .string(asOf)), ("days", .int(days)),
            ("shard", .string(shard?.description)), ("counts", counts), ("patients", .array(list)),
        ]).rendered(layout: PlanJSON.layout)
    }

    /// The stderr summary: the counts, each halted patient with its flags, each failure with its reason.
    var text: String {
        var out = "rehab batch: planned \(count(.planned)), halted \(count(.halted)), failed \(count(.failed))"
        if let shard { out += " (shard \(shard))" }
        let aliases = outcomes.lazy.filter { $0.status == .skipped && $0.error != nil }.count
        let skipped = count(.skipped) - aliases
        if skipped > 0 { out += "; skipped \(skipped) program/library file\(skipped == 1 ? "" : "s")" }
        if aliases > 0 { out += "; \(aliases) second name\(aliases == 1 ? "" : "s") of a patient file planned once" }
        out += "\n"
        for o in outcomes where o.status == .halted {
            out += "halted: \(o.id ?? "?") (\(o.file)): \(o.flags.joined(separator: ", "))\n"
        }
        for o in outcomes where o.status == .skipped {
            if let why = o.error { out += "skipped: \(o.file): \(why)\n" }
        }
        for o in outcomes where o.status == .failed {
            out += "failed: \(o.file)\n"
            for line in (o.error ?? "unknown error").split(separator: "\n") { out += "  \(line)\n" }
        }
        return out
    }
}
