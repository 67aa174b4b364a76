import ArgumentParser
import Foundation
import RehabCalendar
import RehabFormat
import RehabKit

/// `rehab batch DIR --out DIR [--as-of DATE] [--days N] [--format ics|json|both] [--jobs N]
/// [--shard K/N] [--summary FILE]`: every patient's plan JSON and calendar, for a clinic.
///
/// Patient files are the `*.yaml`/`*.yml` files under DIR (hidden ones skipped) whose content
/// is a patient file; program and library files there are skipped. A bad patient file is
/// reported and skipped; a halted patient is written and listed as halted. Exit 0 when
/// every patient file was planned, 65 when any failed, 74 when an output could not be written.
struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Write every patient's plan JSON and/or calendar under a folder, in parallel.",
        discussion: """
        Patient files are the *.yaml and *.yml files under DIR, in any subfolder, that are \
        patient files by content (program and library files are skipped; hidden files and \
        *.painlog are ignored). Each patient gets <id>.ics and/or <id>.json in --out; an \
        earlier <id>.ics there is updated in place. --shard K/N takes the K-th of N parts by \
        a stable hash of each file's path under DIR, so N runners together cover every file once.
        """
    )

    @Argument(help: "The folder of patient files.") var folder: String
    @Option(help: "The output folder (created if missing).") var out: String
    @Option(name: .customLong("as-of"), help: "First day, YYYY-MM-DD; default each patient's own today.") var asOf: String?
    @Option(help: "How many days (1-366).") var days: Int = 7
    @Option(help: "ics, json or both.") var format: BatchRunner.Format = .both
    @Option(help: "Parallel workers; default the number of active cores.") var jobs: Int?
    @Option(help: "K/N: only the K-th of N stable parts of the patient files.") var shard: String?
    @Option(help: "Also write the summary as JSON to this file.") var summary: String?

    func run() throws {
        try PatientContext.checkDays(days)
        let date = try asOf.map { text throws(CLIError) -> LocalDate in
            guard let date = LocalDate(iso: text) else {
                let shape = text.utf8.count == 10 && LocalDateTime.looksLikeDate(text)
                throw CLIError(shape ? .invalidInput : .usage,
                               shape ? "error: --as-of \(text): no such date" : "error: --as-of \(text.prefix(30)): write the date as YYYY-MM-DD")
            }
            return date
        }
        let jobs = self.jobs ?? ProcessInfo.processInfo.activeProcessorCount
        guard (1...512).contains(jobs) else {
            throw CLIError(.invalidInput, "error: --jobs \(jobs) is out of range; give 1 to 512 workers")
        }
        let shard = try self.shard.map { text throws(CLIError) in try Shard(parsing: text) }
        // The clock is read once, and only when each patient's own today is needed.
        let now = date == nil ? try Clock.now() : Date(timeIntervalSince1970: 0)
        let catalog: Catalog
        do { catalog = try Catalog.shipped() } catch { throw CLIError(.io, "error: \(error.description)") }

        var entries = try BatchFinder.entries(in: folder)
        if let shard { entries = entries.filter { shard.contains($0.path) } }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: out, isDirectory: &isFolder), !isFolder.boolValue {
            throw CLIError(.invalidInput, "\(out): error: [output] this is a file; --out takes a folder")
        }
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        } catch {
            throw CLIError(.io, "\(out): error: [io] cannot create the output folder; check the path and its permissions")
        }
        // Leftovers of a killed earlier batch, removed with one listing (each write skips its own).
        AtomicFile.removeStaleTemporaries(in: out)

        let runner = BatchRunner(settings: .init(folder: folder, out: out, asOf: date, days: days, format: format,
                                                 now: now, catalog: catalog), entries: entries)
        // The disk writes behind the workers; one last flush makes every file's data and
        // every rename durable, instead of an fsync per file.
        let flusher = AtomicFile.FlushBehind(folder: out)
        let outcomes = runner.run(jobs: jobs)
        flusher.stop()
        let result = BatchSummary(asOf: date?.description, days: days, shard: shard, outcomes: outcomes)
        do { try AtomicFile.syncFileSystem(of: out) } catch {
            throw CLIError(.io, "\(out): error: [io] cannot flush the output folder to disk")
        }
        printError(result.text.hasSuffix("\n") ? String(result.text.dropLast()) : result.text)
        if let summary {
            do { try AtomicFile.write(Data(result.json.utf8), to: summary) } catch {
                throw CLIError(.io, "\(summary): error: [io] cannot write the summary: \(error)")
            }
        }
        let failed = result.outcomes.filter { $0.status == .failed }
        if failed.contains(where: \.outputFailed) {
            throw CLIError(.io, "error: \(failed.count) patient file\(failed.count == 1 ? "" : "s") failed; an output file could not be written")
        }
        if !failed.isEmpty {
            throw CLIError(.invalidInput, "error: \(failed.count) patient file\(failed.count == 1 ? "" : "s") failed (listed above); the others were written")
        }
    }
}

extension BatchRunner.Format: ExpressibleByArgument {}
