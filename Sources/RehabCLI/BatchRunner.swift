import Foundation
import RehabFormat
import RehabKit

/// Plans and writes every patient file of a batch, in parallel, one patient at a time per
/// worker: nothing of a patient is kept once its files are written but its `BatchOutcome`.
///
/// Two passes, each spread over the workers: the first reads every patient file for its id
/// (so that two files claiming one id are both failed before either writes anything), the
/// second reads it again with its pain log, plans and writes. Only the ids are kept between
/// the passes, so memory stays flat however many patients there are; the second reading
/// costs about 7% of a patient's time. Workers pull the next file index from a
/// shared counter, so a slow patient never holds up the others. libical calls are
/// serialized by the calendar layer's own lock.
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

    /// A patient file after the first pass: its patient id, or already decided.
    private enum Read {
        case ready(id: String)
        case done(BatchOutcome)
    }

    private let settings: Settings
    private let files: [String]
    private let lock = NSLock()
    private var next = 0
    private var read: [Read?]
    private var outcomes: [BatchOutcome?]

    init(settings: Settings, files: [String]) {
        self.settings = settings
        self.files = files
        read = Array(repeating: nil, count: files.count)
        outcomes = Array(repeating: nil, count: files.count)
    }

    /// Runs `jobs` workers over every file; outcomes in file order.
    func run(jobs: Int) -> [BatchOutcome] {
        let workers = max(1, min(jobs, files.count))
        each(workers) { index in
            let result: Read
            switch self.readPatient(index) {
            case .success(let context): result = .ready(id: context.patient.id)
            case .failure(let outcome): result = .done(outcome.outcome)
            }
            self.lock.withLock { self.read[index] = result }
        }
        // Two files with one id would write the same outputs: neither is planned or written.
        var claims: [String: [Int]] = [:]
        for (index, entry) in read.enumerated() {
            if case .ready(let id)? = entry { claims[id, default: []].append(index) }
        }
        for (id, indices) in claims where indices.count > 1 {
            let names = indices.map { files[$0] }
            for i in indices {
                read[i] = .done(BatchOutcome(
                    file: files[i], id: id, status: .failed,
                    error: "patient id \(id) is used by \(names.count) files (\(names.joined(separator: ", "))); "
                        + "give each patient its own id. Nothing was written for \(id)"))
            }
        }
        each(workers) { index in
            let outcome: BatchOutcome
            switch self.read[index] {
            case .ready(let id)?:
                switch self.readPatient(index) {
                case .success(let context) where context.patient.id == id:
                    outcome = self.planAndWrite(index, context: context)
                case .success:
                    outcome = BatchOutcome(file: self.files[index], id: id, status: .failed,
                                           error: "the patient file's id changed while the batch ran; run the batch again")
                case .failure(let early): outcome = early.outcome  // the file changed between the passes
                }
            case .done(let decided)?: outcome = decided
            case nil: outcome = BatchOutcome(file: self.files[index], id: nil, status: .failed, error: "internal error: not read")
            }
            self.lock.withLock {
                self.outcomes[index] = outcome
                self.read[index] = nil  // nothing of a patient is kept once it is done
            }
        }
        return outcomes.enumerated().map { i, o in
            o ?? BatchOutcome(file: files[i], id: nil, status: .failed, error: "internal error: not processed")
        }
    }

    /// Calls `body` once for every file index, on `workers` threads.
    private func each(_ workers: Int, _ body: @escaping @Sendable (Int) -> Void) {
        next = 0
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let index = take() { body(index) }
        }
    }

    private func take() -> Int? {
        lock.withLock {
            guard next < files.count else { return nil }
            defer { next += 1 }
            return next
        }
    }

    /// Why a file is not planned, decided while reading it.
    private struct Early: Error { var outcome: BatchOutcome }

    /// Reads and checks one patient file (and the program it names).
    private func readPatient(_ index: Int) -> Result<PatientContext, Early> {
        let relative = files[index]
        let path = (settings.folder as NSString).appendingPathComponent(relative)
        let text: String
        do {
            text = try SourceFile.read(path: path)
        } catch {
            return .failure(Early(outcome: BatchOutcome(file: relative, id: nil, status: .failed,
                                                        error: Self.headline(error.diagnostic))))
        }
        do {
            return .success(try PatientContext.resolve(text: text, path: path, catalog: settings.catalog))
        } catch {
            let kind = FileValidator.parse(text: text, file: path).kind
            if kind == .program || kind == .library {
                return .failure(Early(outcome: BatchOutcome(file: relative, id: nil, status: .skipped)))
            }
            return .failure(Early(outcome: BatchOutcome(file: relative, id: nil, status: .failed,
                                                        error: error.diagnostics.map(Self.headline).joined(separator: "\n"))))
        }
    }

    /// The second pass: reads the patient's pain log, plans, and writes the outputs.
    private func planAndWrite(_ index: Int, context: PatientContext) -> BatchOutcome {
        let relative = files[index]
        let path = (settings.folder as NSString).appendingPathComponent(relative)
        let id = context.patient.id
        func failed(_ reason: String, output: Bool = false) -> BatchOutcome {
            BatchOutcome(file: relative, id: id, status: .failed, error: reason, outputFailed: output)
        }
        let log: PainLog
        do {
            log = try context.readLog()
        } catch let error as CLIError {
            return failed(error.message)
        } catch {
            return failed("\(path): error: [pain-log] cannot read the pain log")
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
            return failed(error.message, output: error.code == .io)
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
