import Foundation
import RehabKit
import Testing
@testable import RehabFormat

/// The quick line reader must agree with `JSONDecoder` wherever it answers, and leave
/// everything unusual to it.
@Suite struct PainLogFastLineTests {
    static let written: [String] = [
        PainLogLine.header(patient: "p-0001"),
        #"{"at":"2026-11-20T08:30","when":"after","pain":3,"exercise":"walking","flags":[],"note":"stiff \"at first\"\nthen\\fine\t\b\f\r/"}"#,
        #"{"at":"2026-11-21T07:45","when":"next-morning","pain":10,"exercise":null,"flags":[],"note":null}"#,
        #"{"at":"2026-11-22T18:10","when":"after","pain":null,"exercise":null,"flags":["fever","saddle-numbness"],"note":"é ✓ 😀"}"#,
        #"{"at":"2026-11-23T10:00","resume":{"cleared_by":"Dr Weber"}}"#,
        #"{"a":true,"b":false,"c":0,"d":[1,[2,{}]],"e":{},"f":"","g":"\/"}"#,
    ]

    @Test(arguments: written)
    func agreesWithTheDecoderOnWrittenLines(_ line: String) throws {
        let fast = PainLogFastLine.object(Substring(line))
        #expect(fast != nil)
        #expect(fast == (try PainLogLine.decodedObject(Substring(line))))
    }

    static let unusual: [String] = [
        #"{ "at":"2026-11-20T08:30"}"#, #"{"pain":3.0}"#, #"{"pain":1e1}"#, #"{"pain":-1}"#, #"{"pain":03}"#,
        #"{"pain":1234567890123456}"#, #"{"note":"\u00e9"}"#, #"{"a":1,"a":2}"#, #"{"a":1}x"#, #"{"a":1"#,
        "{\"a\":\"tab\tinside\"}", #"{"a":nul}"#, #"{"a":[1,]}"#, #"{"a":{"b":{"c":{"d":{}}}}}"#, "{\"a\":1}\r",
        #"{"a":"\x"}"#, #"{"a":tru}"#, #"{,}"#, #"{"a":1,}"#,
    ]

    @Test(arguments: unusual)
    func leavesUnusualLinesToTheDecoder(_ line: String) {
        let fast = PainLogFastLine.object(Substring(line))
        #expect(fast == nil)
    }

    @Test func readsTheLineOnlyWithinItsSubstring() throws {
        let text = #"{"version":1,"patient":"p-1"}"# + "\n" + #"{"at":"2026-11-20T08:30"}"# + "\n"
        let lines = text.split(separator: "\n")
        #expect(PainLogFastLine.object(lines[1]) == ["at": .string("2026-11-20T08:30")])
    }

    /// CR LF is one character, so a log written with CR LF has no line breaks to split at.
    @Test func crlfLogStaysOneIncompleteLine() {
        let text = #"{"version":1,"patient":"p-1"}"# + "\r\n" + #"{"at":"2026-11-20T08:30","resume":{"cleared_by":"A"}}"# + "\r\n"
        #expect {
            try PainLog.parse(Array(text.utf8), file: "p.painlog")
        } throws: { error in
            guard let e = error as? PainLogError else { return false }
            return e.line == 1 && e.message.hasPrefix("the last line is incomplete")
        }
    }

    @Test func splitsPlainLogsIntoTheirLines() throws {
        let at = try #require(LocalDateTime(iso: "2026-11-20T08:30"))
        let text = PainLogLine.header(patient: "p-1") + "\n"
            + PainLogLine.encode(.resume(Resume(at: at, clearedBy: "Dr \u{301}A"))) + "\n"
        let log = try PainLog.parse(Array(text.utf8), file: "p.painlog")
        #expect(log.patient == "p-1")
        #expect(log.resumes.map(\.clearedBy) == ["Dr \u{301}A"])
    }

    /// A combining mark never joins the newline before it: the next line starts with it.
    @Test func aCombiningMarkAfterANewlineStartsTheNextLine() {
        let text = PainLogLine.header(patient: "p-1") + "\n\u{301}" + #"{"at":"2026-11-20T08:30","resume":{"cleared_by":"A"}}"# + "\n"
        #expect {
            try PainLog.parse(Array(text.utf8), file: "p.painlog")
        } throws: { error in
            guard let e = error as? PainLogError else { return false }
            return e.line == 2 && e.message.hasPrefix("not a JSON object on one line")
        }
    }
}
