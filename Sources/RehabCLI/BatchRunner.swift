import Foundation
import RehabFormat
import RehabKit

/// Plans and writes every patient file of a batch, in parallel, one patient at a time per
/// worker: nothing of a patient is kept once its files are written but its `BatchOutcome`.
///
/// Workers pull the next file index from a shared counter, so a slow patient never holds
/// up the others. libical calls are serialized by the calendar layer's own lock.
final class BatchRunner: @unchecked Sendable {
    enum Format: String, Sendable { case ics, json, both }

    struct Settings: Sendable {
        /// The batch folder as given; patient paths are `folder/relative`.
        var folder: String
        var out: String
        var asOf: LocalDate?
        var days: Int
        var format: Format
        /// "Now", read once, for each patient's own today when `asOf` is nil.
        var now: Date
        var catalog: Catalog
    }

    private let settings: Settings
    private let files: [String]
    private let lock = NSLock()
    private var next = 0
    private var outcomes: [BatchOutcome?]
    /// Patient id -> indices of the files that claimed it (normally one).
    private var claims: [String: [Int]] = [:]

    init(settings: Settings, files: [String]) {
        self.settings = settings
        self.files = files
        outcomes = Array(repeating: nil, count: files.count)
    }

    /// Runs `jobs` workers over every file; outcomes in file order.
    func run(jobs: Int) -> [BatchOutcome] {
        let workers = max(1, min(jobs, files.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let index = take() {
                let outcome = process(index)
                lock.withLock { outcomes[index] = outcome }
            }
        }
        var result = outcomes.enumerated().map { i, o in
            o ?? BatchOutcome(file: files[i], id: nil, status: .failed, error: "internal error: not processed")
        }
        // Two files with one id would write the same outputs: none of them counts as done.
        for (id, indices) in claims where indices.count > 1 {
            let names = indices.sorted().map { files[$0] }
            for i in indices {
                result[i].status = .failed
                result[i].flags = []
                result[i].error = "patient id \(id) is used by \(names.count) files (\(names.joined(separator: ", "))); "
                    + "give each patient its own id. \(id).* in the output folder comes from one of them only"
            }
        }
        return result
    }

    private func take() -> Int? {
        lock.withLock {
            guard next < files.count else { return nil }
            defer { next += 1 }
            return next
        }
    }

    /// Reads, plans and writes one patient file.
    private func process(_ index: Int) -> BatchOutcome {
        let relative = files[index]
        let path = (settings.folder as NSString).appendingPathComponent(relative)
        func failed(_ reason: String, id: String? = nil, output: Bool = false) -> BatchOutcome {
            BatchOutcome(file: relative, id: id, status: .failed, error: reason, outputFailed: output)
        }
        let text: String
        do {
            text = try SourceFile.read(path: path)
        } catch {
            return failed(Self.headline(error.diagnostic))
        }
        let context: PatientContext
        do {
            context = try PatientContext.resolve(text: text, path: path, catalog: settings.catalog)
        } catch {
            let kind = FileValidator.parse(text: text, file: path).kind
            if kind == .program || kind == .library {
                return BatchOutcome(file: relative, id: nil, status: .skipped)
            }
            return failed(error.diagnostics.map(Self.headline).joined(separator: "\n"))
        }
        let id = context.patient.id
        lock.withLock { claims[id, default: []].append(index) }
        let log: PainLog
        do {
            log = try context.readLog()
        } catch let error as CLIError {
            return failed(error.message, id: id)
        } catch {
            return failed("\(path): error: [pain-log] cannot read the pain log", id: id)
        }
        let asOf = settings.asOf ?? LocalDateTime.at(settings.now, in: context.zone).date
        let plan = context.plan(asOf: asOf, days: settings.days, log: log)
        let base = (settings.out as NSString).appendingPathComponent(id)
        do {
            // Render everything first: a refused calendar leaves both files untouched.
            let calendar = settings.format == .json ? nil
                : try ExportCommand.calendarText(plan, context: context, patientFile: path, over: base + ".ics").text
            if settings.format != .ics {
                try ExportCommand.write(bytes: PlanJSON.encodeUTF8(plan, library: context.library, zone: context.zone),
                                        to: base + ".json", durable: false, sweep: false)
            }
            if let calendar { try ExportCommand.write(calendar, to: base + ".ics", durable: false, sweep: false) }
        } catch {
            return failed(error.message, id: id, output: error.code == .io)
        }
        return BatchOutcome(file: relative, id: id, status: plan.halt == nil ? .planned : .halted,
                            asOf: asOf.description, flags: plan.halt?.flags.map(\.rawValue) ?? [])
    }

    /// A diagnostic's first line: where and what, without the source line (which could
    /// hold anything the file holds).
    static func headline(_ d: Diagnostic) -> String {
        d.line > 0 ? "\(d.file):\(d.line):\(d.column): error: [\(d.category)] \(d.message)"
            : "\(d.file): error: [\(d.category)] \(d.message)"
    }
}
