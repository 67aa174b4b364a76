import Foundation
@testable import RehabFormat
import Testing

struct SourceFileTests {
    private func temporaryFile(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("rehab-format-\(UUID().uuidString)-\(name)")
    }

    @Test func refusesAHugeFileBySizeWithoutReadingIt() throws {
        let url = temporaryFile("huge.yaml")
        FileManager.default.createFile(atPath: url.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: 4 << 30)  // a sparse 4 GiB file
        try handle.close()
        do {
            _ = try SourceFile.read(path: url.path, file: "huge.yaml")
            Issue.record("a 4 GiB file must be refused")
        } catch {
            guard case .invalid(let d) = error else { Issue.record("expected .invalid, got \(error)"); return }
            #expect(d.category == "too-large")
            #expect(d.message.contains("1 MiB"))
            // The exact size comes from the file system: refused by the size check, unread.
            #expect(d.message.contains("\(4 << 30) bytes"))
            #expect((d.line, d.column) == (1, 1))
        }
    }

    @Test func acceptsExactlyOneMebibyteAndRefusesOneByteMore() throws {
        let url = temporaryFile("edge.yaml")
        defer { try? FileManager.default.removeItem(at: url) }
        let line = "# padding\n"
        var text = String(repeating: line, count: SourceFile.maxBytes / line.utf8.count)
        text += String(repeating: "#", count: SourceFile.maxBytes - text.utf8.count)
        try Data(text.utf8).write(to: url)
        #expect(try SourceFile.read(path: url.path).utf8.count == SourceFile.maxBytes)
        try Data((text + "\n").utf8).write(to: url)
        #expect(throws: SourceFile.Failure.self) { try SourceFile.read(path: url.path) }
    }

    @Test func aMissingFileOrFolderIsAnIOProblem() throws {
        for path in ["/nonexistent/rehab/x.yaml", FileManager.default.temporaryDirectory.path] {
            do {
                _ = try SourceFile.read(path: path)
                Issue.record("\(path) must not read")
            } catch {
                guard case .unreadable(let d) = error else { Issue.record("expected .unreadable"); continue }
                #expect(d.category == "io")
                #expect(d.line == 0)
            }
        }
    }

    @Test func textThatIsNotUTF8IsRefusedWithAPosition() throws {
        let url = temporaryFile("latin1.yaml")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data([0x76, 0x3A, 0x20, 0xE9, 0xFF, 0x0A]).write(to: url)
        do {
            _ = try SourceFile.read(path: url.path)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.diagnostic.category == "syntax")
            #expect(error.diagnostic.message.contains("UTF-8"))
        }
    }
}
