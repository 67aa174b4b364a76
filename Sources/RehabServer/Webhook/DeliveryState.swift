import Foundation
#if canImport(Glibc)
import Glibc
#endif
import RehabCalendar
import RehabFormat

/// The webhook's memory of which alert ids the receiver has taken (a 2xx), so that a
/// restart sends nothing twice. May touch: its one state file (read through `PrivateFile`,
/// replaced atomically with mode 0600 by `AtomicFile`).
///
/// The file sits beside the clinician file (`<clinicians>.webhook-sent`), or beside the
/// webhook file when the server has no clinician file. It is JSON:
/// `{"version":1,"delivered":[{"id":"p-0001:halted:2026-12-01","at":"2026-12-01T08:31:02Z"}]}`.
/// It is rewritten after each delivery, before the next alert is sent. A crash between the
/// receiver's 2xx and that rewrite is the one way an alert can be sent twice.
public struct DeliveryState: Sendable, Equatable {
    /// Alert id -> when it was delivered.
    public private(set) var delivered: [String: Date] = [:]

    public init(delivered: [String: Date] = [:]) { self.delivered = delivered }

    /// The state file for a server: beside `clinicians` when given, else beside `webhookFile`.
    public static func file(clinicians: String?, webhookFile: String) -> URL {
        URL(fileURLWithPath: (clinicians ?? webhookFile) + ".webhook-sent")
    }

    /// Why the state file cannot be used (the message names no patient).
    public struct Failure: Error, Sendable, Equatable {
        public var message: String
        public var invalidInput: Bool
    }

    /// The state in `file`; empty when there is no file yet.
    public static func load(_ file: URL) throws(Failure) -> DeliveryState {
        let opened: PrivateFile.Opened
        switch PrivateFile.openFile(file.path, O_RDONLY) {
        case .success(let o): opened = o
        case .failure(.missing): return DeliveryState()
        case .failure(let refusal): throw Failure(message: refusal.message, invalidInput: refusal.isInvalidInput)
        }
        defer { close(opened.fd) }
        guard case .success(let bytes) = PrivateFile.readAll(opened.fd, limit: 64 << 20) else {
            throw Failure(message: "cannot read it", invalidInput: false)
        }
        guard let state = decode(Data(bytes)) else {
            throw Failure(message: "it is not a webhook state file (or is damaged); move it aside to start afresh, and every alert in force is sent once more",
                          invalidInput: true)
        }
        return state
    }

    /// Replaces `file` atomically (0600, made durable).
    public func save(_ file: URL) throws {
        try AtomicFile.write(encode(), to: file.path)
    }

    public func contains(_ id: String) -> Bool { delivered[id] != nil }

    public mutating func record(_ id: String, at date: Date) { delivered[id] = date }

    /// Forgets ids delivered before `cutoff` that are no longer in force, so the file does
    /// not grow for ever. An alert forgotten so and in force again later is sent again.
    public mutating func forget(deliveredBefore cutoff: Date, except inForce: Set<String>) {
        delivered = delivered.filter { $0.value >= cutoff || inForce.contains($0.key) }
    }

    func encode() -> Data {
        let entries = delivered.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map { id, at in
            OrderedJSON.object([("id", .string(id)), ("at", .string(Self.stamp().string(from: at)))])
        }
        let json = OrderedJSON.object([("version", .int(1)), ("delivered", .array(entries))])
        return Data(json.rendered(pretty: true).utf8)
    }

    static func decode(_ data: Data) -> DeliveryState? {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              object["version"] as? Int == 1, let list = object["delivered"] as? [[String: Any]] else { return nil }
        var state = DeliveryState()
        for entry in list {
            guard let id = entry["id"] as? String, let text = entry["at"] as? String,
                  let at = stamp().date(from: text) else { return nil }
            state.delivered[id] = at
        }
        return state
    }

    /// A new formatter each time: the file is read once and written once per delivery.
    private static func stamp() -> ISO8601DateFormatter {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f
    }
}
