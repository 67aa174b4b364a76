import Foundation
import RehabKit

/// One line of the pain log: JSON on a single line, keys always in the same order, so a
/// person can read the file and `diff` two copies.
///
/// ```
/// {"version":1,"patient":"p-0001"}
/// {"at":"2026-11-20T08:30","when":"after","pain":3,"exercise":"walking","flags":[],"note":null}
/// {"at":"2026-11-21T10:00","resume":{"cleared_by":"Dr Weber"}}
/// {"at":"2026-12-03T09:10","approve":{"by":"Dr Weber","exercise":"nerve-glide","rung":{"reps":10,"variant":"nerve-glide-tensioner"}}}
/// {"at":"2026-12-03T09:12","approve":{"by":"Dr Weber","stage":"load"}}
/// ```
/// The first line is the header; every later line is a report, a resume or an approval. See
/// docs/pain-log.md.
public enum PainLogLine {
    /// The only format version this build reads and writes.
    public static let version = 1

    /// The header line (without the newline) for a patient's new log.
    public static func header(patient: String) -> String {
        OrderedJSON.object([("version", .int(version)), ("patient", .string(patient))]).rendered(pretty: false)
    }

    /// One entry as a line, without the newline.
    public static func encode(_ entry: LogEntry) -> String {
        switch entry {
        case .report(let r):
            return OrderedJSON.object([
                ("at", .string(r.at.description)),
                ("when", .string(r.when.rawValue)),
                ("pain", .int(r.pain)),
                ("exercise", .string(r.exercise)),
                ("flags", .array(r.flags.map { .string($0.rawValue) })),
                ("note", .string(r.note)),
            ]).rendered(pretty: false)
        case .resume(let r):
            return OrderedJSON.object([
                ("at", .string(r.at.description)),
                ("resume", .object([("cleared_by", .string(r.clearedBy))])),
            ]).rendered(pretty: false)
        case .approval(let a):
            var inner: [(String, OrderedJSON)] = [("by", .string(a.by))]
            switch a.target {
            case .exercise(let id):
                inner.append(("exercise", .string(id)))
                inner.append(("rung", a.rung.map(doseJSON) ?? .null))
            case .stage(let id): inner.append(("stage", .string(id)))
            }
            return OrderedJSON.object([("at", .string(a.at.description)), ("approve", .object(inner))]).rendered(pretty: false)
        }
    }

    /// A rung as the log writes it: its components and variant, in a fixed order.
    /// (The plan JSON's own form of a dose: the log must read the same.)
    static func doseJSON(_ dose: Dose) -> OrderedJSON { PlanJSON.dose(dose) }

    /// Reads an `approve` object.
    static func approval(_ value: Value, at: LocalDateTime) throws(LineProblem) -> Approval {
        guard case .object(let inner) = value else { throw LineProblem("\"approve\" must be an object") }
        try onlyKeys(inner, ["by", "exercise", "stage", "rung"])
        guard case .string(let by)? = inner["by"], !by.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw LineProblem("an approval needs \"by\": who approved")
        }
        let exercise = try optionalString(inner, "exercise")
        let stage = try optionalString(inner, "stage")
        switch (exercise, stage) {
        case (let id?, nil):
            var rung: Dose?
            switch inner["rung"] {
            case nil, .null?: break
            case .object(let parts)?:
                try onlyKeys(parts, ["sets", "reps", "hold_seconds", "minutes", "variant"])
                func amount(_ key: String) throws(LineProblem) -> Int? {
                    switch parts[key] {
                    case nil, .null?: return nil
                    case .number(let v)? where v == v.rounded() && v >= 0 && v <= 1_000_000: return Int(v)
                    default: throw LineProblem("\"rung\" amounts must be whole numbers")
                    }
                }
                rung = Dose(sets: try amount("sets"), reps: try amount("reps"), holdSeconds: try amount("hold_seconds"),
                            minutes: try amount("minutes"), variant: try optionalString(parts, "variant"))
            default: throw LineProblem("\"rung\" must be an object")
            }
            return Approval(at: at, by: by, target: .exercise(id), rung: rung)
        case (nil, let id?):
            if inner["rung"] != nil { throw LineProblem("a stage approval has no \"rung\"") }
            return Approval(at: at, by: by, target: .stage(id))
        default:
            throw LineProblem("an approval names either \"exercise\" or \"stage\"")
        }
    }

    /// Reads the header line; returns the patient id. Throws a message (no position).
    static func decodeHeader(_ line: Substring) throws(LineProblem) -> String {
        let fields = try object(line)
        guard case .number(let v)? = fields["version"] else {
            throw LineProblem("the first line must be the header {\"version\":1,\"patient\":\"ID\"}")
        }
        guard v == Double(version) else {
            throw LineProblem("this log is format version \(formatted(v)); this rehab reads version \(version) only")
        }
        try onlyKeys(fields, ["version", "patient"])
        guard case .string(let patient)? = fields["patient"], !patient.isEmpty else {
            throw LineProblem("the header needs \"patient\": the patient id")
        }
        return patient
    }

    /// Reads one entry line. Throws a message (no position) that never quotes the line.
    static func decode(_ line: Substring) throws(LineProblem) -> LogEntry {
        // A report as `encode` writes it, read without building the fields first.
        if let report = PainLogFastLine.report(line) { return .report(report) }
        return try decodeFields(line)
    }

    /// `decode` without the shortcut: the rules every line is judged by.
    static func decodeFields(_ line: Substring) throws(LineProblem) -> LogEntry {
        let fields = try object(line)
        guard case .string(let atText)? = fields["at"] else { throw LineProblem("missing \"at\" (YYYY-MM-DDTHH:MM)") }
        guard atText.utf8.count == 16, let at = LocalDateTime(iso: atText) else {
            throw LineProblem("\"at\" must be a local date and time YYYY-MM-DDTHH:MM")
        }
        if let resume = fields["resume"] {
            try onlyKeys(fields, ["at", "resume"])
            guard case .object(let inner) = resume else { throw LineProblem("\"resume\" must be an object") }
            try onlyKeys(inner, ["cleared_by"])
            guard case .string(let by)? = inner["cleared_by"], !by.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw LineProblem("a resume needs \"cleared_by\": who cleared the patient")
            }
            return .resume(Resume(at: at, clearedBy: by))
        }
        if let approve = fields["approve"] {
            try onlyKeys(fields, ["at", "approve"])
            return .approval(try approval(approve, at: at))
        }
        try onlyKeys(fields, ["at", "when", "pain", "exercise", "flags", "note"])
        guard case .string(let whenText)? = fields["when"], let when = ReportTiming(rawValue: whenText) else {
            throw LineProblem("\"when\" must be one of during, after, next-morning")
        }
        var flags: [RedFlag] = []
        switch fields["flags"] {
        case nil, .null?: break
        case .array(let items)?:
            for item in items {
                guard case .string(let name) = item, let flag = RedFlag(rawValue: name) else {
                    throw LineProblem("\"flags\" holds an unknown flag; known: \(RedFlag.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                flags.append(flag)
            }
        default: throw LineProblem("\"flags\" must be a list of flag names")
        }
        var pain: Int?
        switch fields["pain"] {
        case nil, .null?:
            guard flags.contains(where: \.halts) else {
                throw LineProblem("\"pain\" is missing; only a report with a halting flag may leave it out")
            }
        case .number(let v)?:
            guard v == v.rounded(), (0...10).contains(v) else { throw LineProblem("\"pain\" must be a whole number from 0 to 10") }
            pain = Int(v)
        default: throw LineProblem("\"pain\" must be a whole number from 0 to 10")
        }
        let exercise = try optionalString(fields, "exercise")
        let note = try optionalString(fields, "note")
        return .report(PainReport(at: at, pain: pain, when: when, exercise: exercise, flags: flags, note: note))
    }

    // MARK: - Parsing helpers

    struct LineProblem: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    /// Just enough JSON to read a log line; numbers as Double.
    enum Value: Decodable, Equatable {
        case null, bool(Bool), number(Double), string(String), array([Value]), object([String: Value])

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { self = .null }
            else if let b = try? c.decode(Bool.self) { self = .bool(b) }
            else if let n = try? c.decode(Double.self) { self = .number(n) }
            else if let s = try? c.decode(String.self) { self = .string(s) }
            else if let a = try? c.decode([Value].self) { self = .array(a) }
            else { self = .object(try c.decode([String: Value].self)) }
        }
    }

    private static func object(_ line: Substring) throws(LineProblem) -> [String: Value] {
        guard line.first == "{" else { throw LineProblem("not a JSON object on one line (a damaged or hand-edited line)") }
        // Lines as `rehab log` writes them; anything unusual goes to the full decoder.
        if let fields = PainLogFastLine.object(line) { return fields }
        return try decodedObject(line)
    }

    /// The line read by `JSONDecoder`: the reference for every line.
    static func decodedObject(_ line: Substring) throws(LineProblem) -> [String: Value] {
        let value: Value
        do { value = try JSONDecoder().decode(Value.self, from: Data(line.utf8)) } catch {
            throw LineProblem("not valid JSON (a damaged or hand-edited line)")
        }
        guard case .object(let fields) = value else { throw LineProblem("not a JSON object") }
        return fields
    }

    private static func onlyKeys(_ fields: [String: Value], _ allowed: Set<String>) throws(LineProblem) {
        guard !fields.keys.allSatisfy(allowed.contains) else { return }
        if let extra = fields.keys.sorted().first(where: { !allowed.contains($0) }) {
            // Name the key only when it looks like one: the line may hold a patient's note.
            let plain = extra.utf8.count <= 20 && extra.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || $0 == 95 }
            throw LineProblem((plain ? "unknown key \"\(extra)\"" : "an unknown key")
                              + "; a line holds only \(allowed.sorted().joined(separator: ", "))")
        }
    }

    private static func optionalString(_ fields: [String: Value], _ key: String) throws(LineProblem) -> String? {
        switch fields[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        default: throw LineProblem("\"\(key)\" must be text or null")
        }
    }

    private static func formatted(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
    }
}
