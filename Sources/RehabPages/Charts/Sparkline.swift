/// The caseload's 14-day pain sparkline: a small inline SVG of one value per day (0-10,
/// or none), drawn from numbers only. The line breaks over days without a value; each
/// value is a dot. The `<title>` and `aria-label` say the values in words, so the drawing
/// reads without colour, images or script. Touches nothing but its arguments.
public enum Sparkline {
    public static let width = 140.0
    public static let height = 32.0
    static let pad = 3.0

    /// The y coordinate of a score.
    public static func y(_ score: Int) -> Double { pad + (10 - Double(min(10, max(0, score)))) * (height - 2 * pad) / 10 }
    /// The x coordinate of day `i` of `count`.
    public static func x(_ i: Int, of count: Int) -> Double {
        count > 1 ? pad + Double(i) * (width - 2 * pad) / Double(count - 1) : width / 2
    }

    /// The SVG for `values` (oldest first); `label` says what they are ("pain, last 14 days").
    public static func svg(_ values: [Int?], label: String) -> String {
        let known = values.compactMap { $0 }
        let words = known.isEmpty ? "\(label): no reports"
            : "\(label): " + values.map { $0.map(String.init) ?? "-" }.joined(separator: " ") + " (highest \(known.max()!))"
        let text = PageEscaping.attribute(words)
        var out = "<svg class=\"spark\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(fmt(width)) \(fmt(height))\" "
            + "width=\"\(fmt(width))\" height=\"\(fmt(height))\" role=\"img\" aria-label=\"\(text)\"><title>\(text)</title>"
        out += "<line x1=\"0\" y1=\"\(fmt(y(0)))\" x2=\"\(fmt(width))\" y2=\"\(fmt(y(0)))\" stroke=\"#999\" stroke-width=\"0.5\"/>"
        if known.isEmpty {
            out += "<text x=\"\(fmt(width / 2))\" y=\"\(fmt(height / 2 + 4))\" text-anchor=\"middle\" font-size=\"11\" fill=\"#555\">no reports</text>"
        }
        for run in runs(values) where run.count > 1 {
            let points = run.map { "\(fmt(x($0.0, of: values.count))),\(fmt(y($0.1)))" }.joined(separator: " ")
            out += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"#333\" stroke-width=\"1.2\"/>"
        }
        for (i, v) in values.enumerated() {
            guard let v else { continue }
            out += "<circle class=\"pt\" cx=\"\(fmt(x(i, of: values.count)))\" cy=\"\(fmt(y(v)))\" r=\"1.8\" fill=\"\(v >= 7 ? "#a00" : "#333")\"/>"
        }
        return out + "</svg>"
    }

    /// Consecutive runs of days with a value, as (index, value).
    static func runs(_ values: [Int?]) -> [[(Int, Int)]] {
        var result: [[(Int, Int)]] = [], current: [(Int, Int)] = []
        for (i, v) in values.enumerated() {
            if let v { current.append((i, v)) } else if !current.isEmpty { result.append(current); current = [] }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }
}

/// A number for SVG: at most two decimals, no trailing zeros.
func fmt(_ value: Double) -> String {
    let rounded = (value * 100).rounded() / 100
    if rounded == rounded.rounded() { return String(Int(rounded)) }
    var text = String(rounded)
    while text.hasSuffix("0") { text.removeLast() }
    return text
}
