import Foundation
import RehabFormat
import RehabKit

/// Group commit for check-in reports: reports for the same pain log that arrive while a
/// write is under way are appended together by the next write, with one lock, one read
/// of the log and one `fsync` (`PainLogStore.append(contentsOf:)`). Each caller is
/// answered only after its report is on disk, so every acknowledged report is in the log.
///
/// Writes run on a dispatch queue per log, off the server's event loops.
final class LogWriter: @unchecked Sendable {
    private struct Pending {
        var entry: LogEntry
        var done: CheckedContinuation<Result<Void, PainLogError>, Never>
    }

    private struct Queue {
        var pending: [Pending] = []
        var flushing = false
        var patient: String
    }

    /// Most reports written by one append.
    static let batchLimit = 256

    private let lock = NSLock()
    private var queues: [String: Queue] = [:]
    private let worker = DispatchQueue(label: "rehab.serve.log-writer", attributes: .concurrent)

    /// Appends `entry` to the log at `url`; returns once it is synced to disk.
    func append(_ entry: LogEntry, to url: URL, patient: String) async throws(PainLogError) {
        let result = await withCheckedContinuation { (done: CheckedContinuation<Result<Void, PainLogError>, Never>) in
            lock.lock()
            var queue = queues[url.path] ?? Queue(patient: patient)
            queue.pending.append(Pending(entry: entry, done: done))
            let start = !queue.flushing
            queue.flushing = true
            queues[url.path] = queue
            lock.unlock()
            if start { worker.async { self.flush(url) } }
        }
        try result.get()
    }

    /// Writes batches until the queue for `url` is empty.
    private func flush(_ url: URL) {
        while true {
            lock.lock()
            guard var queue = queues[url.path], !queue.pending.isEmpty else {
                queues[url.path] = nil
                lock.unlock()
                return
            }
            let batch = Array(queue.pending.prefix(Self.batchLimit))
            queue.pending.removeFirst(batch.count)
            queues[url.path] = queue
            lock.unlock()
            let result: Result<Void, PainLogError>
            do {
                try PainLogStore.append(contentsOf: batch.map(\.entry), to: url, patient: queue.patient)
                result = .success(())
            } catch {
                result = .failure(error)
            }
            for item in batch { item.done.resume(returning: result) }
        }
    }
}

/// Warning-sign reports already stored, so that identical ones sent again within `window`
/// (a reload, a double tap, a leaked link) are answered with their advice each time but
/// stored once. Identical means the same link and the same report but for its minute.
final class WarningMemo: @unchecked Sendable {
    let window: TimeInterval
    private let lock = NSLock()
    private var stored: [String: Date] = [:]

    init(window: TimeInterval = 60) { self.window = window }

    private static func key(_ token: String, _ report: PainReport) -> String {
        [token, report.pain.map(String.init) ?? "-", report.when.rawValue, report.exercise ?? "-",
         report.flags.map(\.rawValue).joined(separator: ","), report.note ?? ""].joined(separator: "\u{0}")
    }

    /// True when the same report for `token` was stored less than `window` ago.
    func seen(token: String, report: PainReport, now: Date) -> Bool {
        let key = Self.key(token, report)
        return lock.withLock {
            guard let last = stored[key] else { return false }
            return now >= last && now.timeIntervalSince(last) < window
        }
    }

    /// Records that the report was stored at `now`.
    func remember(token: String, report: PainReport, now: Date) {
        let key = Self.key(token, report)
        lock.withLock {
            if stored.count > 10_000 { stored = stored.filter { now.timeIntervalSince($0.value) < window } }
            stored[key] = now
        }
    }
}
