import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import RehabKit
import Testing
@testable import RehabPages

/// The clinic's charts read as SVG: parsed as XML, then the points, bands and marks are
/// counted and placed by the numbers they were drawn from.
@Suite("Clinic charts")
struct ClinicChartsTests {
    /// Every element with its attributes and the text of its `<title>` child, in order.
    final class Elements: NSObject, XMLParserDelegate {
        struct Element { var name: String; var attributes: [String: String]; var title = "" }
        var all: [Element] = []
        private var stack: [Int] = []
        private var inTitle = false
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if name == "title" { inTitle = true; return }
            all.append(Element(name: name, attributes: attributes))
            stack.append(all.count - 1)
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "title" { inTitle = false; return }
            stack.removeLast()
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inTitle, let i = stack.last { all[i].title += string }
        }
        static func parse(_ svg: String) throws -> [Element] {
            let parser = XMLParser(data: Data(svg.utf8))
            let delegate = Elements()
            parser.delegate = delegate
            #expect(parser.parse(), "not well-formed SVG: \(parser.parserError.map { "\($0)" } ?? "")")
            return delegate.all
        }
        static func of(_ elements: [Element], name: String, cls: String) -> [Element] {
            elements.filter { $0.name == name && ($0.attributes["class"] ?? "").split(separator: " ").contains(Substring(cls)) }
        }
    }

    static let start = LocalDate(iso: "2026-11-09")!

    static func days(_ count: Int, usualFrom change: Int? = nil) -> [ChartDay] {
        (0..<count).map { i in
            let raised = change.map { i >= $0 } ?? false
            return ChartDay(date: start + i, duringAfter: [1: 2, 4: 4, 5: 7][i], morning: [2: 1, 5: 3][i],
                            usual: raised ? 5 : 2, greenUpTo: raised ? 5 : 3, redFrom: raised ? 7 : 6)
        }
    }

    @Test func pointsSitAtTheirScoresWithTitles() throws {
        let svg = PainChart.svg(days: Self.days(10), marks: [])
        let elements = try Elements.parse(svg)
        let dots = Elements.of(elements, name: "circle", cls: "da")
        let squares = Elements.of(elements, name: "rect", cls: "nm")
        #expect(dots.count == 3 && squares.count == 2)
        let four = try #require(dots.first { $0.attributes["data-score"] == "4" })
        #expect(Double(four.attributes["cy"] ?? "") == PainChart.y(4))
        // 0 sits on the plot's bottom edge, 10 on its top, 4 at 60 % of the way down.
        #expect(PainChart.y(0) == PainChart.top + PainChart.plotHeight && PainChart.y(10) == PainChart.top)
        #expect(abs(Double(four.attributes["cy"]!)! - (PainChart.top + 0.6 * PainChart.plotHeight)) < 0.01)
        #expect(Double(four.attributes["cx"] ?? "") == PainChart.x(4, of: 10))
        #expect(four.title == "2026-11-13: during/after 4/10")
        let seven = try #require(dots.first { $0.attributes["data-score"] == "7" })
        #expect(Double(seven.attributes["cy"] ?? "")! < Double(four.attributes["cy"] ?? "")!)  // higher pain, higher up
        let morning = try #require(squares.first { $0.attributes["data-score"] == "3" })
        #expect(Double(morning.attributes["y"] ?? "")! + 3.5 == PainChart.y(3))
        let root = try #require(elements.first)
        #expect(root.name == "svg" && root.attributes["role"] == "img")
        #expect(root.attributes["aria-label"]?.contains("3 days with a during/after score (highest 7)") == true)
        // Days 1 and 4-5 have values, with gaps: a line only over the run 4-5.
        #expect(Elements.of(elements, name: "polyline", cls: "da-line").count == 1)
    }

    @Test func bandsFollowTheUsualPain() throws {
        let unit = PainChart.plotHeight / 10
        let steady = try Elements.parse(PainChart.svg(days: Self.days(10), marks: []))
        let green = Elements.of(steady, name: "rect", cls: "green"), amber = Elements.of(steady, name: "rect", cls: "amber")
        let red = Elements.of(steady, name: "rect", cls: "red")
        #expect(green.count == 1 && amber.count == 1 && red.count == 1)
        #expect(abs(Double(green[0].attributes["height"]!)! - 3.5 * unit) < 0.01)   // scores 0-3
        #expect(abs(Double(amber[0].attributes["height"]!)! - 2 * unit) < 0.01)     // 4-5
        #expect(abs(Double(red[0].attributes["height"]!)! - 4.5 * unit) < 0.01)     // 6-10
        #expect(abs(Double(green[0].attributes["width"]!)! - PainChart.plotWidth) < 0.01)
        // Green starts at the plot's bottom (score 0); red ends at its top (score 10).
        #expect(abs(Double(green[0].attributes["y"]!)! + Double(green[0].attributes["height"]!)! - (PainChart.top + PainChart.plotHeight)) < 0.01)
        #expect(abs(Double(red[0].attributes["y"]!)! - PainChart.top) < 0.01)
        #expect(green[0].title == "green zone 0-3, 2026-11-09 to 2026-11-18")
        // The usual pain rises on day 6: the bands split there, and green grows.
        let moving = try Elements.parse(PainChart.svg(days: Self.days(10, usualFrom: 6), marks: []))
        let greens = Elements.of(moving, name: "rect", cls: "green")
        #expect(greens.count == 2)
        #expect(abs(Double(greens[1].attributes["height"]!)! - 5.5 * unit) < 0.01)
        #expect(Double(greens[1].attributes["x"]!)! == PainChart.left + 6 * PainChart.plotWidth / 10)
    }

    @Test func marksAreLettersWithEscapedReasons() throws {
        let marks = [ChartMark(date: Self.start + 3, kind: .halt, text: "Fever <b>& chills</b>"),
                     ChartMark(date: Self.start + 3, kind: .stepDown, text: "red day"),
                     ChartMark(date: Self.start + 7, kind: .resume, text: "cleared"),
                     ChartMark(date: Self.start + 30, kind: .stage, text: "outside the charted days")]
        let svg = PainChart.svg(days: Self.days(10), marks: marks)
        #expect(!svg.contains("<b>"))
        let elements = try Elements.parse(svg)
        let groups = Elements.of(elements, name: "g", cls: "mark")
        #expect(groups.count == 3)
        #expect(groups[0].title == "2026-11-12: halted by a warning sign. Fever <b>& chills</b>")
        #expect(Elements.of(elements, name: "g", cls: "mark-resume").count == 1)
        #expect(PainChart.legend.contains { $0.symbol == "H" && $0.words.contains("halted") })
    }

    @Test func sparklineDrawsEachValueAndBreaksAtGaps() throws {
        let values: [Int?] = [2, 3, nil, 4, 4, 5, nil, nil, 10, 0, 1, nil, 2, 3]
        let elements = try Elements.parse(Sparkline.svg(values, label: "pain"))
        let dots = Elements.of(elements, name: "circle", cls: "pt")
        #expect(dots.count == 10)
        #expect(elements.filter { $0.name == "polyline" }.count == 4)  // runs 0-1, 3-5, 8-10, 12-13
        let ten = try #require(dots.first { abs(Double($0.attributes["cx"]!)! - Sparkline.x(8, of: 14)) < 0.01 })
        #expect(abs(Double(ten.attributes["cy"]!)! - Sparkline.y(10)) < 0.01 && Sparkline.y(10) < Sparkline.y(0))
        #expect(elements[0].title == "pain: 2 3 - 4 4 5 - - 10 0 1 - 2 3 (highest 10)")
        let empty = try Elements.parse(Sparkline.svg(Array(repeating: nil, count: 14), label: "pain"))
        #expect(empty[0].title == "pain: no reports")
        #expect(Elements.of(empty, name: "circle", cls: "pt").isEmpty)
    }
}
