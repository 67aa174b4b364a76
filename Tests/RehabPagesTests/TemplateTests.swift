import Foundation
import Testing
@testable import RehabPages

/// The templates: every file parses, the embedded copy is the files' text, and values are
/// HTML-escaped.
@Suite("templates")
struct TemplateTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func embeddedCopyMatchesTheFiles() throws {
        let folder = Self.root.appendingPathComponent("Sources/RehabPages/Templates")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".mustache") }
        #expect(names.count == EmbeddedTemplates.files.count, "run `make embed`")
        for name in names {
            var text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            if text.hasSuffix("\n") { text.removeLast() }
            #expect(EmbeddedTemplates.files[String(name.dropLast(".mustache".count))] == text, "\(name) is stale: run `make embed`")
        }
    }

    @Test func everyTemplateParses() throws {
        let renderer = try PageRenderer.shared.get()
        for name in EmbeddedTemplates.files.keys { #expect(renderer.has(name), "\(name)") }
    }

    @Test func valuesAreEscaped() throws {
        let renderer = try PageRenderer(templates: ["t": "<p>{{v}}</p>"])
        #expect(try renderer.render(["v": "<script>&\"'"], template: "t") == "<p>&lt;script&gt;&amp;&quot;&#39;</p>")
    }
}
