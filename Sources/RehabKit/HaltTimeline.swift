import Foundation

/// The stretches of time a plan is halted: from a report with a halting flag to the next
/// clinician clearance (`rehab resume`), or open when none came yet.
///
/// Times are compared as instants in the patient's zone; only days that hold a halt or a
/// resume need resolving, everything else compares by date.
struct HaltTimeline: Sendable {
    struct Span: Sendable {
        /// The first halting report's wall time.
        var start: LocalDateTime
        var startInstant: Date
        /// The clearance; nil while the halt is open.
        var end: LocalDateTime?
        var endInstant: Date?
        /// Every halting flag reported during the span, most urgent first.
        var flags: [RedFlag]
        /// The halting reports of the span, in time order.
        var reports: [PainReport]
    }

    /// A halt, a clearance or an approval, in log time order.
    enum Event: Sendable {
        /// `opens` is false for a further halting report while already halted.
        case halt(PainReport, opens: Bool)
        case resume(Resume)
        case approval(Approval)

        var at: LocalDateTime {
            switch self {
            case .halt(let r, _): r.at
            case .resume(let r): r.at
            case .approval(let a): a.at
            }
        }
    }

    let spans: [Span]
    let events: [Event]
    let zone: TimeZone
    /// For each entry given to `init`, in that order: true when it was logged while the
    /// plan was halted (kept, but not evidence). The halting report that opens a
    /// halt counts as logged while halted; entries before it in the log do not, even in
    /// the same minute, and neither do entries after the clearance.
    let loggedWhileHalted: [Bool]

    /// Builds the timeline from log entries already in time order (ties in log order).
    init(sortedEntries: [LogEntry], zone: TimeZone) {
        self.zone = zone
        var spans: [Span] = []
        var events: [Event] = []
        var open = false
        var whileHalted: [Bool] = []
        whileHalted.reserveCapacity(sortedEntries.count)
        for entry in sortedEntries {
            switch entry {
            case .report(let report):
                guard report.flags.contains(where: { $0.halts }) else {
                    whileHalted.append(open)  // the usual report: no warning sign
                    continue
                }
                let halting = report.flags.filter(\.halts)
                whileHalted.append(true)
                if open, var last = spans.popLast() {
                    last.flags = Array(Set(last.flags + halting)).sorted()
                    last.reports.append(report)
                    spans.append(last)
                    events.append(.halt(report, opens: false))
                } else {
                    spans.append(Span(start: report.at, startInstant: report.at.resolved(in: zone).date,
                                      end: nil, endInstant: nil,
                                      flags: Array(Set(halting)).sorted(), reports: [report]))
                    events.append(.halt(report, opens: true))
                    open = true
                }
            case .resume(let resume):
                whileHalted.append(open)
                guard open, var last = spans.popLast() else { continue }  // a clearance with no halt: nothing to do
                last.end = resume.at
                last.endInstant = resume.at.resolved(in: zone).date
                spans.append(last)
                events.append(.resume(resume))
                open = false
            case .approval(let approval):
                whileHalted.append(open)
                events.append(.approval(approval))
            }
        }
        self.spans = spans
        self.events = events
        loggedWhileHalted = whileHalted
    }

    /// Days holding a halt or a clearance (no step up on such a day).
    var haltOrClearanceDays: Set<Int> {
        Set(events.compactMap { event in
            if case .approval = event { return nil }
            return event.at.date.daysSinceEpoch
        })
    }

    /// The halt still open after every entry, if any.
    var openSpan: Span? { spans.last.flatMap { $0.end == nil ? $0 : nil } }

    /// True when the wall time `t` falls in a halt: at or after a halting report and
    /// before the clearance.
    func isHalted(at t: LocalDateTime) -> Bool {
        for span in spans {
            if t.date < span.start.date { return false }  // spans are in time order
            if let end = span.end, t.date > end.date { continue }
            // t's date lies within the span's dates: compare instants only on boundary days.
            let instant: Date? = (t.date == span.start.date || t.date == span.end?.date) ? t.resolved(in: zone).date : nil
            if let instant, instant < span.startInstant { return false }
            if let endInstant = span.endInstant, let instant, instant >= endInstant { continue }
            return true
        }
        return false
    }

    /// True when the plan is halted at the local midnight that starts `date`.
    func isHalted(atStartOf date: LocalDate) -> Bool {
        isHalted(at: LocalDateTime(date: date, time: .midnight))
    }
}

extension LocalTime {
    /// 00:00.
    static let midnight = LocalTime(hour: 0, minute: 0)!  // a constant, always valid
}
