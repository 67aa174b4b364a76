import Foundation
@testable import RehabFormat
import RehabKit
import Testing

/// The built-in catalog parses a program only when it is named; the result must match
/// parsing everything up front, and a broken built-in must still report its diagnostics.
struct LazyCatalogTests {
    @Test func lazyProgramsMatchEagerOnes() throws {
        let eager = try Catalog.load(files: ShippedPrograms.files)
        let lazy = try Catalog.loadLazily(files: ShippedPrograms.files)
        #expect(lazy.programs.map(\.id) == eager.programs.map(\.id))
        for program in eager.programs {
            #expect(try lazy.program(reference: program.id, relativeTo: nil) == program)
        }
    }

    @Test func aBrokenBuiltInProgramReportsItsDiagnostics() throws {
        var files = ShippedPrograms.files
        files["lumbar-fusion.yaml"] = "id: lumbar-fusion\ntitle: [unclosed\n"
        let lazy = try Catalog.loadLazily(files: files)
        do {
            _ = try lazy.program(reference: "lumbar-fusion", relativeTo: nil)
            Issue.record("a broken built-in program must not load")
        } catch {
            guard case .invalidShipped(let inner) = error else {
                Issue.record("expected .invalidShipped, got \(error)"); return
            }
            #expect(!inner.diagnostics.isEmpty)
            #expect(error.description.contains("programs/lumbar-fusion.yaml"))
        }
        #expect(!lazy.programs.contains(where: { $0.id == "lumbar-fusion" }))
        // An unknown id scans every built-in file, so the broken one is reported too.
        #expect(throws: CatalogError.self) { _ = try lazy.program(reference: "no-such-program", relativeTo: nil) }
    }
}
