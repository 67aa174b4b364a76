import Foundation
import RehabCalendar

/// Publishes a patient's calendar to a CalDAV collection, one resource per event.
///
/// 1. `PROPFIND` (Depth 0) on the collection; `MKCALENDAR` when it is missing.
/// 2. `PROPFIND` (Depth 1) for the resources and their ETags, then `GET` each.
/// 3. The resources this patient's earlier publishes wrote are joined into one calendar
///    and handed to `build` as the earlier export, so UIDs stay, SEQUENCE rises on
///    changed events and vanished future sessions come back as `STATUS:CANCELLED`
///    (exactly as `rehab export` updates a file).
/// 4. Each event is `PUT` as `<UID>.ics` (`If-None-Match: *` when new, `If-Match` with
///    the server's ETag when changed); an event whose content (all but DTSTAMP and
///    SEQUENCE, in any property order) is unchanged is left alone. A resource of ours the new calendar no longer has is
///    deleted (with `If-Match`). Resources other programs wrote are left untouched.
public struct CalDAVPublisher: Sendable {
    /// What a publish changed.
    public struct Summary: Sendable, Equatable, CustomStringConvertible {
        public var createdCalendar = false
        public var created = 0
        public var updated = 0
        public var cancelled = 0
        public var unchanged = 0
        public var deleted = 0
        /// Resources in the collection that rehab did not write (left alone).
        public var foreign = 0

        public var description: String {
            var text = "\(created) created, \(updated) updated, \(cancelled) cancelled, \(unchanged) unchanged"
            if deleted > 0 { text += ", \(deleted) deleted" }
            if foreign > 0 { text += "; \(foreign) resource\(foreign == 1 ? "" : "s") rehab did not write left alone" }
            return text
        }
    }

    /// The collection holds something that is not this patient's rehab calendar.
    public struct Refusal: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public let client: CalDAVClient
    /// The calendar collection, ending in `/`.
    public let collection: URL

    public init(client: CalDAVClient, collection: URL) {
        self.client = client
        let text = collection.absoluteString
        self.collection = text.hasSuffix("/") ? collection : URL(string: text + "/") ?? collection
    }

    var where_: String { CalDAVClient.display(collection) }

    /// Publishes. `build` gets the earlier calendar joined from the server (nil when the
    /// collection has none of this patient's events) and returns the whole new calendar.
    public func publish(patient: String, displayName: String, build: (String?) throws -> String) throws -> Summary {
        var summary = Summary()
        summary.createdCalendar = try ensureCalendar(displayName: displayName)
        let existing = summary.createdCalendar ? [] : try listEvents()
        var ours: [String: Stored] = [:]
        for item in existing {
            guard let owner = CalendarResources.rehabPatient(of: item.text) else { summary.foreign += 1; continue }
            guard owner == patient else {
                throw Refusal(description: "\(where_) holds the calendar of another patient; give each patient a calendar of their own")
            }
            guard let uid = (try? CalendarResources.split(item.text))?.first?.uid else { summary.foreign += 1; continue }
            ours[uid] = item
        }
        let previous = try CalendarResources.join(ours.keys.sorted().compactMap { ours[$0]?.text })
        let pieces = try CalendarResources.split(try build(previous))

        var written: Set<String> = []
        for piece in pieces {
            written.insert(piece.uid)
            if let old = ours[piece.uid] {
                if Self.fingerprint(old.text) == Self.fingerprint(piece.text) { summary.unchanged += 1; continue }
                var headers = ["Content-Type": "text/calendar; charset=utf-8"]
                if let etag = old.etag { headers["If-Match"] = etag }
                try put(piece, to: old.url, headers: headers, doing: "updating event \(piece.uid)")
                if Self.isCancelled(piece.text) && !Self.isCancelled(old.text) { summary.cancelled += 1 } else { summary.updated += 1 }
            } else {
                let url = collection.appendingPathComponent(Self.resourceName(piece.uid))
                try put(piece, to: url, headers: ["Content-Type": "text/calendar; charset=utf-8", "If-None-Match": "*"],
                        doing: "creating event \(piece.uid)")
                if Self.isCancelled(piece.text) { summary.cancelled += 1 } else { summary.created += 1 }
            }
        }
        for uid in ours.keys.sorted() where !written.contains(uid) {
            guard let old = ours[uid] else { continue }
            var headers: [String: String] = [:]
            if let etag = old.etag { headers["If-Match"] = etag }
            let reply = try client.send("DELETE", old.url, headers: headers, doing: "deleting event \(uid)")
            guard [200, 204, 404].contains(reply.status) else { throw failure(reply, old.url, "deleting event \(uid)") }
            summary.deleted += 1
        }
        return summary
    }

    /// A resource on the server.
    struct Stored {
        var url: URL
        var etag: String?
        var text: String
    }

    /// True when the calendar was made now.
    func ensureCalendar(displayName: String) throws -> Bool {
        let doing = "looking up the calendar"
        let body = """
        <?xml version="1.0" encoding="utf-8"?>
        <d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/></d:prop></d:propfind>
        """
        let reply = try client.send("PROPFIND", collection, headers: ["Depth": "0", "Content-Type": "application/xml; charset=utf-8"],
                                    body: Data(body.utf8), doing: doing)
        if reply.status == 207 {
            guard let entries = MultiStatus.parse(reply.body), let entry = entries.first else {
                throw failure(reply, collection, doing + " (the answer could not be read)")
            }
            guard entry.isCalendar else {
                throw Refusal(description: "\(where_) exists but is not a calendar; give the address of a calendar, or a new address to create one")
            }
            return false
        }
        guard reply.status == 404 else { throw failure(reply, collection, doing) }
        let make = """
        <?xml version="1.0" encoding="utf-8"?>
        <c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop>
        <d:displayname>\(Self.xmlEscape(displayName))</d:displayname>
        <c:supported-calendar-component-set><c:comp name="VEVENT"/></c:supported-calendar-component-set>
        </d:prop></d:set></c:mkcalendar>
        """
        let made = try client.send("MKCALENDAR", collection, headers: ["Content-Type": "application/xml; charset=utf-8"],
                                   body: Data(make.utf8), doing: "creating the calendar")
        guard made.status == 201 || made.status == 200 else { throw failure(made, collection, "creating the calendar") }
        return true
    }

    /// Every non-collection resource in the calendar, read with GET.
    func listEvents() throws -> [Stored] {
        let doing = "listing the calendar"
        let body = """
        <?xml version="1.0" encoding="utf-8"?>
        <d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/><d:getetag/></d:prop></d:propfind>
        """
        let reply = try client.send("PROPFIND", collection, headers: ["Depth": "1", "Content-Type": "application/xml; charset=utf-8"],
                                    body: Data(body.utf8), doing: doing)
        guard reply.status == 207, let entries = MultiStatus.parse(reply.body) else { throw failure(reply, collection, doing) }
        var stored: [Stored] = []
        for entry in entries where !entry.isCollection {
            guard let url = URL(string: entry.href, relativeTo: collection)?.absoluteURL else { continue }
            let got = try client.send("GET", url, doing: "reading an event")
            guard got.status == 200 else { throw failure(got, url, "reading an event") }
            stored.append(Stored(url: url, etag: got.headers["etag"] ?? entry.etag, text: got.text))
        }
        return stored
    }

    func put(_ piece: CalendarResources.Piece, to url: URL, headers: [String: String], doing: String) throws {
        let reply = try client.send("PUT", url, headers: headers, body: Data(piece.text.utf8), doing: doing)
        guard [200, 201, 204].contains(reply.status) else { throw failure(reply, url, doing) }
    }

    func failure(_ reply: CalDAVClient.Reply, _ url: URL, _ doing: String) -> CalDAVClient.Failure {
        CalDAVClient.Failure(doing: doing, url: CalDAVClient.display(url), status: reply.status, detail: "")
    }

    /// `<UID>.ics` with everything but unreserved characters and `@` percent-encoded.
    static func resourceName(_ uid: String) -> String {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~@")
        allowed.remove(charactersIn: "/")
        return (uid.addingPercentEncoding(withAllowedCharacters: allowed) ?? "event") + ".ics"
    }

    /// The VEVENT's unfolded lines without DTSTAMP and SEQUENCE, each prefixed with the
    /// components it sits in, sorted: equal when a client would see no change. Sorted
    /// because servers may store the properties in another order (Radicale does).
    /// SEQUENCE is left out because the export raises it when the stored order differs;
    /// an event equal in everything else is not sent again and keeps the server's SEQUENCE.
    static func fingerprint(_ text: String) -> [String] {
        var path: [String] = []
        var lines: [String] = []
        for line in ContentLines.unfolded(text) {
            if line.hasPrefix("BEGIN:") { path.append(String(line.dropFirst(6))); continue }
            if line.hasPrefix("END:") { _ = path.popLast(); continue }
            guard path.count >= 2, path[1] == "VEVENT" else { continue }
            if path.count == 2, line.hasPrefix("DTSTAMP") || line.hasPrefix("SEQUENCE") { continue }
            lines.append(path.joined(separator: "/") + "|" + line)
        }
        return lines.sorted()
    }

    static func isCancelled(_ text: String) -> Bool {
        var depth = 0
        for line in ContentLines.unfolded(text) {
            if line.hasPrefix("BEGIN:") { depth += 1 } else if line.hasPrefix("END:") { depth -= 1 }
            if depth == 2, line == "STATUS:CANCELLED" { return true }
        }
        return false
    }


    static func xmlEscape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
