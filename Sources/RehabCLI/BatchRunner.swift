import Foundation
import RehabFormat
import RehabKit

/// Plans and writes every patient file of a batch, in parallel, one patient at a time per
/// worker: nothing of a patient is kept once its files are written but its `BatchOutcome`.
///
/// Two passes, each spread over the workers: the first finds every patient file's id (so
/// that two files claiming one id are both failed before either writes anything), the
/// second reads the file with its pain log, plans and writes. Only the ids are kept between
/// the passes, so memory stays flat however many patients there are. The first pass reads
/// the id from its line (`quickID`) and parses the YAML only when that line is unusual, or
/// when two files seem to share an id; the second writes nothing for a file whose id is
/// not the one the first pass found. Workers pull the next file index from a shared
/// counter, so a slow patient never holds up the others. libical calls are serialized by
/// the calendar layer's own lock.
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
    /// Why an entry the finder found cannot be read at all (a link, a pipe, an unreadable folder).
    private let refusals: [String?]
    private let lock = NSLock()
    private var next = 0
    private var read: [Read?]
    /// What the first pass's `fstat` said about each file read, to tell two names of one file.
    private var identities: [PrivateFile.Identity?]
    private var outcomes: [BatchOutcome?]

    init(settings: Settings, entries: [BatchFinder.Entry]) {
        self.settings = settings
        files = entries.map(\.path)
        refusals = entries.map(\.refusal)
        read = Array(repeating: nil, count: entries.count)
        identities = Array(repeating: nil, count: entries.count)
        outcomes = Array(repeating: nil, count: entries.count)
    }

    convenience init(settings: Settings, files: [String]) {
        self.init(settings: settings, entries: files.map { BatchFinder.Entry(path: $0) })
    }

    /// Runs `jobs` workers over every file; outcomes in file order.
    func run(jobs: Int) -> [BatchOutcome] {
        let workers = max(1, min(jobs, files.count))
        each(workers) { index in
            let result = self.findID(index, quick: true)
            self.lock.withLock { self.read[index] = result }
        }
        // Two names of one file (hard links) are one patient: planned under the first name.
        var firstName: [PrivateFile.Identity: Int] = [:]
        for index in files.indices {
            guard case .ready? = read[index], let identity = identities[index] else { continue }
            let same = PrivateFile.Identity(device: identity.device, inode: identity.inode)
            if let first = firstName[same] {
                read[index] = .done(BatchOutcome(file: files[index], id: nil, status: .skipped,
                                                 error: "the same file as \(files[first]) (another name for it); planned once, as \(files[first])"))
            } else {
                firstName[same] = index
            }
        }
        // Two files with one id would write the same outputs: neither is planned or written.
        // Files that seem to share an id are read in full first: only valid ones claim it.
        var seeming: [String: [Int]] = [:]
        for (index, entry) in read.enumerated() {
            if case .ready(let id)? = entry { seeming[id, default: []].append(index) }
        }
        var claims: [String: [Int]] = [:]
        for indices in seeming.values where indices.count > 1 {
            for i in indices {
                read[i] = findID(i, quick: false)
                if case .ready(let id)? = read[i] { claims[id, default: []].append(i) }
            }
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
                                           error: "the patient id read first (\(id)) is not the one the file holds now: "
                                               + "it changed while the batch ran, or its id line is unusual; run the batch again")
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

    /// The first pass for one file: its id (from the id line when `quick` and that line is
    /// plain), or why it is not planned.
    private func findID(_ index: Int, quick: Bool) -> Read {
        if let refusal = refusals[index] {
            return .done(BatchOutcome(file: files[index], id: nil, status: .failed,
                                      error: "\((settings.folder as NSString).appendingPathComponent(files[index])): error: [not-a-file] \(refusal)"))
        }
        if quick {
            let path = (settings.folder as NSString).appendingPathComponent(files[index])
            if let read = try? SourceFile.readIdentified(path: path), let id = Self.quickID(read.text) {
                lock.withLock { identities[index] = read.identity }
                return .ready(id: id)
            }
        }
        switch readPatient(index) {
        case .success(let context): return .ready(id: context.patient.id)
        case .failure(let early): return .done(early.outcome)
        }
    }

    /// A patient file's id read from its `id:` line without parsing the YAML, or nil when
    /// the file is not laid out plainly: one top-level block mapping with exactly one `id:`
    /// line and a `program:` line (a patient file, not a program), no document markers,
    /// directives, anchors, tags or top-level flow collections, and a value that is a valid
    /// patient id, bare or quoted, with at most a trailing comment. A valid file read this
    /// way has the id the YAML gives; the second pass checks it again.
    static func quickID(_ text: String) -> String? {
        var id: String?
        var program = false
        // "\r\n" is one Character in Swift: split at it as well as at "\n".
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            var line = raw
            if line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            guard let first = line.first else { continue }
            if "-.%{[?&*!|>'\"@`".contains(first) { return nil }
            if line.hasPrefix("program:") { program = true }
            guard line.hasPrefix("id:") else { continue }
            guard id == nil else { return nil }
            var value = line.dropFirst(3)
            guard value.isEmpty || value.first == " " || value.first == "\t" else { return nil }
            value = value.drop { $0 == " " || $0 == "\t" }
            if let quote = value.first, quote == "'" || quote == "\"" {
                guard let close = value.dropFirst().firstIndex(of: quote) else { return nil }
                let rest = value[value.index(after: close)...].drop { $0 == " " || $0 == "\t" }
                guard rest.isEmpty || rest.first == "#" else { return nil }
                value = value[value.index(after: value.startIndex)..<close]
            } else {
                if let hash = value.range(of: " #") ?? value.range(of: "\t#") { value = value[..<hash.lowerBound] }
                while let last = value.last, last == " " || last == "\t" { value = value.dropLast() }
            }
            guard Patient.isValidID(String(value)) else { return nil }
            id = String(value)
        }
        return program ? id : nil
    }

    /// Reads and checks one patient file (and the program it names).
    private func readPatient(_ index: Int) -> Result<PatientContext, Early> {
        let relative = files[index]
        let path = (settings.folder as NSString).appendingPathComponent(relative)
        let text: String
        do {
            let read = try SourceFile.readIdentified(path: path)
            text = read.text
            lock.withLock { identities[index] = read.identity }
        } catch {
            return .failure(Early(outcome: BatchOutcome(file: relative, id: nil, status: .failed,
                                                        error: Self.headline(error.diagnostic))))
        }
        do {
            return .success(try PatientContext.resolve(text: text, path: path, catalog: settings.catalog))
        } catch {
            let parsed = FileValidator.parse(text: text, file: path)
            if parsed.kind == .program || parsed.kind == .library {
                return .failure(Early(outcome: BatchOutcome(file: relative, id: nil, status: .skipped)))
            }
            // Not a patient file at all (any file named *.yaml): its problems would quote
            // what it holds, so only where the first one is and what kind of file it needs.
            if parsed.kind == nil {
                let first = parsed.diagnostics.first ?? error.diagnostics.first
                let place = first.map { $0.line > 0 ? "\(path):\($0.line):\($0.column)" : path } ?? path
                return .failure(Early(outcome: BatchOutcome(file: relative, id: nil, status: .failed,
                    error: "\(place): error: [file-kind] this is not a patient file (nor a program or library): "
                        + "it must be YAML with 'program:' and 'surgery_date:'; run `rehab validate` on it to see every problem")))
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
