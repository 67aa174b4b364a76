import RehabKit

/// The clinic's pages as HTML, from the `clinic-*` templates: the sign-in page, the
/// caseload (every patient, most urgent first) and one patient's page (chart, doses,
/// decisions, reports and the approve/resume forms).
///
/// Pure: the caller (the server's clinic routes) hands in the rows or the patient's
/// detail from `CaseloadStore`, the session's CSRF token and the base path; nothing here
/// reads a file or the clock. Every link and form action is `basePath + "/clinic/..."`,
/// where `basePath` is the public base URL's path without a trailing slash ("" or
/// "/rehab"). Every value is HTML-escaped by the templates; the charts are our own SVG.
public enum ClinicPages {
    /// The sign-in page: fields `name` and `password`, posting to `/clinic/login`.
    /// `error` is one plain line shown above the form (a failed or locked sign-in); `name`
    /// refills the name field. Shows no patient data.
    public static func login(basePath: String, error: String? = nil, name: String = "") throws(PageRenderer.PageError) -> String {
        let view: [String: Any] = [
            "title": "Clinic sign-in", "action": basePath + "/clinic/login", "error": error ?? "",
            "hasError": error != nil, "name": name,
        ]
        return try PageRenderer.render(view, template: "clinic-login")
    }

    /// The caseload: one row per patient in the order given (`CaseloadStore.summaries`
    /// is most urgent first) with id, program, stage and week, status, the most urgent
    /// alerts, last report, adherence and a 14-day pain sparkline; each row links to
    /// `/clinic/patients/ID`. A sign-out form posts `csrf` to `/clinic/logout`.
    public static func caseload(rows: [PatientSummary], basePath: String, signedInAs: String, csrf: String) throws(PageRenderer.PageError) -> String {
        var view = frame(title: "Caseload", basePath: basePath, signedInAs: signedInAs, csrf: csrf)
        view["rows"] = rows.map { row(for: $0, basePath: basePath) }
        view["count"] = rows.count
        view["haltedCount"] = rows.filter(\.isHalted).count
        view["failedCount"] = rows.filter(\.isFailed).count
        view["alertCount"] = rows.filter { !$0.alerts.isEmpty }.count
        view["empty"] = rows.isEmpty
        return try PageRenderer.render(view, template: "clinic-caseload")
    }

    /// One patient: status and alerts, the resume form (when halted) posting `csrf` to
    /// `/clinic/patients/ID/resume`, one approve form per gate awaiting approval (field
    /// `exercise` or `stage`, and `csrf`) posting to `/clinic/patients/ID/approve`, the pain
    /// chart with its legend, today's doses, the next 7 days, the decisions in plain words
    /// (newest first), clearances and approvals, and the reports. `notice` is one line
    /// shown at the top (e.g. "Approved." after a redirect).
    public static func patient(detail: PatientDetail, basePath: String, csrf: String, signedInAs: String,
                               notice: String? = nil) throws(PageRenderer.PageError) -> String {
        let s = detail.summary
        var view = frame(title: "Patient \(s.id)", basePath: basePath, signedInAs: signedInAs, csrf: csrf)
        let base = patientPath(id: s.id, basePath: basePath)
        view["notice"] = notice ?? ""
        view["hasNotice"] = notice != nil
        view["row"] = row(for: s, basePath: basePath)
        view["programTitle"] = detail.programTitle ?? s.program ?? "unknown program"
        view["resumeAction"] = base + "/resume"
        view["approveAction"] = base + "/approve"
        view["canResume"] = detail.plan?.status == .halted
        view["approvals"] = detail.approvals.map { target -> [String: Any] in
            switch target {
            case .exercise(let id):
                ["field": "exercise", "value": id, "label": "Approve the next step of \(detail.exerciseNames[id] ?? id)"]
            case .stage(let id):
                ["field": "stage", "value": id, "label": "Approve stage \(id)"]
            }
        }
        if let halt = detail.plan?.halt {
            view["halt"] = ["date": "\(halt.date)", "time": "\(halt.at.time)",
                            "signs": halt.flags.map(SignWords.words).joined(separator: "; ")]
        }
        view["chart"] = PainChart.svg(days: detail.days, marks: detail.marks)
        view["hasChart"] = !detail.days.isEmpty
        view["legend"] = PainChart.legend.map { ["symbol": $0.symbol, "words": $0.words] }
        if let plan = detail.plan {
            let byDay = Dictionary(grouping: plan.sessions, by: { $0.start.local.date })
            let today = byDay[plan.asOf] ?? []
            view["today"] = sessions(today, names: detail.exerciseNames)
            view["next"] = (1...7).map { offset -> [String: Any] in
                let day = plan.asOf + offset
                let planned = byDay[day] ?? []
                // A day like today says so instead of repeating the list.
                let same = !planned.isEmpty && sameSessions(planned, today)
                let list = same ? [] : sessions(planned, names: detail.exerciseNames)
                return ["date": "\(day)", "weekday": capitalised(String(day.weekday.rawValue.prefix(3))), "sessions": list,
                        "none": planned.isEmpty, "sameAsToday": same]
            }
            view["decisions"] = plan.decisions.reversed().filter { $0.action != .hold || $0.rule == "awaiting-approval" }
                .map { decision($0, names: detail.exerciseNames) }
            view["advice"] = plan.advice
        }
        view["actions"] = detail.entries.reversed().compactMap { entry -> [String: String]? in
            switch entry {
            case .resume(let r): ["at": "\(r.at)", "what": "Cleared to resume", "by": r.clearedBy]
            case .approval(let a):
                switch a.target {
                case .exercise(let id): ["at": "\(a.at)", "what": "Approved \(detail.exerciseNames[id] ?? id)" + (a.rung.map { " at \($0)" } ?? ""), "by": a.by]
                case .stage(let id): ["at": "\(a.at)", "what": "Approved stage \(id)", "by": a.by]
                }
            case .report: nil
            }
        }
        view["reports"] = detail.entries.reversed().compactMap { entry -> [String: Any]? in
            guard case .report(let r) = entry else { return nil }
            return ["at": "\(r.at.date) \(r.at.time)", "when": whenWords(r.when),
                    "exercise": r.exercise.map { detail.exerciseNames[$0] ?? $0 } ?? "all",
                    "pain": r.pain.map { "\($0)/10" } ?? "-", "signs": r.flags.map(SignWords.words).joined(separator: "; "),
                    "halting": r.flags.contains(where: \.halts), "note": r.note ?? ""]
        }
        for (list, flag) in [("approvals", "hasApprovals"), ("advice", "hasAdvice"), ("next", "hasNext"),
                             ("decisions", "hasDecisions"), ("actions", "hasActions"), ("reports", "hasReports")] {
            view[flag] = ((view[list] as? [Any])?.isEmpty == false)
        }
        return try PageRenderer.render(view, template: "clinic-patient")
    }

    /// `basePath/clinic/patients/ID`, the id percent-encoded.
    public static func patientPath(id: String, basePath: String) -> String {
        basePath + "/clinic/patients/" + percentEncoded(id)
    }

    // MARK: - Views

    static func frame(title: String, basePath: String, signedInAs: String, csrf: String) -> [String: Any] {
        ["title": title, "caseloadHref": basePath + "/clinic/", "logoutAction": basePath + "/clinic/logout",
         "signedInAs": signedInAs, "csrf": csrf]
    }

    static func row(for s: PatientSummary, basePath: String) -> [String: Any] {
        let statusWords = s.isFailed ? (s.isHalted ? "Failed, halted" : "Failed") : s.isHalted ? "Halted" : capitalised(s.status)
        let adherence = s.adherence.map { a in a.percent.map { "\(a.reported)/\(a.scheduled) days (\($0)%)" } ?? "no days scheduled" } ?? "-"
        return [
            "id": s.id, "href": patientPath(id: s.id, basePath: basePath), "program": s.program ?? "-",
            "stage": s.stage ?? "-", "week": s.week.map(String.init) ?? "-", "status": s.status, "statusWords": statusWords,
            "halted": s.isHalted, "failed": s.isFailed, "problem": s.problem ?? "", "file": s.relativePath,
            "alerts": s.alerts.map { ["kind": $0.kind.rawValue, "words": alertWords($0.kind), "since": "\($0.since)", "text": $0.text] },
            "hasAlerts": !s.alerts.isEmpty,
            "lastReport": s.lastReport.map { "\($0.date) \($0.time)" } ?? "none yet",
            "adherence": adherence, "adherenceLow": (s.adherence?.percent ?? 100) < 50,
            "spark": s.pain14.isEmpty ? "" : Sparkline.svg(s.pain14, label: "Highest pain of each of the last 14 days"),
        ]
    }

    static func sessions(_ list: [PlannedSession], names: [String: String]) -> [[String: Any]] {
        list.sorted { $0.start.local < $1.start.local }.map { s in
            ["time": "\(s.start.local.time)",
             "exercises": s.exercises.map { ["name": names[$0.id] ?? $0.id, "dose": "\($0.dose)"] }]
        }
    }

    /// True when two days have sessions at the same times with the same exercises and doses.
    static func sameSessions(_ a: [PlannedSession], _ b: [PlannedSession]) -> Bool {
        func key(_ list: [PlannedSession]) -> [String] {
            list.map { s in "\(s.start.local.time)|" + s.exercises.map { "\($0.id)=\($0.dose)" }.joined(separator: ",") }.sorted()
        }
        return key(a) == key(b)
    }

    static func decision(_ d: Decision, names: [String: String]) -> [String: String] {
        let words: String = switch d.action {
        case .progress: "Stepped up"
        case .hold: "Waiting for approval"
        case .regress: "Stepped down"
        case .advanceStage: d.exercise == nil ? "New stage" : "Dose moved to the new stage"
        case .flare: "Flare"
        case .halt: "Halted"
        case .resume: "Resumed"
        case .escalate: "Escalated"
        case .approve: "Approved"
        }
        var change = ""
        if let from = d.from, let to = d.to { change = "\(from) → \(to)" } else if let to = d.to { change = "\(to)" }
        return ["date": "\(d.date)", "action": words, "exercise": d.exercise.map { names[$0] ?? $0 } ?? "",
                "change": change, "because": d.because]
    }

    static func alertWords(_ kind: Alert.Kind) -> String {
        switch kind {
        case .halted: "Halted"
        case .escalated: "Escalated flare"
        case .awaitingApproval: "Awaiting approval"
        case .redDay: "Red day"
        case .spreading: "Spreading pain"
        case .stalled: "Stalled"
        case .noReports: "No reports"
        }
    }

    static func whenWords(_ timing: ReportTiming) -> String {
        switch timing {
        case .during: "during"
        case .after: "after"
        case .nextMorning: "next morning"
        }
    }

    static func capitalised(_ word: String) -> String { word.prefix(1).uppercased() + word.dropFirst() }

    /// Percent-encodes everything but ASCII letters, digits and `-._~`.
    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x2E, 0x5F, 0x7E: out.append(Character(Unicode.Scalar(byte)))
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 15)])
            }
        }
        return out
    }
}
