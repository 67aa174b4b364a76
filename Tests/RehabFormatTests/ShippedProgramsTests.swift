import Foundation
@testable import RehabFormat
import RehabKit
import Testing

/// The programs built into the binary must be exactly programs/*.yaml (`make embed`).
struct ShippedProgramsTests {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    static func onDisk() throws -> [String: String] {
        let folder = root.appendingPathComponent("programs")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var files: [String: String] = [:]
        for name in names where name.hasSuffix(".yaml") {
            files[name] = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
                .replacingOccurrences(of: "\r\n", with: "\n")
        }
        return files
    }

    @Test func theEmbeddedFilesMatchProgramsFolder() throws {
        let disk = try Self.onDisk()
        #expect(ShippedPrograms.files.keys.sorted() == disk.keys.sorted(),
                "Sources/RehabFormat/ShippedPrograms.swift is stale: run `make embed`")
        for (name, text) in disk {
            #expect(ShippedPrograms.files[name] == text, "\(name) changed since `make embed`")
        }
    }

    @Test func theShippedCatalogLoadsOrSaysWhyNot() throws {
        if ShippedPrograms.files[ShippedPrograms.libraryFile] == nil {
            do {
                _ = try Catalog.shipped()
                Issue.record("without a library the shipped catalog must not load")
            } catch {
                guard case .noLibrary = error else { Issue.record("expected .noLibrary, got \(error)"); return }
                #expect(error.description.contains("make embed"))
            }
        } else {
            let catalog = try Catalog.shipped()
            #expect(!catalog.library.exercises.isEmpty)
            #expect(catalog.programs.count == ShippedPrograms.files.count - ShippedPrograms.notPrograms.count)
            #expect(catalog.references?["oosterhuis-2014"] != nil)
        }
    }

    @Test func everyShippedFileAndExampleValidates() throws {
        var files = try Self.onDisk().sorted { $0.key < $1.key }.map { (file: "programs/\($0.key)", text: $0.value) }
        let examples = Self.root.appendingPathComponent("programs/examples")
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: examples.path)) ?? []).sorted()
        where name.hasSuffix(".yaml") {
            let url = examples.appendingPathComponent(name)
            files.append((file: url.path, text: try String(contentsOf: url, encoding: .utf8)))
        }
        let results = FileValidator.validate(files, fallback: nil)
        #expect(results.count == files.count)
        for problems in results { #expect(problems.isEmpty, "\(Diagnostic.renderText(problems))") }
    }

    /// Patients name programs by id; the file name is where a reader looks for it.
    @Test func everyShippedProgramIsNamedAfterItsId() throws {
        let catalog = try Catalog.load(files: ShippedPrograms.files)
        let stems = ShippedPrograms.files.keys.filter { !ShippedPrograms.notPrograms.contains($0) }
            .map { String($0.dropLast(".yaml".count)) }.sorted()
        #expect(catalog.programs.map(\.id).sorted() == stems)
    }

    /// `make embed` refuses a program whose id is not its file name, and writes nothing.
    @Test func embeddingRefusesAProgramNamedOtherThanItsId() throws {
        let tree = FileManager.default.temporaryDirectory.appendingPathComponent("rehab-embed-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: tree) }
        for folder in ["scripts", "programs", "Sources/RehabFormat"] {
            try FileManager.default.createDirectory(at: tree.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try FileManager.default.copyItem(at: Self.root.appendingPathComponent("scripts/embed-programs"),
                                         to: tree.appendingPathComponent("scripts/embed-programs"))
        for (name, text) in try Self.onDisk() {
            let renamed = name == "lumbar-fusion.yaml"
                ? text.replacingOccurrences(of: "\nid: lumbar-fusion\n", with: "\nid: 'fusion-two'  # new name\n") : text
            try renamed.write(to: tree.appendingPathComponent("programs/\(name)"), atomically: true, encoding: .utf8)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", tree.appendingPathComponent("scripts/embed-programs").path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 65)
        #expect(message.contains("programs/lumbar-fusion.yaml:13:1: error: [id] program id 'fusion-two' is not its file name"),
                "\(message)")
        let generated = tree.appendingPathComponent("Sources/RehabFormat/ShippedPrograms.swift")
        #expect(!FileManager.default.fileExists(atPath: generated.path))
    }
}
