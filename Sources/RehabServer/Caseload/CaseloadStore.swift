import Foundation
import RehabFormat
import RehabKit
import RehabPages

/// The caseload of a served folder: every patient file planned as of its own local today,
/// most urgent first, for the clinic pages, `/clinic/alerts.json` and `rehab alerts`.
///
/// Each patient's row is kept with the stamps (device, inode, size, modification time) of
/// its inputs - the patient file, a program file named by path, the pain log - and the
/// day it was planned for. A later call stats the folder's files and plans again only the
/// patients whose inputs changed, whose local date moved on, or whose files changed in the
/// last two seconds (too recently for a stamp to tell); the rest cost a `stat` each. Logs
/// are read through `PainLogStore` with the owner check. Touches files only by reading.
public final class CaseloadStore: @unchecked Sendable {
    public let folder: URL
    private let lock = NSLock()
    private var entries: [String: Entry] = [:]

    /// One candidate file as last read.
    struct Entry {
        var inputs: [String]
        var stamps: [FileStamp?]
        var zone: TimeZone?
        var fixed: LocalDate?
        /// Nil when the file is no patient file (a program or library among the patients).
        var summary: PatientSummary?
        var loaded: LoadedPatient?
    }

    public init(folder: URL) { self.folder = folder }

    /// Every patient, most urgent alert first; cached until a file changes or a patient's
    /// local date changes. Duplicate ids are listed as failed.
    public func summaries(now: Date) -> [PatientSummary] { summaries(now: now, asOf: nil) }

    /// The same, planned as of `asOf` for every patient when it is given (`rehab alerts
    /// --as-of`), else as of each patient's own today at `now`.
    public func summaries(now: Date, asOf fixed: LocalDate?) -> [PatientSummary] {
        Self.ordered(markDuplicates(current(now: now, fixed: fixed).compactMap(\.entry.summary)))
    }

    /// One patient's full picture for the patient page, or .notFound / .duplicate (409).
    public func detail(id: String, now: Date) -> PatientDetailResult {
        let all = current(now: now, fixed: nil)
        let matches = all.filter { $0.entry.summary?.id == id }
        guard let match = matches.first, let summary = match.entry.summary else { return .notFound }
        guard matches.count == 1 else { return .duplicate }
        guard let loaded = match.entry.loaded, let asOf = summary.asOf, !summary.isFailed else {
            return .found(PatientDetail(summary: summary))
        }
        guard let log = try? PainLogStore.read(from: loaded.logURL, patient: loaded.patient.id) else {
            return .found(PatientDetail(summary: summary))
        }
        let plan = Planner.plan(PlanRequest(program: loaded.program, library: loaded.library, patient: loaded.patient,
                                            zone: loaded.zone, log: log.entries, asOf: asOf, days: 8))
        let reports = log.reports
        return .found(PatientDetail(
            summary: summary, patient: loaded.patient, programTitle: loaded.program.title, plan: plan,
            entries: log.chronological,
            days: CaseloadFacts.chartDays(patient: loaded.patient, program: loaded.program, reports: reports, asOf: asOf),
            marks: CaseloadFacts.marks(plan), approvals: CaseloadFacts.approvals(plan, program: loaded.program),
            exerciseNames: CaseloadFacts.names(plan, program: loaded.program, library: loaded.library)))
    }

    /// The patient file for an id (for writing approvals/clearances); nil when no file or
    /// more than one file has that id, or the file cannot be planned.
    public func patientFile(id: String, now: Date = Date()) -> URL? {
        let matches = current(now: now, fixed: nil).filter { $0.entry.summary?.id == id }
        guard matches.count == 1, let loaded = matches[0].entry.loaded else { return nil }
        return loaded.file
    }

    /// Every candidate's entry, brought up to date: unchanged ones from the cache, the
    /// others read and planned again (on every core).
    private func current(now: Date, fixed: LocalDate?) -> [(path: String, entry: Entry)] {
        guard let candidates = CaseloadScan.candidates(in: folder.path) else { return [] }
        lock.lock()
        let known = entries
        lock.unlock()
        var result: [Entry?] = candidates.map { c in
            guard let e = known[c.path], e.fixed == fixed, Self.isFresh(e, stamp: c.stamp, now: now) else { return nil }
            return e
        }
        let stale = result.indices.filter { result[$0] == nil }
        if !stale.isEmpty {
            let fresh = Slots(stale.count)
            DispatchQueue.concurrentPerform(iterations: stale.count) { k in
                let c = candidates[stale[k]]
                fresh.set(k, CaseloadLoader.entry(path: c.path, relativePath: c.relativePath, stamp: c.stamp, now: now, fixed: fixed))
            }
            for (k, i) in stale.enumerated() { result[i] = fresh.items[k] }
        }
        var updated: [String: Entry] = [:]
        for (c, e) in zip(candidates, result) { updated[c.path] = e }
        lock.lock()
        entries = updated
        lock.unlock()
        return zip(candidates, result).map { ($0.path, $1!) }
    }

    /// True when every input has the stamp it had when read, none changed too recently to
    /// tell, and the patient's local date is the one planned for.
    private static func isFresh(_ e: Entry, stamp: FileStamp, now: Date) -> Bool {
        guard e.stamps.first == stamp, stamp.isSettled else { return false }
        for (path, old) in zip(e.inputs, e.stamps).dropFirst() {
            let s = FileStamp.read(path)
            guard s == old, s?.isSettled ?? true else { return false }
        }
        guard let summary = e.summary, e.fixed == nil, let zone = e.zone else { return true }
        return summary.asOf == LocalDateTime.at(now, in: zone).date
    }

    /// Rows whose id another planned row has too: failed, with their alerts kept.
    private func markDuplicates(_ rows: [PatientSummary]) -> [PatientSummary] {
        var count: [String: Int] = [:]
        for row in rows where !row.isFailed { count[row.id, default: 0] += 1 }
        return rows.map { row in
            guard !row.isFailed, count[row.id, default: 0] > 1 else { return row }
            var failed = row
            failed.status = "failed"
            failed.problem = "Another patient file has the same patient id; give each patient file its own id."
            return failed
        }
    }

    /// Most urgent alert first, then the oldest `since`, then id; rows without an alert
    /// last (failed ones before the rest).
    static func ordered(_ rows: [PatientSummary]) -> [PatientSummary] {
        let last = LocalDate(year: 9999, month: 12, day: 31)!
        func rank(_ r: PatientSummary) -> Int { r.alerts.first?.kind.urgency ?? (Alert.Kind.allCases.count + (r.isFailed ? 0 : 1)) }
        return rows.sorted { a, b in
            let ka = rank(a), kb = rank(b)
            if ka != kb { return ka < kb }
            let sa = a.alerts.first?.since ?? last, sb = b.alerts.first?.since ?? last
            if sa != sb { return sa < sb }
            if a.id != b.id { return a.id < b.id }
            return a.relativePath.utf8.lexicographicallyPrecedes(b.relativePath.utf8)
        }
    }
}

/// Results filled in by concurrent workers, one slot each.
private final class Slots: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var items: [CaseloadStore.Entry?]
    init(_ count: Int) { items = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ entry: CaseloadStore.Entry) { lock.withLock { items[i] = entry } }
}

/// The outcome of looking a patient up by id (`CaseloadStore.detail`).
public enum PatientDetailResult: Sendable {
    case found(PatientDetail)
    case notFound
    /// Two or more patient files have this id (the page answers 409).
    case duplicate
}
