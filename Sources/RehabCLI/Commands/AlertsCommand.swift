import ArgumentParser
import Foundation
import RehabFormat
import RehabKit

/// `rehab alerts DIR [--as-of DATE] [--format text|json]`: every patient under DIR with an
/// alert, most urgent first (SPEC.md, "Alerts"). A patient file that cannot be planned is
/// listed as failed (and as halted when a readable log line after the last clearance has a
/// halting flag), never skipped.
struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "List the patients under a folder who need a clinician's attention, most urgent first."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "A folder of patient files (searched recursively).") var folder: String
    @Option(name: .customLong("as-of"), help: "YYYY-MM-DD; default each patient's own today.") var asOf: String?
    @Option(help: "text or json.") var format: Format = .text

    struct Row {
        var patient: String
        var program: String?
        var stage: String?
        var status: String
        var asOf: LocalDate?
        var alerts: [Alert]
        var file: String
    }

    func run() throws {
        let fixed: LocalDate?
        if let asOf {
            guard let d = LocalDate(iso: asOf) else {
                throw CLIError(.usage, "rehab alerts: error: --as-of \(asOf.prefix(30)): write the date as YYYY-MM-DD")
            }
            fixed = d
        } else {
            fixed = nil
        }
        var rows: [Row] = []
        for relative in try BatchFinder.candidates(in: folder) {
            let path = folder + "/" + relative
            if let row = try Self.row(path: path, relative: relative, asOf: fixed) { rows.append(row) }
        }
        rows = rows.filter { !$0.alerts.isEmpty || $0.status == "failed" }
        rows.sort { a, b in
            let ka = a.alerts.first?.kind.urgency ?? Int.max, kb = b.alerts.first?.kind.urgency ?? Int.max
            if ka != kb { return ka < kb }
            let sa = a.alerts.first?.since, sb = b.alerts.first?.since
            if sa != sb { return (sa ?? LocalDate(year: 9999, month: 12, day: 31)!) < (sb ?? LocalDate(year: 9999, month: 12, day: 31)!) }
            return a.patient < b.patient
        }
        switch format {
        case .json: print(Self.json(rows, asOf: fixed).rendered(layout: PlanJSON.layout), terminator: "")
        case .text: print(Self.text(rows, asOf: fixed), terminator: "")
        }
    }

    /// One patient file's row; nil for a program or library file among the candidates.
    static func row(path: String, relative: String, asOf fixed: LocalDate?) throws -> Row? {
        do {
            let context = try PatientContext.load(path)
            let date = try fixed ?? context.asOfDate(nil)
            let log = try context.readLog()
            let plan = context.plan(asOf: date, days: 1, log: log)
            return Row(patient: plan.patient, program: plan.program, stage: plan.stage, status: plan.status.rawValue,
                       asOf: date, alerts: plan.alerts, file: relative)
        } catch {
            guard let text = try? SourceFile.read(path: path), text.contains("surgery_date") else { return nil }
            // A patient file that cannot be planned: failed, and halted when a warning sign
            // stands in what can still be read of its log.
            let id = relative.split(separator: "/").last.map { String($0.split(separator: ".").first ?? "") } ?? relative
            var alerts: [Alert] = []
            let logURL = PainLogStore.logURL(forPatientFile: URL(fileURLWithPath: path))
            if let bytes = readQuietly(logURL.path) {
                var halt: PainReport?
                for entry in PainLog.readableEntries(bytes).sorted(by: { $0.at < $1.at }) {
                    switch entry {
                    case .report(let r) where r.flags.contains(where: \.halts): if halt == nil { halt = r }
                    case .resume: halt = nil
                    default: break
                    }
                }
                if let halt {
                    alerts.append(Alert(kind: .halted, since: halt.at.date,
                                        text: "A warning sign was reported on \(halt.at.date); the patient's files cannot be planned."))
                }
            }
            return Row(patient: id, program: nil, stage: nil, status: "failed", asOf: fixed, alerts: alerts, file: relative)
        }
    }

    /// A patient's log read as what it must be: no symlinks, a regular file, never waited on.
    static func readQuietly(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size < 64 << 20 else { return nil }
        let size = Int(info.st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let offset = done
            let n = bytes.withUnsafeMutableBytes { buffer in read(fd, buffer.baseAddress.map { $0 + offset }, size - offset) }
            if n <= 0 { break }
            done += n
        }
        return Array(bytes[..<done])
    }

    static func json(_ rows: [Row], asOf: LocalDate?) -> OrderedJSON {
        .object([
            ("schema", .int(1)),
            ("as_of", asOf.map { .string($0.description) } ?? .null),
            ("patients", .array(rows.map { row in
                var members: [(String, OrderedJSON)] = [
                    ("patient", .string(row.patient)),
                    ("program", .string(row.program)),
                    ("stage", .string(row.stage)),
                    ("status", .string(row.status)),
                ]
                if asOf == nil { members.append(("as_of", row.asOf.map { .string($0.description) } ?? .null)) }
                members.append(("alerts", .array(row.alerts.map(PlanJSON.alert))))
                members.append(("file", .string(row.file)))
                return .object(members)
            })),
        ])
    }

    static func text(_ rows: [Row], asOf: LocalDate?) -> String {
        guard !rows.isEmpty else { return "No alerts.\n" }
        var out = ""
        for row in rows {
            out += "\(row.patient)  \(row.status)" + (row.stage.map { ", stage \($0)" } ?? "") + "  (\(row.file))\n"
            if row.status == "failed" { out += "  failed: the patient's files cannot be planned; run `rehab validate` on them\n" }
            for a in row.alerts {
                out += "  \(a.kind.rawValue) since \(a.since)" + (a.exercise.map { " [\($0)]" } ?? "") + ": \(a.text)\n"
            }
        }
        return out
    }
}
