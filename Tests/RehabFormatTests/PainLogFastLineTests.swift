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

    /// Reports as `rehab log` writes them read straight into the same report (but for
    /// `\u` escapes, left to the full rules), and a line
    /// changed anywhere (a byte replaced, dropped or doubled) is either read exactly as
    /// the full rules read it or left to them: thousands of generated cases.
    @Test func reportShortcutAgreesWithTheFullRules() throws {
        var random = XorShift(state: 20261122)
        let notes = [nil, "", "stiff \"at first\"\nthen\\fine", "é ✓ 😀", "tab\there", "/"]
        let exercises = [nil, "walking", "nerve-glide-slider", "x\u{7}y"]
        var shortcut = 0
        var checked = 0
        for _ in 0..<2_000 {
            let at = LocalDateTime(date: LocalDate(daysSinceEpoch: 19_000 + Int(random.next() % 3_000)),
                                   time: LocalTime(hour: Int(random.next() % 24), minute: Int(random.next() % 60))!)
            let flags = RedFlag.allCases.filter { _ in random.next() % 9 == 0 }
            let pain: Int? = flags.contains(where: \.halts) && random.next() % 2 == 0 ? nil : Int(random.next() % 11)
            let report = PainReport(at: at, pain: pain, when: ReportTiming.allCases[Int(random.next() % 3)],
                                    exercise: exercises[Int(random.next() % 4)], flags: flags,
                                    note: notes[Int(random.next() % UInt64(notes.count))])
            let line = PainLogLine.encode(.report(report))
            // `\u` escapes (control characters) are left to the full rules by design.
            let direct = PainLogFastLine.report(Substring(line))
            #expect(direct == report || (direct == nil && line.contains("\\u")), "\(line)")
            #expect(try PainLogLine.decodeFields(Substring(line)) == .report(report))

            var bytes = Array(line.utf8)
            let i = Int(random.next() % UInt64(bytes.count))
            switch random.next() % 3 {
            case 0: bytes[i] = Array(#"{}[],:"0123456789-. ntfu\"#.utf8)[Int(random.next() % 24)]
            case 1: bytes.remove(at: i)
            default: bytes.insert(bytes[i], at: i)
            }
            guard let mutated = String(validating: bytes, as: UTF8.self) else { continue }
            checked += 1
            if let fast = PainLogFastLine.report(Substring(mutated)) {
                shortcut += 1
                #expect((try? PainLogLine.decodeFields(Substring(mutated))) == .report(fast), "\(mutated)")
            }
        }
        // Both kinds of mutated line occur: read by the shortcut, and left to the rules.
        #expect(shortcut > 50 && shortcut < checked - 50, "\(shortcut) of \(checked)")
    }

    /// Lines one step off what `rehab log` writes: none is read by the shortcut.
    static let offReports: [String] = [
        #"{"at":"2026-11-20T08:30","when":"after","pain":11,"exercise":null,"flags":[],"note":null}"#,
        #"{"at":"2026-11-20T08:30","when":"after","pain":01,"exercise":null,"flags":[],"note":null}"#,
        #"{"at":"2026-11-20T08:30","when":"after","pain":-1,"exercise":null,"flags":[],"note":null}"#,
        #"{"at":"2026-11-20T08:30","when":"after","pain":3.0,"exercise":null,"flags":[],"note":null}"#,
        #"{"at":"2026-11-20T08:30","when":"after","pain":"3","exercise":null,"flags":[],"note":null}"#,
        #"{"at":"2026-11-20T08:30","when":"after","pain":null,"exercise":null,"flags":["spreading"],"note":null}"#,
        #"{"at":"2026-11-20T08:30","when":"after","pain":3,"exercise":null,"flags":["dizzy"],"note":null}"#,
        #"{"at":"2026-11-20T08:30","when":"later","pain":3,"exercise":null,"flags":[],"note":null}"#,
        #"{"at":"2026-02-30T08:30","when":"after","pain":3,"exercise":null,"flags":[],"note":null}"#,
        #"{"at":"2026-11-20T24:00","when":"after","pain":3,"exercise":null,"flags":[],"note":null}"#,
        #"{"at":"2026-11-20 08:30","when":"after","pain":3,"exercise":null,"flags":[],"note":null}"#,
        #"{"at":"2026-11-20T08:30:00","when":"after","pain":3,"exercise":null,"flags":[],"note":null}"#,
        #"{"at":"2026-11-20T08:30","when":"after","pain":3,"exercise":7,"flags":[],"note":null}"#,
        #"{"at":"2026-11-20T08:30","when":"after","pain":3,"exercise":null,"flags":[],"note":null,"x":1}"#,
        #"{"at":"2026-11-20T08:30","when":"after","pain":3,"exercise":null,"flags":[,],"note":null}"#,
        #"{"at":"2026-11-20T08:30","when":"after","pain":3,"exercise":null,"flags":["fever",],"note":null}"#,
        #"{"at":"2026-11-20T08:30", "when":"after","pain":3,"exercise":null,"flags":[],"note":null}"#,
        #"{"when":"after","at":"2026-11-20T08:30","pain":3,"exercise":null,"flags":[],"note":null}"#,
        #"{"at":"2026-11-20T08:30","when":"after","pain":3,"exercise":null,"flags":[],"note":null}x"#,
    ]

    @Test(arguments: offReports)
    func offReportsAreLeftToTheFullRules(_ line: String) {
        #expect(PainLogFastLine.report(Substring(line)) == nil)
    }

    @Test func readsTheLineOnlyWithinItsSubstring() throws {
        let text = #"{"version":1,"patient":"p-1"}"# + "\n" + #"{"at":"2026-11-20T08:30"}"# + "\n"
        let lines = text.split(separator: "\n")
        #expect(PainLogFastLine.object(lines[1]) == ["at": .string("2026-11-20T08:30")])
    }

    /// The memchr split gives the lines a split of the UTF-8 bytes gives, empty ones kept.
    @Test func linesSplitAsTheBytesDo() {
        let texts = ["", "\n", "\n\n", "a", "a\n", "a\nb", "\na\n\nb\n", "é\n✓😀\n\u{301}x\n", "a\r\nb\n", "\r",
                     String(repeating: "line\n", count: 300) + "tail"]
        for text in texts {
            let expected = text.contains("\r") ? text.split(separator: "\n", omittingEmptySubsequences: false)
                : text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { Substring($0) }
            #expect(PainLog.splitLines(text) == expected, "\(text.debugDescription)")
        }
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

/// A small deterministic generator for the cases above (xorshift64*).
private struct XorShift {
    var state: UInt64

    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 2_685_821_657_736_338_717
    }
}
