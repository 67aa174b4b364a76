import ArgumentParser
import Foundation
import RehabCalendar
import RehabFormat
import RehabKit
import RehabServer

/// `rehab export PATIENT --out FILE.ics [--as-of DATE] [--days N]`: the patient's plan as
/// an iCalendar file. An earlier export at `--out` is updated in place (same UIDs, higher
/// SEQUENCE on changed events, vanished future events cancelled); a file there that is
/// not this patient's rehab export is refused and left untouched.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the patient's sessions as an iCalendar (.ics) file, updating an earlier export in place."
    )

    @Argument(help: "The patient file (YAML).") var patient: String
    @Option(help: "The .ics file to write (an earlier export there is updated).") var out: String
    @OptionGroup var window: CalendarWindowOptions

    func run() throws {
        try PatientContext.checkDays(window.days)
        let (context, plan, checkInURL) = try window.plan(patient: patient)
        let tally = try Self.writeCalendar(plan, context: context, patientFile: patient, to: out, durable: true,
                                           checkInURL: checkInURL)
        if let halt = plan.halt {
            var text = "STOPPED since \(halt.at) (\(halt.flags.map(\.rawValue).joined(separator: ", "))):\n"
            for advice in halt.advice { text += "  ! \(advice)\n" }
            text += "  The calendar has no sessions from then on; a clinician restarts them with `rehab resume --cleared-by NAME`.\n"
            print(text, terminator: "")
        }
        for advice in plan.advice { print("Advice: \(advice)") }
        printError("\(out): \(tally)")
    }

    /// The largest earlier export read back: 8 MiB (a year of sessions is far smaller).
    static let previousLimit = 8 << 20

    /// Exports `plan` to `path`, reconciled with the earlier export there, written atomically.
    /// `durable: false` skips the per-file fsyncs (a batch syncs its folder once).
    /// Refusals and bad input throw exit 65; failures to read or write, 74.
    static func writeCalendar(_ plan: Plan, context: PatientContext, patientFile: String, to path: String,
                              durable: Bool, checkInURL: String? = nil) throws(CLIError) -> Tally {
        let calendar = try calendarText(plan, context: context, patientFile: patientFile, over: path, checkInURL: checkInURL)
        try write(calendar.text, to: path, durable: durable)
        return Tally(previous: calendar.previous, written: calendar.text)
    }

    /// The export's text, reconciled with the earlier export at `path` (nothing is written).
    static func calendarText(_ plan: Plan, context: PatientContext, patientFile: String,
                             over path: String, checkInURL: String? = nil) throws(CLIError) -> (text: String, previous: String?) {
        let previous = try readPrevious(path)
        let text: String
        do {
            text = try CalendarExporter.export(CalendarRequest(
                plan: plan, program: context.program, library: context.library, patient: context.patient,
                zone: context.zone, previous: previous, patientFile: patientFile, checkInURL: checkInURL))
        } catch let error as CalendarError {
            throw cliError(error, path: path)
        } catch {
            throw CLIError(.io, "\(path): error: [calendar] \(error)")
        }
        return (text, previous)
    }

    /// Replaces `path` with `text` atomically (exit 74 when that fails). `sweep: false` for
    /// a batch that removes stale temporaries from its folder once.
    static func write(_ text: String, to path: String, durable: Bool, sweep: Bool = true) throws(CLIError) {
        try write(bytes: Data(text.utf8), to: path, durable: durable, sweep: sweep)
    }

    /// The same for text already in UTF-8 bytes.
    static func write(bytes: some ContiguousBytes, to path: String, durable: Bool, sweep: Bool = true,
                      mode: mode_t = 0o600) throws(CLIError) {
        do {
            try AtomicFile.write(bytes, to: path, durable: durable, sweep: sweep, mode: mode)
        } catch let error as CalendarError {
            throw cliError(error, path: path)
        } catch {
            throw CLIError(.io, "\(path): error: [io] \(error)")
        }
    }

    /// The text of the file at `path`, nil when there is none (or it is empty). Anything
    /// that cannot be an earlier export (a folder, too large, not UTF-8) is refused.
    static func readPrevious(_ path: String) throws(CLIError) -> String? {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return nil }
        if isFolder.boolValue {
            throw CLIError(.invalidInput, "\(path): error: [output] this is a folder; give --out a file path such as p-0001.ics")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CLIError(.io, "\(path): error: [io] cannot open the existing file to update it; check its permissions")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: previousLimit + 1) ?? Data()
        } catch {
            throw CLIError(.io, "\(path): error: [io] reading the existing file failed")
        }
        if data.isEmpty { return nil }
        if data.count > previousLimit {
            throw CLIError(.invalidInput, "\(path): error: [output] the existing file is larger than \(previousLimit >> 20) MiB, "
                           + "so it is not a rehab calendar export; it was left untouched: choose another --out path or move that file away")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw cliError(.notOurs("it is not UTF-8 text"), path: path)
        }
        return text
    }

    static func cliError(_ error: CalendarError, path: String) -> CLIError {
        switch error.kind {
        case .notOurs, .unknownZone: CLIError(.invalidInput, "\(path): error: [output] \(error.description)")
        case .io: CLIError(.io, "error: [io] \(error.description)")
        case .libical: CLIError(.io, "\(path): error: [calendar] \(error.description)")
        }
    }
}

extension ExportCommand {
    /// What an export changed, told from the VEVENTs' UID, SEQUENCE and STATUS before and
    /// after (a plain scan of the unfolded lines; libical stays inside the calendar layer).
    struct Tally: CustomStringConvertible, Equatable {
        var events = 0
        var new = 0
        var updated = 0
        var cancelled = 0
        var unchanged = 0
        var hadPrevious = false

        init(previous: String?, written: String) {
            let before = Dictionary(Self.events(in: previous ?? "").map { ($0.uid, $0) }, uniquingKeysWith: { a, _ in a })
            hadPrevious = previous != nil
            for event in Self.events(in: written) {
                events += 1
                guard let old = before[event.uid] else {
                    if event.cancelled { cancelled += 1 } else { new += 1 }
                    continue
                }
                if event.cancelled && !old.cancelled {
                    cancelled += 1
                } else if event.sequence != old.sequence {
                    updated += 1
                } else {
                    unchanged += 1
                }
            }
        }

        var description: String {
            let head = "wrote \(events) event\(events == 1 ? "" : "s")"
            guard hadPrevious else { return head }
            return head + " (\(new) new, \(updated) updated, \(cancelled) cancelled, \(unchanged) unchanged)"
        }

        struct Event { var uid: String; var sequence: Int; var cancelled: Bool }

        /// The top-level VEVENTs of iCalendar text (VALARMs inside are skipped).
        static func events(in text: String) -> [Event] {
            var result: [Event] = []
            var current: Event?
            var depth = 0
            for line in ContentLines.unfolded(text) {
                if line == "BEGIN:VEVENT" {
                    current = Event(uid: "", sequence: 0, cancelled: false)
                    depth = 0
                } else if line.hasPrefix("BEGIN:") {
                    depth += 1
                } else if line == "END:VEVENT" {
                    if let event = current { result.append(event) }
                    current = nil
                } else if line.hasPrefix("END:") {
                    depth -= 1
                } else if current != nil, depth == 0 {
                    if line.hasPrefix("UID:") {
                        current?.uid = String(line.dropFirst(4))
                    } else if line.hasPrefix("SEQUENCE:") {
                        current?.sequence = Int(line.dropFirst(9)) ?? 0
                    } else if line == "STATUS:CANCELLED" {
                        current?.cancelled = true
                    }
                }
            }
            return result
        }
    }
}
