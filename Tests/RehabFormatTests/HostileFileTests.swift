import Foundation
import RehabFormat
import RehabKit
import Testing

/// Oversized and odd files are refused with a clear message, without reading them into
/// memory; hostile text in a log round-trips and never reaches an error message.
@Suite("hostile files")
struct HostileFileTests {
    private func tempDir() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rehab-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A sparse file of `size` bytes that starts with a valid log header.
    private func sparseLog(_ url: URL, size: UInt64) throws {
        try Data("{\"version\":1,\"patient\":\"p-0001\"}\n".utf8).write(to: url)
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: size)
        try handle.close()
    }

    @Test func anOversizedPainLogIsRefusedBeforeReading() throws {
        let url = try tempDir().appendingPathComponent("p.painlog")
        try sparseLog(url, size: 8 << 30)  // 8 GiB, sparse: reading it would take minutes
        do {
            _ = try PainLogStore.read(from: url)
            Issue.record("an 8 GiB log must be refused")
        } catch {
            #expect(error.kind == .tooLarge)
            // The size in the message comes from the file system's answer, so the log was
            // refused before any of it was read (no time bound needed to show that).
            #expect(error.description.contains("is 8192 MiB, larger than 64 MiB"))
        }
    }

    @Test func appendingToAnOversizedLogLeavesItAsItWas() throws {
        let url = try tempDir().appendingPathComponent("p.painlog")
        try sparseLog(url, size: UInt64(PainLogStore.sizeLimit) + 1)
        let report = try PainReport(at: #require(LocalDateTime(iso: "2026-11-20T09:00")), pain: 2, when: .after)
        #expect(throws: PainLogError.self) { try PainLogStore.append(.report(report), to: url, patient: "p-0001") }
        let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber
        #expect(size?.intValue == PainLogStore.sizeLimit + 1)
    }

    @Test(arguments: ["/dev/zero", "/dev/null"])
    func aDeviceIsRefusedWithoutReading(path: String) throws {
        // /dev/zero has size 0 and never ends; nothing but a regular file is read.
        do {
            _ = try SourceFile.read(path: path, file: "device.yaml")
            Issue.record("\(path) must be refused")
        } catch {
            #expect(error.diagnostic.category == "not-a-file")
            #expect(error.diagnostic.file == "device.yaml")
        }
    }

    @Test func aNamedPipeIsRefusedWithoutBlocking() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rehab-fifo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("program.yaml").path
        #expect(mkfifo(fifo, 0o600) == 0)
        do {
            _ = try SourceFile.read(path: fifo)
            Issue.record("a named pipe must be refused")
        } catch {
            #expect(error.diagnostic.category == "not-a-file")
        }
    }

    static let hostileNotes = [
        "line one\r\nline two\rthree\nfour",
        "END:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:injected\r\nEND:VEVENT",
        "nul \u{0} inside",
        "\u{202E}txet tfel-ot-thgir \u{05E9}\u{05DC}\u{05D5}\u{05DD} \u{0645}\u{0631}\u{062D}\u{0628}\u{0627}",
        "emoji \u{1F9B5}\u{1F3FD} \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467} \u{FE0F}",
        String(repeating: "\u{1F600}", count: 5_000),
        "\"quotes\" and \\backslashes\\ and {\"json\":1}\n{\"at\":\"x\"}",
    ]

    @Test(arguments: hostileNotes)
    func hostileNotesRoundTripAsOneLine(_ note: String) throws {
        let url = try tempDir().appendingPathComponent("p.painlog")
        let at = LocalDateTime(iso: "2026-11-20T09:00")
        let report = try PainReport(at: #require(at), pain: 3, when: .after, note: note)
        try PainLogStore.append(.report(report), to: url, patient: "p-0001")
        try PainLogStore.append(.report(report), to: url, patient: "p-0001")
        let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false).count == 4)  // header, 2 reports, ""
        #expect(!text.contains("\r"))
        let log = try PainLogStore.read(from: url)
        #expect(log.reports.map(\.note) == [note, note])
    }

    @Test func aDamagedLineIsReportedWithoutQuotingIt() throws {
        let marker = "MARKER-7f3a-private"
        let lines = [
            #"{"version":1,"patient":"p-0001"}"#,
            #"{"at":"2026-11-20T09:00","when":"after","pain":3,"exercise":null,"flags":[],"note":"ok"}"#,
            #"{"at":"2026-11-20T10:00","when":"sometime","pain":3,"exercise":null,"flags":[],"note":"\#(marker)"}"#,
        ]
        for damaged in [lines[2], lines[2].replacingOccurrences(of: "\"pain\":3", with: "\"pain\":\"\(marker)\""),
                        #"{"at":"2026-11-20T10:00","\#(marker)":1}"#, "\(marker) not json", #"{"note":"\#(marker)"#] {
            let text = ([lines[0], lines[1], damaged].joined(separator: "\n") + "\n")
            do {
                _ = try PainLog.parse(Array(text.utf8), file: "p.painlog")
                Issue.record("a damaged line was accepted")
            } catch {
                #expect(error.line == 3)
                #expect(!error.description.contains(marker), "the error quotes the line: \(error.description)")
                #expect(!error.description.contains("MARKER"))
            }
        }
    }
}
