import Foundation
internal import CLibical

/// A rehab calendar cut into one VCALENDAR per event, as CalDAV stores it, and such
/// pieces joined back into one calendar.
///
/// ```swift
/// for piece in try CalendarResources.split(exportText) { put(piece.uid, piece.text) }
/// let previous = try CalendarResources.join(piecesFromServer)  // for CalendarRequest.previous
/// ```
///
/// Each piece keeps the export's calendar properties (VERSION, PRODID, CALSCALE, NAME,
/// the patient marker and the rest), the VTIMEZONEs its event names in a TZID parameter,
/// and the one VEVENT. Order follows the export, so equal inputs give equal pieces.
public enum CalendarResources {
    /// One event of a calendar as its own iCalendar text (CRLF).
    public struct Piece: Sendable, Equatable {
        public var uid: String
        public var text: String
    }

    /// Cuts `text` (a whole calendar, e.g. `CalendarExporter.export`'s output) into one
    /// piece per VEVENT. Throws `CalendarError` when the text is not a VCALENDAR, an event
    /// has no UID or two events share one.
    public static func split(_ text: String) throws -> [Piece] {
        try LibicalSession.run {
            let root = try parse(text)
            let calendar = try root.pointer
            var zones: [String: OpaquePointer] = [:]
            var z = icalcomponent_get_first_component(calendar, ICAL_VTIMEZONE_COMPONENT)
            while let zone = z {
                if let p = icalcomponent_get_first_property(zone, ICAL_TZID_PROPERTY), let id = icalproperty_get_tzid(p) {
                    zones[String(cString: id)] = zone
                }
                z = icalcomponent_get_next_component(calendar, ICAL_VTIMEZONE_COMPONENT)
            }
            var pieces: [Piece] = []
            var seen: Set<String> = []
            var e = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT)
            while let event = e {
                guard let uidC = icalcomponent_get_uid(event) else { throw CalendarError.libical("an event has no UID") }
                let uid = String(cString: uidC)
                guard seen.insert(uid).inserted else { throw CalendarError.libical("two events share the UID \(uid)") }
                let piece = try shell(of: calendar)
                for id in zoneIDs(of: event) {
                    guard let zone = zones[id] else { continue }
                    try piece.adopt(try clone(zone))
                }
                try piece.adopt(try clone(event))
                pieces.append(Piece(uid: uid, text: try piece.serialized()))
                e = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)
            }
            return pieces
        }
    }

    /// Joins pieces (each a VCALENDAR) into one calendar: the first piece's calendar
    /// properties, each VTIMEZONE once (by TZID), then every VEVENT in the given order.
    /// Nil for no pieces. Throws `CalendarError` when a piece is not iCalendar text.
    public static func join(_ texts: [String]) throws -> String? {
        guard !texts.isEmpty else { return nil }
        return try LibicalSession.run {
            var result: ICalComponent?
            var zoneIDs: Set<String> = []
            var events: [ICalComponent] = []
            for text in texts {
                let root = try parse(text)
                let calendar = try root.pointer
                if result == nil { result = try shell(of: calendar) }
                var z = icalcomponent_get_first_component(calendar, ICAL_VTIMEZONE_COMPONENT)
                while let zone = z {
                    if let p = icalcomponent_get_first_property(zone, ICAL_TZID_PROPERTY), let id = icalproperty_get_tzid(p),
                       zoneIDs.insert(String(cString: id)).inserted {
                        try result?.adopt(try clone(zone))
                    }
                    z = icalcomponent_get_next_component(calendar, ICAL_VTIMEZONE_COMPONENT)
                }
                var e = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT)
                while let event = e {
                    events.append(try clone(event))
                    e = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)
                }
            }
            guard let result else { return nil }
            for event in events { try result.adopt(event) }
            return try result.serialized()
        }
    }

    private static func parse(_ text: String) throws -> ICalComponent {
        guard let raw = icalcomponent_new_from_string(text) else { throw CalendarError.notOurs("it is not iCalendar text") }
        let root = ICalComponent(adopting: raw)
        guard icalcomponent_isa(try root.pointer) == ICAL_VCALENDAR_COMPONENT else {
            throw CalendarError.notOurs("it is not a VCALENDAR")
        }
        return root
    }

    /// A new VCALENDAR with copies of `calendar`'s own properties and no components.
    private static func shell(of calendar: OpaquePointer) throws -> ICalComponent {
        guard let raw = icalcomponent_new_vcalendar() else { throw LibicalSession.lastError("making a VCALENDAR") }
        let shell = ICalComponent(adopting: raw)
        var p = icalcomponent_get_first_property(calendar, ICAL_ANY_PROPERTY)
        while let prop = p {
            try shell.add(icalproperty_new_clone(prop), "a calendar property")
            p = icalcomponent_get_next_property(calendar, ICAL_ANY_PROPERTY)
        }
        return shell
    }

    private static func clone(_ component: OpaquePointer) throws -> ICalComponent {
        guard let copy = icalcomponent_new_clone(component) else { throw LibicalSession.lastError("copying a component") }
        return ICalComponent(adopting: copy)
    }

    /// The TZID parameters used by `event`'s properties and those of its subcomponents, sorted.
    private static func zoneIDs(of event: OpaquePointer) -> [String] {
        var ids: Set<String> = []
        func scan(_ component: OpaquePointer) {
            var p = icalcomponent_get_first_property(component, ICAL_ANY_PROPERTY)
            while let prop = p {
                if let id = icalproperty_get_parameter_as_string(prop, "TZID") { ids.insert(String(cString: id)) }
                p = icalcomponent_get_next_property(component, ICAL_ANY_PROPERTY)
            }
            var c = icalcomponent_get_first_component(component, ICAL_ANY_COMPONENT)
            while let child = c {
                scan(child)
                c = icalcomponent_get_next_component(component, ICAL_ANY_COMPONENT)
            }
        }
        scan(event)
        return ids.sorted()
    }
}

extension CalendarResources {
    /// The patient id of a rehab calendar (its PRODID is rehab's and it names the patient),
    /// or nil for any other text.
    public static func rehabPatient(of text: String) -> String? {
        try? LibicalSession.run { () -> String? in
            guard let raw = icalcomponent_new_from_string(text) else { return nil }
            let root = ICalComponent(adopting: raw)
            let calendar = try root.pointer
            guard icalcomponent_isa(calendar) == ICAL_VCALENDAR_COMPONENT,
                  let prodProp = icalcomponent_get_first_property(calendar, ICAL_PRODID_PROPERTY),
                  let prod = icalproperty_get_prodid(prodProp), String(cString: prod) == PreviousExport.prodID else { return nil }
            var p = icalcomponent_get_first_property(calendar, ICAL_X_PROPERTY)
            while let prop = p {
                if let n = icalproperty_get_x_name(prop), String(cString: n) == PreviousExport.patientProperty,
                   let v = icalproperty_get_x(prop) { return String(cString: v) }
                p = icalcomponent_get_next_property(calendar, ICAL_X_PROPERTY)
            }
            return nil
        } ?? nil
    }
}
