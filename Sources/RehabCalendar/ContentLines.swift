/// iCalendar text as content lines, for callers that only scan an export's properties
/// (counting what changed, comparing events) without a libical parse.
public enum ContentLines {
    /// The logical lines of `text`: RFC 5545 folding undone (a line starting with a space
    /// or tab continues the one before), any of CRLF, LF or CR as line ends, blank lines dropped.
    public static func unfolded(_ text: String) -> [String] {
        var lines: [String] = []
        for raw in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            if let first = raw.first, first == " " || first == "\t", !lines.isEmpty {
                lines[lines.count - 1] += raw.dropFirst()
            } else {
                lines.append(String(raw))
            }
        }
        return lines
    }
}
