import Foundation
@testable import RehabFormat
import RehabKit

/// The copied `Fixtures` folder of this test target.
let fixtures: URL = {
    Bundle.module.url(forResource: "Fixtures", withExtension: nil)
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
}()

func fixtureText(_ relative: String) throws -> String {
    try String(contentsOf: fixtures.appendingPathComponent(relative), encoding: .utf8)
}

/// The broken fixtures' file names, sorted.
func brokenFixtureNames() -> [String] {
    let folder = fixtures.appendingPathComponent("broken")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".yaml") }.sorted()
}

/// One expected diagnostic: `category line:column`.
struct Expected: Hashable, CustomStringConvertible {
    var category: String
    var line: Int
    var column: Int
    var description: String { "\(category) \(line):\(column)" }

    /// Parses the first line, `# expect: cat L:C, cat L:C`.
    static func parse(firstLineOf text: String) -> [Expected]? {
        guard let first = text.split(separator: "\n", omittingEmptySubsequences: false).first,
              first.hasPrefix("# expect:") else { return nil }
        return first.dropFirst("# expect:".count).split(separator: ",").compactMap { item in
            let parts = item.split(separator: " ")
            guard parts.count == 2 else { return nil }
            let pos = parts[1].split(separator: ":")
            guard pos.count == 2, let l = Int(pos[0]), let c = Int(pos[1]) else { return nil }
            return Expected(category: String(parts[0]), line: l, column: c)
        }
    }
}

/// The valid fixture library and program as a catalog.
func fixtureCatalog() throws -> Catalog {
    let library = try LibraryReader.read(text: try fixtureText("valid/library.yaml"), file: "valid/library.yaml")
    let program = try ProgramReader.read(text: try fixtureText("valid/program.yaml"), file: "valid/program.yaml",
                                         library: library)
    return Catalog(library: library, programs: [program])
}
