import Foundation
import RehabKit
import Testing
@testable import RehabFormat

@Suite("Plan and history JSON")
struct PlanJSONTests {
    static let berlin = TimeZone(identifier: "Europe/Berlin") ?? TimeZone(secondsFromGMT: 3600) ?? .current

    static func at(_ text: String) -> LocalDateTime {
        guard let v = LocalDateTime(iso: text) else { preconditionFailure(text) }
        return v
    }

    static let report = PainReport(at: at("2026-11-19T18:00"), pain: 2, when: .after, exercise: "walking", note: "private")

    static let plan = Plan(
        patient: "p-0001", program: "lumbar-decompression", asOf: LocalDate(year: 2026, month: 11, day: 23) ?? LocalDate(daysSinceEpoch: 0),
        days: 7, status: .active, halt: nil, stage: "mobilise",
        sessions: [PlannedSession(start: at("2026-11-23T08:00").resolved(in: berlin), slot: at("2026-11-23T08:00"), index: 1,
                                  stage: "mobilise",
                                  exercises: [PlannedExercise(id: "nerve-glide-slider", prescription: "nerve-glide",
                                                              dose: Dose(sets: 1, reps: 10, variant: "nerve-glide-slider"))])],
        decisions: [Decision(date: LocalDate(year: 2026, month: 11, day: 20) ?? LocalDate(daysSinceEpoch: 0),
                             exercise: "walking", action: .progress, from: Dose(minutes: 10), to: Dose(minutes: 15),
                             rule: "two-green-days", because: "Two green days in a row.", reports: [report])],
        advice: ["Keep walking."])

    @Test func planJSONHasSpecKeysInOrderAndExactBytes() {
        let expected = """
        {
          "schema": 1,
          "patient": "p-0001",
          "program": "lumbar-decompression",
          "as_of": "2026-11-23",
          "status": "active",
          "halt": null,
          "stage": "mobilise",
          "sessions": [
            {"start": "2026-11-23T08:00:00+01:00", "stage": "mobilise", "exercises": [{"id": "nerve-glide-slider", "sets": 1, "reps": 10, "hold_seconds": null, "minutes": null, "prescription": "nerve-glide"}]}
          ],
          "decisions": [
            {"date": "2026-11-20", "exercise": "walking", "action": "progress", "from": {"minutes": 10}, "to": {"minutes": 15}, "rule": "two-green-days", "because": "Two green days in a row.", "reports": [{"at": "2026-11-19T18:00:00+01:00", "pain": 2, "when": "after", "exercise": "walking", "flags": []}]}
          ],
          "days": 7,
          "advice": [
            "Keep walking."
          ],
          "alerts": []
        }

        """
        let json = PlanJSON.encode(Self.plan, library: nil, zone: Self.berlin)
        #expect(json == expected)
        #expect(!json.contains("private"))  // notes stay out of the plan
        #expect(PlanJSON.encode(Self.plan, library: nil, zone: Self.berlin) == json)
    }

    @Test func haltedPlanCarriesDateFlagsAdvice() throws {
        var plan = Self.plan
        plan.status = .halted
        plan.sessions = []
        plan.halt = Halt(date: plan.asOf, at: Self.at("2026-11-23T07:10"), flags: [.fever], advice: ["Call."])
        let json = PlanJSON.encode(plan, library: nil, zone: Self.berlin)
        #expect(json.contains("""
          "status": "halted",
          "halt": {
            "date": "2026-11-23",
            "flags": ["fever"],
            "advice": ["Call."],
            "at": "2026-11-23T07:10:00+01:00"
          },
        """))
        // It is valid JSON that Foundation reads back.
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect(object?["status"] as? String == "halted")
    }

    /// The streamed plan JSON and the value tree rendered in the same layout are one text,
    /// for full, halted and empty plans.
    @Test func streamedTextEqualsTheValueTree() {
        var halted = Self.plan
        halted.status = .halted
        halted.halt = Halt(date: halted.asOf, at: Self.at("2026-11-23T07:10"), flags: [.fever, .calfSwelling], advice: ["Call.", "Today."])
        var empty = Self.plan
        empty.sessions = []
        empty.decisions = []
        empty.advice = []
        var repeated = Self.plan
        repeated.sessions += repeated.sessions + repeated.sessions
        // The same reports behind several decisions: written once, replayed after.
        repeated.decisions[0].reports += [Self.report, PainReport(at: Self.at("2026-11-20T07:00"), pain: 1, when: .nextMorning)]
        repeated.decisions += repeated.decisions
        for plan in [Self.plan, halted, empty, repeated] {
            for library in [nil, (try? Catalog.shipped())?.library] {
                let streamed = PlanJSON.encode(plan, library: library, zone: Self.berlin)
                #expect(streamed == PlanJSON.value(plan, library: library, zone: Self.berlin).rendered(layout: PlanJSON.layout))
                #expect(PlanJSON.encodeUTF8(plan, library: library, zone: Self.berlin) == Array(streamed.utf8))
            }
        }
    }

    /// Each layout changes only white space: every one reads back as the same value, and
    /// `lines(depth:)` breaks exactly the outer levels.
    @Test func layoutsDifferOnlyInWhiteSpace() throws {
        let value = PlanJSON.value(Self.plan, library: nil, zone: Self.berlin)
        let texts = [JSONLayout.compact, .indented, .lines(depth: 0), .lines(depth: 1), .lines(depth: 2), .lines(depth: 9)]
            .map { value.rendered(layout: $0) }
        let objects = try texts.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? NSDictionary }
        for object in objects { #expect(object != nil && object == objects[0]) }
        // Compact: no line break, no space between tokens (the texts keep theirs).
        #expect(!texts[0].contains("\n") && !texts[0].contains("\": ") && !texts[0].contains(", \""))
        #expect(texts[1] == value.rendered())
        #expect(texts[5] == texts[1])  // deeper than the value: as indented
        #expect(texts[2].hasPrefix("{\"schema\": 1, \"patient\": \"p-0001\", "))  // one line, spaced
        #expect(texts[2].filter { $0 == "\n" }.count == 1)
        #expect(texts[3].hasPrefix("{\n  \"schema\": 1,\n  \"patient\": \"p-0001\","))
        #expect(texts[3].contains("\n  \"sessions\": [{\"start\": "))
        #expect(texts[4] == PlanJSON.encode(Self.plan, library: nil, zone: Self.berlin))
    }

    /// Every ASCII character, and the non-ASCII ones that matter, at every position of a
    /// string longer than the eight-byte stride: the text reads back as itself and holds
    /// no raw control character, DEL, U+2028 or U+2029.
    @Test func escapingHoldsAtEveryPositionOfTheStride() throws {
        let specials = (0..<128).map { String(UnicodeScalar(UInt8($0))) } + ["é", "\u{2028}", "\u{2029}", "😀", "\u{85}"]
        for special in specials {
            for position in 0..<18 {
                let text = String(repeating: "a", count: position) + special + String(repeating: "b", count: 17 - position)
                var sink = ByteSink(capacity: 0)
                OrderedJSON.writeString(text, to: &sink)
                let bytes = sink.array()
                let raw = Set(bytes)
                #expect(!raw.contains { $0 < 0x20 || $0 == 0x7F }, "\(special.unicodeScalars.map(\.value)) at \(position)")
                let json = String(decoding: bytes, as: UTF8.self)
                #expect(!json.contains("\u{2028}") && !json.contains("\u{2029}"))
                let back = try JSONSerialization.jsonObject(with: Data("[\(json)]".utf8)) as? [String]
                #expect(back == [text], "\(special.unicodeScalars.map(\.value)) at \(position)")
            }
        }
    }

    @Test func stringsAreEscaped() {
        let value = OrderedJSON.string("a\"b\\c\nd\u{7}é")
        #expect(value.rendered(pretty: false) == #""a\"b\\c\nd\u0007é""#)
    }

    @Test func historyListsReportsInTimeOrderWithNotes() {
        let log = PainLog(patient: "p-0001", entries: [
            .report(PainReportFixture.make("2026-11-20T08:00", pain: 4)),
            .resume(Resume(at: Self.at("2026-11-20T09:00"), clearedBy: "Dr A")),
            .report(PainReportFixture.make("2026-11-19T08:00", pain: 1)),
        ])
        let json = HistoryJSON.encode(patient: "p-0001", log: log, zone: Self.berlin)
        #expect(json.hasPrefix("{\n  \"schema\": 1,\n  \"patient\": \"p-0001\",\n  \"reports\": [\n    {\"at\": \"2026-11-19T08:00:00+01:00\", \"pain\": 1,"))
        #expect(json.contains("\"note\": \"n\"}"))
        #expect(json.contains("\"resumes\": [\n    {\"at\": \"2026-11-20T09:00:00+01:00\", \"cleared_by\": \"Dr A\"}\n  ]"))
    }
}

enum PainReportFixture {
    static func make(_ at: String, pain: Int) -> PainReport {
        PainReport(at: PlanJSONTests.at(at), pain: pain, when: .during, note: "n")
    }
}
