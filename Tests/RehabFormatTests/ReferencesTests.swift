import Foundation
@testable import RehabFormat
import Testing
import Yams

/// The reference list (`programs/references.yaml`), the source keys that point into it, and
/// a project that stands alone (no planning notes named anywhere).
struct ReferencesTests {
    /// The package's root folder.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func programFiles() throws -> [URL] {
        let folder = root.appendingPathComponent("programs")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        return names.sorted().map { folder.appendingPathComponent($0) }
    }

    static func references() throws -> ReferenceList {
        let text = try String(contentsOf: root.appendingPathComponent("programs/references.yaml"), encoding: .utf8)
        return try ReferencesReader.read(text: text, file: "programs/references.yaml")
    }

    /// Every entry of every `sources:` list in the file, found independently of the reader.
    static func sources(in url: URL) throws -> [String] {
        guard let root = try Yams.compose(yaml: String(contentsOf: url, encoding: .utf8)) else { return [] }
        var found: [String] = []
        func walk(_ node: Node) {
            switch node {
            case .mapping(let m):
                for (k, v) in m {
                    if k.string == "sources", let items = v.sequence { found += items.compactMap(\.string) } else { walk(v) }
                }
            case .sequence(let s): s.forEach(walk)
            default: break
            }
        }
        walk(root)
        return found
    }

    @Test func everySourceKeyInProgramsResolves() throws {
        let refs = try Self.references()
        var count = 0
        for url in try Self.programFiles() where url.lastPathComponent != ReferencesReader.fileName {
            for key in try Self.sources(in: url) {
                count += 1
                #expect(refs[key] != nil, "\(url.lastPathComponent): unknown source '\(key)'")
            }
        }
        #expect(count > 100)
        // The same check, as `rehab validate` runs it, finds nothing in the shipped files...
        let files = ShippedPrograms.files.map { (file: $0.key, text: $0.value) }
        let found = FileValidator.validate(files, fallback: nil).flatMap { $0 }.filter { $0.category == "unknown-source" }
        #expect(found.isEmpty, "\(Diagnostic.renderText(found))")
        // ... and does find a key that is not there, with a did-you-mean.
        let broken = try String(contentsOf: fixtures.appendingPathComponent("clinical/unknown-source.yaml"), encoding: .utf8)
        let refused = FileValidator.validate([(file: "u.yaml", text: broken)], fallback: try Catalog.shipped())[0]
        #expect(refused.map(\.category) == ["unknown-source", "unknown-source", "unknown-source"])
        #expect(refused.last?.message.contains("did you mean 'post-op-protocol-doses'?") == true)
    }

    @Test func theReviewsCitationFixesHold() throws {
        let library = try Catalog.shipped().library
        #expect(library["hamstring-stretch"]?.sources.contains("web-leg-nerve-pain-help") == false)
        #expect(library["ankle-pumps"]?.sources.contains("web-leg-pain-help") == false)
        #expect(library["ankle-pumps-hamstring"]?.sources.contains("web-leg-pain-after-surgery") == true)
        for program in try Catalog.shipped().programs {
            for stage in program.stages {
                for p in stage.prescriptions where p.exercise == "hamstring-stretch" {
                    #expect(!p.sources.contains("web-leg-nerve-pain-help"), "\(program.id)/\(stage.id)")
                }
            }
        }
        let refs = try Self.references()
        #expect(refs["silbernagel-2007"]?.supports.contains("Achilles") == true)
        #expect(refs["oosterhuis-2014"]?.published?.contains("CD003007") == true)
        #expect(refs["ostelo-2003"]?.kind == .trial)
        for key in ["web-foot-nerve-pain", "web-foot-nerve-pain-help", "web-leg-pain-after-surgery",
                    "web-leg-pain-help", "web-leg-nerve-pain-help"] {
            #expect(refs[key]?.kind == .webArticle, "\(key)")
        }
    }

    @Test func theReaderNamesEveryProblemOfAReferenceList() throws {
        let text = """
            version: 1
            references:
              - key: a-ref
                kind: webpage
                title: A
                supports: Something.
              - key: a-ref
                kind: trial
                title: B
                supports: Something else.
                url: ftp://example.org
            """
        do {
            _ = try ReferencesReader.read(text: text, file: "r.yaml")
            Issue.record("expected the list to be refused")
        } catch {
            #expect(error.diagnostics.map(\.category) == ["type", "duplicate-id", "type"])
            #expect(error.diagnostics.map(\.line) == [4, 7, 11])
        }
    }

    /// docs/clinical-basis.md names every reference a program, the library or an education
    /// item cites.
    @Test func theClinicalBasisNamesEveryReferenceTheProgramsUse() throws {
        let doc = try String(contentsOf: Self.root.appendingPathComponent("docs/clinical-basis.md"), encoding: .utf8)
        var used: Set<String> = []
        for url in try Self.programFiles() where url.lastPathComponent != ReferencesReader.fileName {
            used.formUnion(try Self.sources(in: url))
        }
        #expect(!used.isEmpty)
        for key in used.sorted() { #expect(doc.contains("`\(key)`"), "clinical-basis.md does not name '\(key)'") }
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("(docs/clinical-basis.md)"))
    }

    /// The project stands alone: no file names the planning notes it was built from.
    @Test func noFileOfTheProjectPointsOutsideIt() throws {
        // Spelled in pieces so that this file does not match itself.
        let needles = ["planning " + "repo", "shared" + "/", "GUID" + "ANCE.md"]
        var hits: [String] = []
        var scanned = 0
        let skip: Set<String> = [".build", ".git", ".swiftpm", "Package.resolved"]
        let enumerator = FileManager.default.enumerator(at: Self.root, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            if skip.contains(url.lastPathComponent) { enumerator?.skipDescendants(); continue }
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true,
                  let data = try? Data(contentsOf: url), data.count < 4_000_000,
                  let text = String(data: data, encoding: .utf8) else { continue }
            scanned += 1
            let lower = text.lowercased()
            for needle in needles where lower.contains(needle.lowercased()) {
                hits.append("\(url.path.dropFirst(Self.root.path.count)): '\(needle)'")
            }
        }
        #expect(scanned > 200)
        #expect(hits.isEmpty, "\(hits.joined(separator: "\n"))")
    }
}
