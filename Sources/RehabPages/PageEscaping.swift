/// HTML escaping for the few strings built outside a template (the attributes of SVG
/// drawings made in Swift). Templates escape everything themselves with `{{ }}`.
enum PageEscaping {
    static func attribute(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
