import Foundation
@testable import RehabFormat
import Testing

struct DiagnosticTests {
    @Test func rendersLikeACompilerWithACaretUnderTheColumn() {
        let d = Diagnostic(file: "p.yaml", line: 3, column: 5, category: "unknown-key",
                           message: "unknown key 'nmae'", sourceLine: "  - nmae: x")
        #expect(d.rendered == "p.yaml:3:5: error: [unknown-key] unknown key 'nmae'\n  - nmae: x\n    ^")
        let tabbed = Diagnostic(file: "t.yaml", line: 1, column: 3, category: "syntax", message: "m", sourceLine: "\tab")
        #expect(tabbed.rendered.hasSuffix("\n\tab\n\t ^"))
        let noPosition = Diagnostic(file: "gone.yaml", line: 0, column: 0, category: "io", message: "no such file")
        #expect(noPosition.rendered == "gone.yaml: error: [io] no such file")
    }

    @Test func rendersJSONForEditors() throws {
        let ds = [Diagnostic(file: "a \"b\".yaml", line: 2, column: 7, category: "time", message: "not a time",
                             sourceLine: "x")]
        let json = Diagnostic.renderJSON(ds)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(parsed.count == 1)
        #expect(parsed[0]["file"] as? String == "a \"b\".yaml")
        #expect(parsed[0]["line"] as? Int == 2)
        #expect(parsed[0]["column"] as? Int == 7)
        #expect(parsed[0]["category"] as? String == "time")
        #expect(parsed[0]["message"] as? String == "not a time")
        #expect(parsed[0]["severity"] as? String == "error")
        #expect(Set(parsed[0].keys) == ["file", "line", "column", "category", "message", "severity"])
        #expect(Diagnostic.renderJSON([]) == "[]\n")
    }

    @Test(arguments: [("titel", "title"), ("exrcise", "exercise"), ("skip_in_flair", "skip_in_flare"),
                      ("sesions", "sessions")])
    func suggestsTheClosestKey(typo: String, key: String) {
        let keys = ["title", "exercise", "skip_in_flare", "sessions", "sources", "summary"]
        #expect(Suggest.closest(typo, among: keys) == key)
    }

    @Test func suggestsNothingWhenNothingIsClose() {
        #expect(Suggest.closest("zzzzzzzz", among: ["title", "sources"]) == nil)
        #expect(Suggest.distance("kitten", "sitting") == 3)
    }
}

struct LongLineTests {
    @Test func aVeryLongLineIsShownAsAWindowWithTheCaretInPlace() {
        let line = String(repeating: "a", count: 1000) + "X" + String(repeating: "b", count: 1000)
        let d = Diagnostic(file: "f", line: 1, column: 1001, category: "syntax", message: "m", sourceLine: line)
        let lines = d.rendered.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3)
        #expect(lines[1].count < 140)
        let caret = lines[2].count - 1
        #expect(Array(lines[1])[caret] == "X")
    }
}
