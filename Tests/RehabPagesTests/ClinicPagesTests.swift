import Foundation
import RehabFormat
import RehabKit
import Testing
@testable import RehabPages

/// The clinic pages rendered from values: what each shows, in which order, where its
/// links and forms go (under the base path), and that patient text is escaped.
@Suite("Clinic pages")
struct ClinicPagesTests {
    static func row(_ id: String, status: String = "active", alerts: [Alert] = [], problem: String? = nil) -> PatientSummary {
        PatientSummary(id: id, relativePath: "\(id).yaml", status: status, program: "lumbar-decompression", stage: "protect",
                       week: 2, alerts: alerts, asOf: LocalDate(iso: "2026-11-20"), problem: problem,
                       lastReport: LocalDateTime(iso: "2026-11-19T18:45"), adherence: Adherence(reported: 9, scheduled: 12),
                       pain14: [2, 3, nil, 4, 2, 2, 3, 3, nil, 2, 2, 1, 2, 2])
    }

    @Test func loginHasTheTwoFieldsAnEscapedErrorAndNothingElse() throws {
        let html = try ClinicPages.login(basePath: "/rehab", error: "Wrong name or <password>.", name: "Dr \"W\"")
        #expect(html.contains(#"action="/rehab/clinic/login""#))
        #expect(html.contains(#"name="name""#) && html.contains(#"name="password""#) && html.contains(#"type="password""#))
        #expect(html.contains("Wrong name or &lt;password&gt;."))
        #expect(html.contains("Dr &quot;W&quot;"))
        #expect(!html.contains("patients/"))
        let plain = try ClinicPages.login(basePath: "")
        #expect(!plain.contains("role=\"alert\"") && plain.contains(#"action="/clinic/login""#))
    }

    @Test func caseloadKeepsTheOrderMarksHaltedRowsInWordsAndLinksUnderTheBasePath() throws {
        let halted = Self.row("p-halt", status: "halted",
                              alerts: [Alert(kind: .halted, since: LocalDate(iso: "2026-11-19")!, text: "Halted by a warning sign.")])
        let failed = Self.row("odd <id>", status: "failed", problem: "The patient file is not valid.")
        let html = try ClinicPages.caseload(rows: [halted, failed, Self.row("p-calm")], basePath: "/rehab",
                                            signedInAs: "Dr Weber", csrf: "tok123")
        let order = ["p-halt", "odd &lt;id&gt;", "p-calm"].map { html.range(of: ">\($0)<")?.lowerBound }
        #expect(order.allSatisfy { $0 != nil })
        #expect(order[0]! < order[1]! && order[1]! < order[2]!)
        #expect(html.contains(#"<tr class="halted">"#))
        #expect(html.contains("⚠ HALTED"))  // in words, not only colour
        #expect(html.contains("✖ FAILED") && html.contains("The patient file is not valid."))
        #expect(html.contains(#"href="/rehab/clinic/patients/p-halt""#))
        #expect(html.contains(#"href="/rehab/clinic/patients/odd%20%3Cid%3E""#))
        #expect(html.contains("Halted since 2026-11-19"))
        #expect(html.contains("9/12 days (75%)") && html.contains("2026-11-19 18:45"))
        #expect(html.components(separatedBy: "<svg class=\"spark\"").count == 4)
        #expect(html.contains(#"action="/rehab/clinic/logout""#) && html.contains(#"name="csrf" value="tok123""#))
        #expect(html.contains("Signed in as Dr Weber"))
        #expect(html.contains("@media print"))
    }

    @Test func patientPageShowsTheHaltResumeApprovalsChartDosesAndDecisions() throws {
        let f = try PagesFixture()
        let asOf = LocalDate(iso: "2026-11-20")!
        let log: [LogEntry] = [
            .report(PainReport(at: PagesFixture.at("2026-11-18T18:45"), pain: 3, when: .after, note: "stairs <hard>")),
            .report(PainReport(at: PagesFixture.at("2026-11-19T20:00"), pain: nil, when: .after, flags: [.fever])),
        ]
        let plan = f.plan(asOf, days: 8, log: log)
        #expect(plan.status == .halted)
        var summary = Self.row("p-0001", status: "halted", alerts: plan.alerts)
        summary.asOf = asOf
        let days = (0...11).map { i in
            ChartDay(date: LocalDate(iso: "2026-11-09")! + i, duringAfter: i == 9 ? 3 : nil, morning: nil, usual: 2,
                     greenUpTo: 3, redFrom: 6)
        }
        let detail = PatientDetail(summary: summary, patient: f.patient, programTitle: f.program.title, plan: plan,
                                   entries: log, days: days,
                                   marks: [ChartMark(date: LocalDate(iso: "2026-11-19")!, kind: .halt, text: "fever")],
                                   approvals: [.exercise("nerve-glide"), .stage("mobilise")],
                                   exerciseNames: ["nerve-glide": "Sciatic nerve glide"])
        let html = try ClinicPages.patient(detail: detail, basePath: "/rehab", csrf: "tok123", signedInAs: "Dr Weber",
                                           notice: "Approved.")
        #expect(html.contains(#"<form class="actions" method="post" action="/rehab/clinic/patients/p-0001/resume">"#))
        #expect(html.contains("⚠ Halted"))
        #expect(html.contains(#"name="exercise" value="nerve-glide""#) && html.contains(#"name="stage" value="mobilise""#))
        #expect(html.components(separatedBy: #"action="/rehab/clinic/patients/p-0001/approve""#).count == 3)
        #expect(html.components(separatedBy: #"name="csrf" value="tok123""#).count == 5)  // sign-out, resume, 2 approvals
        #expect(html.contains("Approve the next step of Sciatic nerve glide"))
        #expect(html.contains("<svg class=\"chart\"") && html.contains("halted by a warning sign"))
        #expect(html.contains("stairs &lt;hard&gt;") && !html.contains("<hard>"))
        #expect(html.contains("The next 7 days"))
        let because = try #require(plan.decisions.last { $0.action == .halt }).because
        #expect(html.contains(PageEscaping.attribute(because)))
        #expect(html.contains("Approved."))
    }

    @Test func anActivePatientHasNoResumeFormAndListsTodaysDoses() throws {
        let f = try PagesFixture()
        let asOf = LocalDate(iso: "2026-11-20")!
        let plan = f.plan(asOf, days: 8)
        var names: [String: String] = [:]
        for s in plan.sessions { for e in s.exercises { names[e.id] = f.library[e.id]?.name } }
        let detail = PatientDetail(summary: Self.row("p-0001"), patient: f.patient, programTitle: f.program.title, plan: plan,
                                   exerciseNames: names)
        let html = try ClinicPages.patient(detail: detail, basePath: "", csrf: "t", signedInAs: "A")
        #expect(!html.contains("/resume"))
        #expect(!html.contains("/approve"))
        let today = try #require(plan.sessions.first { $0.start.local.date == asOf })
        let first = try #require(today.exercises.first)
        #expect(html.contains("\(names[first.id] ?? first.id): \(first.dose)"))
        #expect(html.contains("No reports yet."))
    }
}
