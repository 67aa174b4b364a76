import Foundation
import RehabCalendar
import RehabFormat
import RehabKit

/// Builds a linked patient's calendar feed: the same calendar `rehab export` writes, for
/// today (in the patient's zone) and the coming `days`, with each session event linking
/// to the check-in page.
///
/// Feeds are cached by their inputs' sizes and modification times and the date, so an
/// unchanged plan costs a few `stat` calls. `lastModified` never goes backwards, and moves
/// forwards (by a second, if need be) whenever the ETag changes.
final class FeedBuilder: @unchecked Sendable {
    struct Feed: Sendable {
        var body: String
        /// A strong validator, quoted: `"<32 hex digits>"`.
        var etag: String
        /// Whole seconds.
        var lastModified: Date
    }

    let days: Int
    private let lock = NSLock()
    private var cache: [String: (key: String, feed: Feed)] = [:]
    /// The last ETag and Last-Modified given for each token.
    private var last: [String: (etag: String, lastModified: Date)] = [:]

    init(days: Int) { self.days = days }

    func feed(for patient: LoadedPatient, token: String, checkInURL: String, now: Date) throws -> Feed {
        let asOf = LocalDateTime.at(now, in: patient.zone).date
        let stats = patient.inputs.map { url -> String in
            guard let s = FileStamp.read(url.path) else { return "-" }
            return "\(s.inode)/\(s.seconds).\(s.nanoseconds)/\(s.size)"
        }
        let key = "\(asOf)|\(checkInURL)|" + stats.joined(separator: "|")
        lock.lock()
        if let hit = cache[token], hit.key == key { lock.unlock(); return hit.feed }
        lock.unlock()

        let log: PainLog
        do { log = try PainLogStore.read(from: patient.logURL, patient: patient.patient.id) } catch {
            throw LoadedPatient.LoadError(reason: error.kind == .mismatch ? "pain log of another patient" : "pain log unreadable")
        }
        let plan = Planner.plan(PlanRequest(program: patient.program, library: patient.library, patient: patient.patient,
                                            zone: patient.zone, log: log.entries, asOf: asOf, days: days))
        let body = try CalendarExporter.export(CalendarRequest(
            plan: plan, program: patient.program, library: patient.library, patient: patient.patient,
            zone: patient.zone, previous: nil, patientFile: patient.file.lastPathComponent, checkInURL: checkInURL))
        // The body changes at the patient's midnight even when no file does.
        let midnight = asOf.startInstant(in: patient.zone).date
        let changed = max(latestChange(of: patient.inputs) ?? midnight, midnight)
        let seconds = Date(timeIntervalSince1970: changed.timeIntervalSince1970.rounded(.down))

        let etag = "\"\(Self.digest(body))\""
        lock.lock()
        defer { lock.unlock() }
        // Never backwards, and forwards whenever the body changed: a change within the
        // second of the last Last-Modified (a check-in right after a fetch) would otherwise
        // leave an If-Modified-Since client with the old body.
        var lastModified = seconds
        if let previous = last[token] {
            lastModified = max(lastModified, previous.lastModified)
            if previous.etag != etag && lastModified <= previous.lastModified {
                lastModified = previous.lastModified.addingTimeInterval(1)
            }
        }
        last[token] = (etag, lastModified)
        let feed = Feed(body: body, etag: etag, lastModified: lastModified)
        cache[token] = (key, feed)
        return feed
    }

    /// 128 bits of two FNV-1a passes with different offsets, as hex.
    static func digest(_ text: String) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325, b: UInt64 = 0x6c62_272e_07bb_0142
        for byte in text.utf8 {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            b = b &+ (b >> 29)
        }
        return String(a, radix: 16).leftPadded(16) + String(b, radix: 16).leftPadded(16)
    }
}

extension String {
    fileprivate func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
