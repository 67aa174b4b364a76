import Foundation
import RehabKit
internal import CLibical

/// Turns a plan into iCalendar text, reconciled with an earlier export when there is one.
///
/// ```swift
/// let text = try CalendarExporter.export(CalendarRequest(plan: plan, program: program,
///     library: library, patient: patient, zone: zone, previous: oldText))
/// try AtomicFile.write(Data(text.utf8), to: "p-0001.ics")
/// ```
///
/// **SEQUENCE.** Without an earlier file, an event's SEQUENCE is the number of plan
/// decisions up to `as_of` that could change it (dose changes, stage advances, flares,
/// halts, resumes, escalations touching its exercises) plus the days from the surgery
/// date to `as_of`. Both terms never decrease as `as_of` advances, and the second grows
/// each day, as the event's last occurrence moves with the export window. With an
/// earlier file, an event whose content (everything but DTSTAMP and SEQUENCE) is
/// unchanged keeps the earlier SEQUENCE; a changed one gets the larger of the derived
/// value and the earlier SEQUENCE + 1. Cancelled and shortened events get theirs + 1.
///
/// **After a resume.** A halt cancels the future events of the earlier file; the
/// clearance starts new runs with UIDs of their own, and clients that keep cancelled events
/// (khal) would show two events at each session time. So, with an earlier file, a run the
/// earlier file does not have takes over an event of the same kind at the same time of day
/// (same zone) whose dates overlap its own and that would otherwise stand cancelled beside
/// it: one the earlier file already cancelled (the halt's), or one wholly from `as_of` on
/// that no run of this export continues (a run replaced on its first day). A run whose own
/// event in the earlier file ended before `as_of` counts as new here: an evening's reports
/// can withdraw the change a morning's export began a run with today, and the older run,
/// coming back, takes over that run's event instead of standing beside it. The run is
/// written under that UID, with a higher SEQUENCE, and carries its own UID in
/// `X-REHAB-RUN` so the next export over this file finds it again. Without an earlier file
/// (feeds, first exports) every event has its own UID: a subscription replaces the whole
/// calendar.
public enum CalendarExporter {
    /// The export as CRLF text. Identical requests give identical bytes.
    public static func export(_ request: CalendarRequest) throws -> String {
        // Pure Swift: planned outside libical's lock, so parallel exports overlap here.
        let specs = EventPlanner(request: request).events()
        return try LibicalSession.run { try build(request, specs: specs) }
    }

    private static func build(_ request: CalendarRequest, specs: [EventSpec]) throws -> String {
        let plan = request.plan
        let asOf = plan.asOf
        let tzid = request.zone.identifier
        let stamp = ICalTime.utc(asOf.startInstant(in: request.zone).date)
        let previous = try request.previous.map { try PreviousExport(text: $0, patient: plan.patient) }
        let previousByUID = Dictionary((previous?.events ?? []).map { ($0.uid, $0) }, uniquingKeysWith: { a, _ in a })

        var out: [(key: SortKey, component: ICalComponent)] = []
        var zoneStart: [String: LocalDate] = [:]
        func useZone(_ name: String, _ date: LocalDate) { zoneStart[name] = min(zoneStart[name] ?? date, date) }

        var written = Set<String>()
        let hosts = hostUIDs(specs, previous: previous?.events ?? [], tzid: tzid, asOf: asOf)
        for var spec in specs {
            let run = spec.uid
            if let host = hosts[run] { spec.uid = host }
            let earlier = previousByUID[spec.uid]
            if let earlier, !earlier.cancelled, let time = spec.time, earlier.time == time, earlier.tzid == tzid {
                // Keep the occurrences the patient already had before as_of.
                spec.dates = Array(Set(earlier.dates.filter { $0 < asOf } + spec.dates)).sorted()
            }
            let event = try EventWriter.event(spec, tzid: tzid)
            if spec.uid != run { try event.add(xProperty(PreviousExport.runProperty, run), PreviousExport.runProperty) }
            var sequence = spec.historySequence
            if let earlier {
                let changed = try event.fingerprint() != earlier.component.fingerprint()
                sequence = changed ? max(sequence, earlier.sequence + 1) : earlier.sequence
            }
            try event.setDTStamp(stamp)
            try event.setSequence(sequence)
            if spec.time != nil { useZone(tzid, spec.firstDate) }
            written.insert(spec.uid)
            out.append((SortKey(date: spec.firstDate, minutes: spec.time?.minutes ?? -1, uid: spec.uid), event))
        }

        for earlier in previous?.events ?? [] where !written.contains(earlier.uid) {
            written.insert(earlier.uid)
            let event = try earlier.component.clone()
            if !earlier.cancelled, earlier.lastDay >= asOf {
                let past = earlier.dates.filter { $0 < asOf }
                if let time = earlier.time, let zone = earlier.tzid, !past.isEmpty {
                    // Started before as_of: keep what has happened, drop the rest.
                    try EventWriter.setRecurrence(of: event, dates: past, time: time, tzid: zone)
                } else if earlier.time == nil, let first = earlier.dates.first, first < asOf {
                    try event.removeAll(ICAL_DTEND_PROPERTY)
                    try event.add(icalproperty_new_dtend(ICalTime.date(asOf)), "DTEND")
                } else {
                    try event.removeAll(ICAL_STATUS_PROPERTY)
                    try event.add(icalproperty_new_status(ICAL_STATUS_CANCELLED), "STATUS")
                }
                try event.setDTStamp(stamp)
                try event.setSequence(earlier.sequence + 1)
            }
            if let zone = earlier.tzid, let first = earlier.dates.first { useZone(zone, first) }
            out.append((SortKey(date: earlier.dates.first ?? asOf, minutes: earlier.time?.minutes ?? -1, uid: earlier.uid), event))
        }

        guard let calRaw = icalcomponent_new_vcalendar() else { throw LibicalSession.lastError("making a VCALENDAR") }
        let calendar = ICalComponent(adopting: calRaw)
        try calendar.add(icalproperty_new_version("2.0"), "VERSION")
        try calendar.add(icalproperty_new_prodid(PreviousExport.prodID), "PRODID")
        try calendar.add(icalproperty_new_calscale("GREGORIAN"), "CALSCALE")
        let name = "Rehab exercises \(plan.patient)"
        try calendar.add(icalproperty_new_name(name), "NAME")
        try calendar.add(xProperty("X-WR-CALNAME", name), "X-WR-CALNAME")
        try calendar.add(icalproperty_new_from_string("REFRESH-INTERVAL;VALUE=DURATION:P1D"), "REFRESH-INTERVAL")
        try calendar.add(xProperty("X-PUBLISHED-TTL", "P1D"), "X-PUBLISHED-TTL")
        try calendar.add(icalproperty_new_color("teal"), "COLOR")
        try calendar.add(xProperty(PreviousExport.patientProperty, plan.patient), PreviousExport.patientProperty)

        for (zone, first) in zoneStart.sorted(by: { $0.key < $1.key }) {
            try calendar.adopt(try EventWriter.timezone(zone, from: first - 1))
        }
        for item in out.sorted(by: { $0.key < $1.key }) {
            try calendar.adopt(item.component)
        }
        return try calendar.serialized()
    }

    /// The UID each run is written under when it is not its own (see "After a resume"). A run
    /// whose own event in the earlier file goes on from `asOf` keeps it. Any other goes to:
    /// first the event that already carries it under another UID (`X-REHAB-RUN`) when that
    /// event goes on from `asOf`; then an event of the same kind, time of day and zone whose
    /// dates overlap the run's and that is cancelled, or would be (no run continues it and
    /// none of its dates is before `asOf`); then the event that carried it, ended or not.
    /// Each earlier event hosts at most one run; runs are matched earliest first.
    static func hostUIDs(_ specs: [EventSpec], previous: [PreviousExport.Event], tzid: String,
                         asOf: LocalDate) -> [String: String] {
        guard !previous.isEmpty else { return [:] }
        let earlierUIDs = Set(previous.map(\.uid))
        // A run counts as new here when the earlier file has no event of its own UID from
        // `asOf` on: none at all, or one that ended before `asOf` (kept as it was). The
        // second is an older run that comes back on a day an event of another run was
        // already planned for, e.g. an evening's reports withdraw the dose change the
        // morning's export began a run with today: that run's event must not stand
        // cancelled beside the older one's continuation.
        let ownFuture = Set(previous.filter { $0.dates.contains { $0 >= asOf } }.map(\.uid))
        let new = specs.filter { !ownFuture.contains($0.uid) }
            .sorted { ($0.firstDate, $0.uid) < ($1.firstDate, $1.uid) }
        guard !new.isEmpty else { return [:] }
        var taken = Set(specs.map(\.uid)).intersection(earlierUIDs)
        var hosts: [String: String] = [:]
        func carrier(_ spec: EventSpec) -> PreviousExport.Event? {
            previous.first { $0.run == spec.uid && !taken.contains($0.uid) }
        }
        // A run carried under another UID that goes on from asOf stays there.
        for spec in new {
            if let host = carrier(spec), ownFuture.contains(host.uid) {
                hosts[spec.uid] = host.uid
                taken.insert(host.uid)
            }
        }
        for spec in new where hosts[spec.uid] == nil {
            guard let time = spec.time else { continue }
            let dates = Set(spec.dates)
            if let host = previous.first(where: { e in
                !taken.contains(e.uid) && (e.cancelled || e.dates.allSatisfy { $0 >= asOf })
                    && e.time == time && e.tzid == tzid && e.category == spec.kind.rawValue
                    && e.dates.contains(where: dates.contains)
            }) {
                hosts[spec.uid] = host.uid
                taken.insert(host.uid)
            }
        }
        // A carried run whose carrier ended before asOf and that found no event above goes
        // back to its carrier.
        for spec in new where hosts[spec.uid] == nil {
            if let host = carrier(spec) {
                hosts[spec.uid] = host.uid
                taken.insert(host.uid)
            }
        }
        return hosts
    }

    /// Values here are ours (patient ids are plain ASCII), never free text.
    private static func xProperty(_ name: String, _ value: String) -> OpaquePointer? {
        guard let p = icalproperty_new_x(value) else { return nil }
        icalproperty_set_x_name(p, name)
        return p
    }

    private struct SortKey: Comparable {
        var date: LocalDate
        var minutes: Int
        var uid: String
        static func < (a: SortKey, b: SortKey) -> Bool {
            (a.date, a.minutes, a.uid) < (b.date, b.minutes, b.uid)
        }
    }
}
