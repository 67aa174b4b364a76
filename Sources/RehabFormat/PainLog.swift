import Foundation
import RehabKit

/// The contents of one patient's pain log: the patient named in its header and every
/// entry in the order written.
///
/// ```swift
/// let log = try PainLog.parse(bytes, file: "p.painlog")
/// log.entries  // [.report(...), .resume(...)]
/// ```
public struct PainLog: Hashable, Sendable {
    /// The patient id from the header; nil for an empty (new) log.
    public var patient: String?
    /// Every entry, in the order it was appended.
    public var entries: [LogEntry]

    public init(patient: String? = nil, entries: [LogEntry] = []) {
        self.patient = patient
        self.entries = entries
    }

    /// The reports only, in the order written.
    public var reports: [PainReport] {
        entries.compactMap { if case .report(let r) = $0 { r } else { nil } }
    }

    /// The resumes only, in the order written.
    public var resumes: [Resume] {
        entries.compactMap { if case .resume(let r) = $0 { r } else { nil } }
    }

    /// The approvals only, in the order written.
    public var approvals: [Approval] {
        entries.compactMap { if case .approval(let a) = $0 { a } else { nil } }
    }

    /// Parses a whole log. Every line must be whole (end in a newline) and valid; a
    /// damaged line is never skipped: every one is reported with its 1-based line number
    /// (the first `PainLogError.listLimit` of them), the first with how to fix it.
    public static func parse(_ bytes: [UInt8], file: String) throws(PainLogError) -> PainLog {
        guard !bytes.isEmpty else { return PainLog() }
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            let line = firstInvalidUTF8Line(bytes)
            throw PainLogError(.damaged, file: file, line: line, message: "the line is not valid UTF-8 text \(fixHint)")
        }
        var lines = splitLines(text)
        var problems: [PainLogError.LineProblem] = []
        if lines.last == "" {
            lines.removeLast()
        } else {
            problems.append(.init(line: lines.count,
                                  message: "the last line is incomplete (no newline at its end), probably an interrupted write"))
            lines.removeLast()
        }
        var log = PainLog()
        for (i, line) in lines.enumerated() {
            do throws(PainLogLine.LineProblem) {
                if i == 0 {
                    log.patient = try PainLogLine.decodeHeader(line)
                } else {
                    log.entries.append(try PainLogLine.decode(line))
                }
            } catch {
                problems.append(.init(line: i + 1, message: error.message))
            }
        }
        if !problems.isEmpty {
            problems.sort { $0.line < $1.line }
            throw PainLogError(.damaged, file: file, line: problems[0].line, message: "\(problems[0].message) \(fixHint)",
                               more: Array(problems.dropFirst()))
        }
        return log
    }

    /// The text split at each newline, empty pieces kept. A newline is always a
    /// character of its own except in CR LF, so without a CR a split of the UTF-8 bytes
    /// gives the same lines as a split of the characters, at a fraction of the cost.
    static func splitLines(_ text: String) -> [Substring] {
        var text = text
        // Where each line ends, found with memchr over the contiguous UTF-8.
        let ends: [Int]? = text.withUTF8 { utf8 in
            guard let base = utf8.baseAddress else { return [] }
            guard memchr(base, Int32(UInt8(ascii: "\r")), utf8.count) == nil else { return nil }
            var ends: [Int] = []
            var from = 0
            while from < utf8.count, let hit = memchr(base + from, Int32(UInt8(ascii: "\n")), utf8.count - from) {
                let end = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                ends.append(end)
                from = end + 1
            }
            return ends
        }
        guard let ends else { return text.split(separator: "\n", omittingEmptySubsequences: false) }
        let utf8 = text.utf8
        var lines: [Substring] = []
        lines.reserveCapacity(ends.count + 1)
        var start = utf8.startIndex
        var startOffset = 0
        for end in ends {
            let stop = utf8.index(start, offsetBy: end - startOffset)
            lines.append(Substring(utf8[start..<stop]))
            start = utf8.index(after: stop)
            startOffset = end + 1
        }
        lines.append(Substring(utf8[start...]))
        return lines
    }

    static let fixHint = "(only rehab's own commands and check-in page write this file: restore it from a backup, or repair or delete that line by hand)"

    private static func firstInvalidUTF8Line(_ bytes: [UInt8]) -> Int {
        var line = 1
        var start = 0
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") {
            if String(bytes: bytes[start..<i], encoding: .utf8) == nil { return line }
            line += 1
            start = i + 1
        }
        return line
    }

    /// Every line of a (possibly damaged) log that still reads as an entry, in the order
    /// written; damaged lines and the header are left out. For `rehab alerts`, which must
    /// see a warning sign even in a log that cannot be planned.
    public static func readableEntries(_ bytes: [UInt8]) -> [LogEntry] {
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            return bytes.split(separator: UInt8(ascii: "\n")).compactMap { line in
                String(bytes: line, encoding: .utf8).flatMap { try? PainLogLine.decode(Substring($0)) }
            }
        }
        return splitLines(text).dropFirst().compactMap { try? PainLogLine.decode($0) }
    }

    /// True when a halting report stands at `moment` with no later resume: entries are
    /// taken in time order (ties in the order written) up to and including `moment`.
    public func isHalted(at moment: LocalDateTime) -> Bool {
        var halted = false
        for entry in chronological where entry.at <= moment {
            switch entry {
            case .report(let r) where r.flags.contains(where: \.halts): halted = true
            case .resume: halted = false
            case .report, .approval: break
            }
        }
        return halted
    }

    /// The entries sorted by time; entries at the same minute keep the order written.
    public var chronological: [LogEntry] {
        entries.enumerated().sorted { a, b in
            a.element.at == b.element.at ? a.offset < b.offset : a.element.at < b.element.at
        }.map(\.element)
    }
}
