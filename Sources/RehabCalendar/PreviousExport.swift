import Foundation
import RehabKit
internal import CLibical

/// An earlier export read back with libical's parser: its events, each with its own owner.
struct PreviousExport {
    struct Event {
        var uid: String
        var sequence: Int
        var cancelled: Bool
        /// The TZID of DTSTART; nil for all-day events.
        var tzid: String?
        /// Wall time of each occurrence; nil for all-day events.
        var time: LocalTime?
        /// Every occurrence date (all-day: the first day).
        var dates: [LocalDate]
        /// All-day events: the day after the last day covered.
        var endDate: LocalDate?
        /// CATEGORIES, e.g. `REHAB-SESSION`; nil when it has none.
        var category: String?
        /// `X-REHAB-RUN`: the run's own UID when the event carries another's (see
        /// `CalendarExporter`'s "After a resume"); nil otherwise.
        var run: String?
        var component: ICalComponent

        var lastDay: LocalDate { endDate.map { $0 - 1 } ?? dates.last ?? LocalDate(daysSinceEpoch: 0) }
    }

    static let prodID = "-//rehab//rehab calendar export 1//EN"
    static let patientProperty = "X-REHAB-PATIENT"
    static let runProperty = "X-REHAB-RUN"

    var events: [Event]

    /// Parses `text`; refuses anything that is not a rehab export for `patient`.
    init(text: String, patient: String) throws {
        guard let raw = icalcomponent_new_from_string(text) else {
            throw CalendarError.notOurs("it is not iCalendar text")
        }
        let root = ICalComponent(adopting: raw)
        let calendar = try root.pointer
        guard icalcomponent_isa(calendar) == ICAL_VCALENDAR_COMPONENT else {
            throw CalendarError.notOurs("it is not a VCALENDAR")
        }
        guard let prodProp = icalcomponent_get_first_property(calendar, ICAL_PRODID_PROPERTY),
              let prod = icalproperty_get_prodid(prodProp), String(cString: prod) == Self.prodID else {
            throw CalendarError.notOurs("its PRODID is not rehab's")
        }
        guard Self.xProperty(calendar, Self.patientProperty) == patient else {
            throw CalendarError.notOurs("it is the calendar of another patient")
        }
        let errors = icalcomponent_count_errors(calendar)
        guard errors == 0 else {
            throw CalendarError.notOurs("libical found \(errors) unreadable value(s) in it")
        }
        var events: [Event] = []
        var next = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT)
        while let event = next {
            events.append(try Self.read(event))
            next = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)
        }
        self.events = events
    }

    private static func xProperty(_ component: OpaquePointer, _ name: String) -> String? {
        var p = icalcomponent_get_first_property(component, ICAL_X_PROPERTY)
        while let prop = p {
            if let n = icalproperty_get_x_name(prop), String(cString: n) == name,
               let v = icalproperty_get_x(prop) { return String(cString: v) }
            p = icalcomponent_get_next_property(component, ICAL_X_PROPERTY)
        }
        return nil
    }

    private static func read(_ event: OpaquePointer) throws -> Event {
        guard let uidC = icalcomponent_get_uid(event) else { throw CalendarError.notOurs("an event has no UID") }
        guard let dtstartProp = icalcomponent_get_first_property(event, ICAL_DTSTART_PROPERTY) else {
            throw CalendarError.notOurs("an event has no DTSTART")
        }
        let start = icalproperty_get_dtstart(dtstartProp)
        guard let firstDate = ICalTime.localDate(start) else { throw CalendarError.notOurs("an event has a bad DTSTART") }
        let tzid = icalproperty_get_parameter_as_string(dtstartProp, "TZID").map { String(cString: $0) }
        guard let copy = icalcomponent_new_clone(event) else { throw LibicalSession.lastError("copying an event") }
        let component = ICalComponent(adopting: copy)
        let sequence = Int(icalcomponent_get_sequence(event))
        let cancelled = icalcomponent_get_status(event) == ICAL_STATUS_CANCELLED
        let uid = String(cString: uidC)
        let category = icalcomponent_get_first_property(event, ICAL_CATEGORIES_PROPERTY)
            .flatMap { icalproperty_get_categories($0) }.map { String(cString: $0) }
        let run = xProperty(event, runProperty)

        guard let time = ICalTime.localTime(start) else {
            var end: LocalDate?
            if let p = icalcomponent_get_first_property(event, ICAL_DTEND_PROPERTY) {
                end = ICalTime.localDate(icalproperty_get_dtend(p))
            }
            return Event(uid: uid, sequence: sequence, cancelled: cancelled, tzid: nil, time: nil,
                         dates: [firstDate], endDate: end ?? firstDate + 1, category: category, run: run,
                         component: component)
        }
        var dates: Set<LocalDate> = [firstDate]
        var floating = start
        floating.zone = nil
        var rule = icalcomponent_get_first_property(event, ICAL_RRULE_PROPERTY)
        while let p = rule {
            let recur = icalproperty_get_rrule(p)
            guard let iterator = icalrecur_iterator_new(recur, floating) else {
                throw LibicalSession.lastError("expanding an RRULE")
            }
            defer { icalrecur_iterator_free(iterator) }
            var n = 0
            while n < 10_000 {
                let t = icalrecur_iterator_next(iterator)
                if icaltime_is_null_time(t) != 0 { break }
                if let d = ICalTime.localDate(t) { dates.insert(d) }
                n += 1
            }
            rule = icalcomponent_get_next_property(event, ICAL_RRULE_PROPERTY)
        }
        var rdate = icalcomponent_get_first_property(event, ICAL_RDATE_PROPERTY)
        while let p = rdate {
            if let d = ICalTime.localDate(icalproperty_get_rdate(p).time) { dates.insert(d) }
            rdate = icalcomponent_get_next_property(event, ICAL_RDATE_PROPERTY)
        }
        var exdate = icalcomponent_get_first_property(event, ICAL_EXDATE_PROPERTY)
        while let p = exdate {
            if let d = ICalTime.localDate(icalproperty_get_exdate(p)) { dates.remove(d) }
            exdate = icalcomponent_get_next_property(event, ICAL_EXDATE_PROPERTY)
        }
        return Event(uid: uid, sequence: sequence, cancelled: cancelled, tzid: tzid, time: time,
                     dates: dates.sorted(), endDate: nil, category: category, run: run, component: component)
    }
}
