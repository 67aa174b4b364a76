import RehabKit

/// The patient page's pain chart: an inline SVG over the whole history, drawn from
/// numbers only (text labels escaped). Per day, the highest during/after score (solid
/// line, dots) and the next-morning score (dashed line, squares); behind them the
/// patient's own zone bands for during/after scores (green, amber, red, moving with
/// their usual pain) and a dotted line at the usual pain; above, a mark for each stage
/// change and decision (letters, explained by `legend`). Every point, band and mark has a
/// `<title>`, and the whole an `aria-label`, so it reads without colour or script; the
/// page's table of reports carries the same numbers. Touches nothing but its arguments.
public enum PainChart {
    public static let width = 900.0
    public static let height = 300.0
    public static let left = 34.0, right = 12.0, top = 28.0, bottom = 36.0
    public static var plotHeight: Double { height - top - bottom }
    public static var plotWidth: Double { width - left - right }

    /// The y coordinate of a score (0 at the bottom of the plot, 10 at its top).
    public static func y(_ score: Double) -> Double { top + (10 - min(10, max(0, score))) * plotHeight / 10 }
    /// The x coordinate of day `i` of `count`, centred in its column.
    public static func x(_ i: Int, of count: Int) -> Double { left + (Double(i) + 0.5) * column(count) }
    static func column(_ count: Int) -> Double { plotWidth / Double(max(count, 1)) }

    /// The letter drawn for a mark, and its words for the legend.
    public static func symbol(_ kind: ChartMark.Kind) -> (letter: String, words: String) {
        switch kind {
        case .stage: ("S", "stage change")
        case .stepUp: ("+", "dose stepped up")
        case .stepDown: ("-", "dose stepped down")
        case .flare: ("F", "flare")
        case .halt: ("H", "halted by a warning sign")
        case .resume: ("R", "resumed by a clinician")
        case .approval: ("A", "approved by a clinician")
        }
    }

    /// The legend: the two series, the bands and the marks, in words.
    public static let legend: [(symbol: String, words: String)] =
        [("●", "highest during/after score of the day"), ("■", "next-morning score (dashed line)"),
         ("···", "the patient's usual pain (dotted)"),
         ("▒", "zones for during/after scores: green, amber, red (light to dark)")]
        + ChartMark.Kind.allCases.map { symbol($0) }.map { ("\($0.letter)", $0.words) }

    public static func svg(days: [ChartDay], marks: [ChartMark]) -> String {
        let n = days.count
        let da = days.compactMap(\.duringAfter), nm = days.compactMap(\.morning)
        let span = n == 0 ? "no days yet" : "\(days[0].date) to \(days[n - 1].date)"
        let summary = "Pain chart, \(span): \(da.count) days with a during/after score"
            + (da.max().map { " (highest \($0))" } ?? "") + ", \(nm.count) next-morning scores"
            + (nm.max().map { " (highest \($0))" } ?? "") + ", \(marks.count) marked decisions."
        let label = PageEscaping.attribute(summary)
        var out = "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(fmt(width)) \(fmt(height))\" "
            + "role=\"img\" aria-label=\"\(label)\"><title>\(label)</title>"
        out += bands(days)
        for s in stride(from: 0, through: 10, by: 2) {
            out += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(y(Double(s))))\" x2=\"\(fmt(width - right))\" y2=\"\(fmt(y(Double(s))))\" stroke=\"#0002\" stroke-width=\"0.5\"/>"
            out += "<text x=\"\(fmt(left - 6))\" y=\"\(fmt(y(Double(s)) + 4))\" text-anchor=\"end\" font-size=\"11\">\(s)</text>"
        }
        out += series(days, days.map(\.usual), cls: "usual", dash: "0.1 5", color: "#555", point: nil)
        out += series(days, days.map(\.morning), cls: "nm", dash: "6 4", color: "#222", point: "morning")
        out += series(days, days.map(\.duringAfter), cls: "da", dash: nil, color: "#0b4f9c", point: "during/after")
        out += dateLabels(days)
        out += markLayer(marks, days: days)
        return out + "</svg>"
    }

    /// One rectangle per zone for each run of days with the same zones.
    static func bands(_ days: [ChartDay]) -> String {
        var out = ""
        var start = 0
        for i in days.indices {
            let last = i + 1 == days.count
            if !last && days[i + 1].greenUpTo == days[start].greenUpTo && days[i + 1].redFrom == days[start].redFrom { continue }
            let d = days[start], x0 = left + Double(start) * column(days.count), w = Double(i - start + 1) * column(days.count)
            let zones: [(String, Double, Double, String, String)] = [
                ("green", 0, Double(d.greenUpTo) + 0.5, "#e3f1e6", "0-\(d.greenUpTo)"),
                ("amber", Double(d.greenUpTo) + 0.5, Double(d.redFrom) - 0.5, "#faebc8", "\(d.greenUpTo + 1)-\(d.redFrom - 1)"),
                ("red", Double(d.redFrom) - 0.5, 10, "#f4d0d0", "\(d.redFrom)-10"),
            ]
            for (name, low, high, color, scores) in zones where high > low {
                let words = "\(name) zone \(scores), \(d.date) to \(days[i].date)"
                out += "<rect class=\"band \(name)\" x=\"\(fmt(x0))\" y=\"\(fmt(y(high)))\" width=\"\(fmt(w))\" "
                    + "height=\"\(fmt(y(low) - y(high)))\" fill=\"\(color)\"><title>\(words)</title></rect>"
            }
            start = i + 1
        }
        return out
    }

    /// A line through a day value (broken where a day has none), with a titled point per
    /// value when `point` names the series.
    static func series(_ days: [ChartDay], _ values: [Int?], cls: String, dash: String?,
                       color: String, point: String?) -> String {
        var out = "", run: [String] = []
        func flush() {
            if run.count > 1 {
                let stroke = cls == "usual" ? "stroke-width=\"2.6\" stroke-linecap=\"round\"" : "stroke-width=\"1.6\""
                out += "<polyline class=\"\(cls)-line\" points=\"\(run.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" \(stroke)"
                    + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>"
            }
            run = []
        }
        for (i, day) in days.enumerated() {
            guard let v = values[i] else { flush(); continue }
            let px = fmt(x(i, of: days.count)), py = fmt(y(Double(v)))
            run.append("\(px),\(py)")
            guard let point else { continue }
            let words = "\(day.date): \(point) \(v)/10"
            if cls == "nm" {
                out += "<rect class=\"nm\" data-score=\"\(v)\" x=\"\(fmt(x(i, of: days.count) - 3.5))\" y=\"\(fmt(y(Double(v)) - 3.5))\" width=\"7\" height=\"7\" fill=\"#fff\" stroke=\"\(color)\" stroke-width=\"1.5\"><title>\(words)</title></rect>"
            } else {
                out += "<circle class=\"\(cls)\" data-score=\"\(v)\" cx=\"\(px)\" cy=\"\(py)\" r=\"3.6\" fill=\"\(color)\"><title>\(words)</title></circle>"
            }
        }
        flush()
        return out
    }

    /// The first day, the last, and days between at a whole number of weeks apart.
    static func dateLabels(_ days: [ChartDay]) -> String {
        guard !days.isEmpty else { return "" }
        let every = max(7, (days.count / 8 + 6) / 7 * 7)
        var out = ""
        for i in days.indices where i % every == 0 || i == days.count - 1 {
            if i != days.count - 1 && days.count - 1 - i < every / 2 { continue }
            let c = days[i].date.components
            let text = (c.month < 10 ? "0" : "") + "\(c.month)-" + (c.day < 10 ? "0" : "") + "\(c.day)"
            out += "<text x=\"\(fmt(x(i, of: days.count)))\" y=\"\(fmt(height - bottom + 16))\" text-anchor=\"middle\" font-size=\"11\">\(text)</text>"
        }
        return out
    }

    /// A dotted vertical line and a letter for each mark on a charted day.
    static func markLayer(_ marks: [ChartMark], days: [ChartDay]) -> String {
        guard let first = days.first?.date else { return "" }
        var out = "", stacked: [Int: Int] = [:]
        for mark in marks {
            let i = mark.date.days(since: first)
            guard days.indices.contains(i) else { continue }
            let level = stacked[i, default: 0]
            stacked[i] = level + 1
            let px = x(i, of: days.count), sym = symbol(mark.kind)
            let words = PageEscaping.attribute("\(mark.date): \(sym.words). \(mark.text)")
            out += "<g class=\"mark mark-\(mark.kind.rawValue)\"><title>\(words)</title>"
            if level == 0 {
                out += "<line x1=\"\(fmt(px))\" y1=\"\(fmt(top - 2))\" x2=\"\(fmt(px))\" y2=\"\(fmt(top + plotHeight))\" stroke=\"#333\" stroke-width=\"0.8\" stroke-dasharray=\"1 3\"/>"
            }
            out += "<text x=\"\(fmt(px + Double(level) * 9))\" y=\"\(fmt(top - 8))\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"bold\">"
                + PageEscaping.attribute(sym.letter) + "</text></g>"
        }
        return out
    }
}
