import Foundation
import Testing

/// The README's library example is the code of `Examples/plan-one-patient`, which the
/// package builds; this keeps the two copies identical.
@Suite("README library example")
struct JSONContractReadmeTests {
    @Test func readmeSnippetMatchesTheBuiltExample() throws {
        let readme = try String(contentsOf: packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let example = try String(contentsOf: packageRoot.appendingPathComponent("Examples/plan-one-patient/main.swift"),
                                 encoding: .utf8)
        let marker = "<!-- Examples/plan-one-patient/main.swift -->\n```swift\n"
        let start = try #require(readme.range(of: marker), "README.md lost the marked example block")
        let rest = readme[start.upperBound...]
        let end = try #require(rest.range(of: "\n```\n"), "the README example block is not closed")
        let snippet = String(rest[..<end.lowerBound]) + "\n"
        #expect(snippet == example, "README.md's example differs from Examples/plan-one-patient/main.swift; copy the file into the README")
    }
}
