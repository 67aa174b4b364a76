import RehabFormat
import RehabKit
import RehabPages

/// The `rehab alerts` document, shared by the command and `GET /clinic/alerts.json`, so
/// both print the same bytes for the same rows: the patients that need a clinician (an
/// alert, or files that cannot be planned) in the order given, most urgent first.
public enum AlertsDocument {
    /// The rows that belong in the document: those with an alert, and failed ones.
    public static func rows(_ summaries: [PatientSummary]) -> [PatientSummary] {
        summaries.filter { !$0.alerts.isEmpty || $0.isFailed }
    }

    /// The JSON text (schema 1): `as_of` is the date every patient was planned for, or null
    /// when each was planned as of its own today (then each entry carries its `as_of`).
    /// Rows without an alert that did not fail are left out.
    public static func json(_ rows: [PatientSummary], asOf: LocalDate?) -> String {
        document(Self.rows(rows), asOf: asOf).rendered(layout: PlanJSON.layout)
    }

    static func document(_ rows: [PatientSummary], asOf: LocalDate?) -> OrderedJSON {
        .object([
            ("schema", .int(1)),
            ("as_of", asOf.map { .string($0.description) } ?? .null),
            ("patients", .array(rows.map { row in
                var members: [(String, OrderedJSON)] = [
                    ("patient", .string(row.id)),
                    ("program", .string(row.program)),
                    ("stage", .string(row.stage)),
                    ("status", .string(row.status)),
                ]
                if asOf == nil { members.append(("as_of", row.asOf.map { .string($0.description) } ?? .null)) }
                members.append(("alerts", .array(row.alerts.map(PlanJSON.alert))))
                members.append(("file", .string(row.relativePath)))
                return .object(members)
            })),
        ])
    }
}
