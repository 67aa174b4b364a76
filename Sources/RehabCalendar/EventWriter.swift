import Foundation
import RehabKit
internal import CLibical

/// Writes `EventSpec`s, VTIMEZONEs and recurrence sets as libical components.
enum EventWriter {
    /// A VEVENT for `spec` in zone `tzid`, without DTSTAMP and SEQUENCE (the exporter sets them).
    static func event(_ spec: EventSpec, tzid: String) throws -> ICalComponent {
        guard let raw = icalcomponent_new_vevent() else { throw LibicalSession.lastError("making a VEVENT") }
        let event = ICalComponent(adopting: raw)
        try event.add(icalproperty_new_uid(spec.uid), "UID")
        if let time = spec.time {
            try setRecurrence(of: event, dates: spec.dates, time: time, tzid: tzid)
            try event.add(icalproperty_new_duration(icaldurationtype_from_int(Int32(spec.durationMinutes * 60))), "DURATION")
        } else {
            try event.add(icalproperty_new_dtstart(ICalTime.date(spec.firstDate)), "DTSTART")
            try event.add(icalproperty_new_dtend(ICalTime.date(spec.firstDate + spec.spanDays)), "DTEND")
        }
        try event.add(icalproperty_new_summary(clean(spec.summary)), "SUMMARY")
        try event.add(icalproperty_new_description(clean(spec.description)), "DESCRIPTION")
        if let url = spec.url {
            try event.add(icalproperty_new_url(clean(url)), "URL")
        }
        try event.add(icalproperty_new_categories(spec.kind.rawValue), "CATEGORIES")
        try event.add(icalproperty_new_transp(spec.kind == .session ? ICAL_TRANSP_OPAQUE : ICAL_TRANSP_TRANSPARENT), "TRANSP")
        if let minutes = spec.alarmMinutes {
            guard let alarmRaw = icalcomponent_new_valarm() else { throw LibicalSession.lastError("making a VALARM") }
            let alarm = ICalComponent(adopting: alarmRaw)
            try alarm.add(icalproperty_new_action(ICAL_ACTION_DISPLAY), "ACTION")
            try alarm.add(icalproperty_new_description(clean(spec.alarmText)), "alarm DESCRIPTION")
            try alarm.add(icalproperty_new_trigger(icaltriggertype_from_int(Int32(-minutes * 60))), "TRIGGER")
            try event.adopt(alarm)
        }
        return event
    }

    /// Replaces DTSTART, RRULE and RDATE so the event occurs on `dates` at `time` in `tzid`.
    static func setRecurrence(of event: ICalComponent, dates: [LocalDate], time: LocalTime, tzid: String) throws {
        guard let first = dates.first else { throw CalendarError.libical("an event needs at least one date") }
        for kind in [ICAL_DTSTART_PROPERTY, ICAL_RRULE_PROPERTY, ICAL_RDATE_PROPERTY, ICAL_EXDATE_PROPERTY] {
            try event.removeAll(kind)
        }
        let dtstart = icalproperty_new_dtstart(ICalTime.local(first, time))
        try withTZID(dtstart, tzid)
        try event.add(dtstart, "DTSTART")
        let recurrence = Recurrence.encode(dates)
        if let rule = recurrence.rrule {
            let recur = icalrecurrencetype_from_string(rule)
            guard recur.freq != ICAL_NO_RECURRENCE else { throw LibicalSession.lastError("reading RRULE \(rule)") }
            try event.add(icalproperty_new_rrule(recur), "RRULE")
        }
        for date in recurrence.rdates {
            let rdate = icalproperty_new_rdate(rehab_ical_rdate(ICalTime.local(date, time)))
            try withTZID(rdate, tzid)
            try event.add(rdate, "RDATE")
        }
    }

    private static func withTZID(_ property: OpaquePointer?, _ tzid: String) throws {
        guard let property else { throw LibicalSession.lastError("making a date-time property") }
        guard let param = icalparameter_new_tzid(tzid) else { throw LibicalSession.lastError("making TZID") }
        icalproperty_add_parameter(property, param)
    }

    /// A copy of libical's built-in zone with the plain IANA TZID, cut to start at `from`.
    /// Cut zones are kept (a batch asks for the same few again and again) and cloned.
    static func timezone(_ name: String, from: LocalDate) throws -> ICalComponent {
        let key = ZoneKey(name: name, from: from)
        if let cut = ZoneCache.cut[key] { return try cut.clone() }
        let made = try cutTimezone(name, from: from)
        if ZoneCache.cut.count >= ZoneCache.limit { ZoneCache.cut.removeAll() }
        ZoneCache.cut[key] = try made.clone()
        return made
    }

    private struct ZoneKey: Hashable {
        var name: String
        var from: LocalDate
    }

    /// Only touched inside `LibicalSession.run`, whose lock serializes every use.
    private enum ZoneCache {
        static let limit = 256
        nonisolated(unsafe) static var cut: [ZoneKey: ICalComponent] = [:]
    }

    private static func cutTimezone(_ name: String, from: LocalDate) throws -> ICalComponent {
        guard let zone = icaltimezone_get_builtin_timezone(name),
              let definition = icaltimezone_get_component(zone) else {
            throw CalendarError(.unknownZone(name))
        }
        guard let copy = icalcomponent_new_clone(definition) else { throw LibicalSession.lastError("copying zone \(name)") }
        let vtimezone = ICalComponent(adopting: copy)
        guard let tzid = icalcomponent_get_first_property(try vtimezone.pointer, ICAL_TZID_PROPERTY) else {
            throw CalendarError.libical("zone \(name) has no TZID")
        }
        icalproperty_set_tzid(tzid, name)
        // A null end: an end time would add TZUNTIL and UTC RDATEs, which RFC 5545 forbids here.
        icaltimezone_truncate_vtimezone(try vtimezone.pointer, ICalTime.midnight(from), icaltime_null_time(), 1)
        return vtimezone
    }

    /// Text as a calendar shows it: one line-break form, no other control characters.
    /// libical then escapes `\ ; ,` and newlines, so no text can start a property.
    static func clean(_ text: String) -> String {
        guard needsCleaning(text) else { return text }
        let unified = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        return String(String.UnicodeScalarView(unified.unicodeScalars.filter { s in
            s == "\n" || s == "\t" || !(s.value < 0x20 || s.value == 0x7F || (0x80..<0xA0).contains(s.value))
        }))
    }

    /// True when `clean` would change `text`: it holds a CR, a C0 control other than LF
    /// and TAB, DEL, or a C1 control (UTF-8 `C2 80`...`C2 9F`). One pass over the bytes.
    private static func needsCleaning(_ text: String) -> Bool {
        var previous: UInt8 = 0
        for b in text.utf8 {
            if b < 0x20 { if b != 0x0A && b != 0x09 { return true } }
            else if b == 0x7F || (previous == 0xC2 && b < 0xA0 && b >= 0x80) { return true }
            previous = b
        }
        return false
    }
}
