import Foundation

/// The caseload's rendered rows, remembered by their values: a row whose summary has not
/// changed is not rendered again, so a caseload of 1,000 patients with nothing new costs
/// a lookup per row. Rows not yet seen are rendered on every core. Holds rendered text
/// only (no files, no clock); forgets everything once it holds more than 20,000 rows.
final class RowMemo: @unchecked Sendable {
    static let shared = RowMemo()

    private struct Key: Hashable {
        var summary: PatientSummary
        var basePath: String
    }

    private let lock = NSLock()
    private var rendered: [Key: String] = [:]

    /// The `clinic-caseload-row` HTML of each row, in order, joined.
    func rows(_ rows: [PatientSummary], basePath: String) throws(PageRenderer.PageError) -> String {
        let keys = rows.map { Key(summary: $0, basePath: basePath) }
        var html: [String?] = lock.withLock { keys.map { rendered[$0] } }
        let missing = html.indices.filter { html[$0] == nil }
        if !missing.isEmpty {
            let renderer = try PageRenderer.shared.get()
            let results = Results(missing.count)
            DispatchQueue.concurrentPerform(iterations: missing.count) { k in
                let key = keys[missing[k]]
                results.set(k, Result { () throws(PageRenderer.PageError) -> String in
                    try renderer.render(ClinicPages.row(for: key.summary, basePath: basePath), template: "clinic-caseload-row")
                })
            }
            for (k, i) in missing.enumerated() { html[i] = try results.items[k]!.get() }
            lock.withLock {
                if rendered.count + missing.count > 20_000 { rendered.removeAll() }
                for i in missing { rendered[keys[i]] = html[i] }
            }
        }
        return html.map { $0! }.joined()
    }

    /// Results filled in by concurrent workers, one slot each.
    private final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var items: [Result<String, PageRenderer.PageError>?]
        init(_ count: Int) { items = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ result: Result<String, PageRenderer.PageError>) { lock.withLock { items[i] = result } }
    }
}
