import Foundation
import RehabKit
internal import CLibical

/// Owns one libical component tree and frees it exactly once.
///
/// A child handed to a parent (`adopt`) or a property added (`add`) belongs to the
/// parent from then on; only roots are freed. Not `Sendable`: libical is not thread-safe
/// and every use runs under `LibicalSession.run`.
final class ICalComponent {
    private var raw: OpaquePointer?

    init(adopting raw: OpaquePointer) { self.raw = raw }

    deinit { if let raw { icalcomponent_free(raw) } }

    /// The component, still owned by this wrapper.
    var pointer: OpaquePointer {
        get throws {
            guard let raw else { throw CalendarError.libical("a component was used after it was handed on") }
            return raw
        }
    }

    /// A deep copy with its own owner.
    func clone() throws -> ICalComponent {
        guard let copy = icalcomponent_new_clone(try pointer) else { throw LibicalSession.lastError("cloning a component") }
        return ICalComponent(adopting: copy)
    }

    /// Makes `child` part of this tree; `child` no longer frees it.
    func adopt(_ child: ICalComponent) throws {
        let parent = try pointer
        let c = try child.pointer
        child.raw = nil
        icalcomponent_add_component(parent, c)
    }

    /// Adds a freshly made property (nil means its constructor failed).
    func add(_ property: OpaquePointer?, _ what: String) throws {
        guard let property else { throw LibicalSession.lastError("making \(what)") }
        icalcomponent_add_property(try pointer, property)
    }

    /// Removes and frees every property of `kind`.
    func removeAll(_ kind: icalproperty_kind) throws {
        let c = try pointer
        while let p = icalcomponent_get_first_property(c, kind) {
            icalcomponent_remove_property(c, p)
            icalproperty_free(p)
        }
    }

    /// The component as iCalendar text (CRLF, folded by libical).
    func serialized() throws -> String {
        guard let text = icalcomponent_as_ical_string_r(try pointer) else { throw LibicalSession.lastError("writing iCalendar text") }
        defer { free(text) }
        return String(cString: text)
    }

    /// The text without DTSTAMP and SEQUENCE: what a client compares to see a change.
    func fingerprint() throws -> String {
        let copy = try clone()
        try copy.removeAll(ICAL_DTSTAMP_PROPERTY)
        try copy.removeAll(ICAL_SEQUENCE_PROPERTY)
        return try copy.serialized()
    }

    func setSequence(_ value: Int) throws {
        try removeAll(ICAL_SEQUENCE_PROPERTY)
        try add(icalproperty_new_sequence(Int32(clamping: value)), "SEQUENCE")
    }

    func setDTStamp(_ stamp: icaltimetype) throws {
        try removeAll(ICAL_DTSTAMP_PROPERTY)
        try add(icalproperty_new_dtstamp(stamp), "DTSTAMP")
    }
}

/// libical's process-wide state: one lock around every use, errors never fatal.
enum LibicalSession {
    private static let lock = NSLock()
    private static let configured: Bool = {
        icalerror_set_errors_are_fatal(0)
        return true
    }()

    /// Runs `body` with libical to itself.
    static func run<T>(_ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        _ = configured
        rehab_ical_clear_error()
        return try body()
    }

    /// libical's current error, as a Swift error naming what we were doing.
    static func lastError(_ doing: String) -> CalendarError {
        let message = rehab_ical_error_message().map { String(cString: $0) } ?? "unknown error"
        rehab_ical_clear_error()
        return CalendarError.libical("\(doing) failed: \(message)")
    }
}

/// Swift values to libical time values and back.
enum ICalTime {
    static func local(_ date: LocalDate, _ time: LocalTime) -> icaltimetype {
        let c = date.components
        return rehab_ical_local_time(Int32(c.year), Int32(c.month), Int32(c.day), Int32(time.hour), Int32(time.minute))
    }

    static func midnight(_ date: LocalDate) -> icaltimetype {
        let c = date.components
        return rehab_ical_local_time(Int32(c.year), Int32(c.month), Int32(c.day), 0, 0)
    }

    static func date(_ date: LocalDate) -> icaltimetype {
        let c = date.components
        return rehab_ical_date(Int32(c.year), Int32(c.month), Int32(c.day))
    }

    static func utc(_ instant: Date) -> icaltimetype {
        icaltime_from_timet_with_zone(time_t(instant.timeIntervalSince1970.rounded(.down)), 0, icaltimezone_get_utc_timezone())
    }

    /// The wall date of a libical time (nil for a null or impossible one).
    static func localDate(_ t: icaltimetype) -> LocalDate? {
        LocalDate(year: Int(t.year), month: Int(t.month), day: Int(t.day))
    }

    static func localTime(_ t: icaltimetype) -> LocalTime? {
        t.is_date != 0 ? nil : LocalTime(hour: Int(t.hour), minute: Int(t.minute))
    }
}
