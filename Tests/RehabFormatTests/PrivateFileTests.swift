import Foundation
#if canImport(Glibc)
import Glibc
#endif
import RehabKit
@testable import RehabFormat
import Testing

/// `PrivateFile`, the one way a file holding patient data is opened, and what is built on
/// it: the pain log store, `SourceFile`, and program files kept by identity.
@Suite("PrivateFile: links, pipes and program files")
struct PrivateFileTests {
    func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rehab-private-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func linksPipesFoldersAndDevicesAreRefusedAtOnce() throws {
        let dir = try tempDir()
        let file = dir.appendingPathComponent("real").path
        #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("link").path, withDestinationPath: file)
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("dangling").path, withDestinationPath: "gone")
        #expect(mkfifo(dir.appendingPathComponent("pipe").path, 0o600) == 0)
        let cases: [(String, PrivateFile.Refusal)] = [
            (dir.appendingPathComponent("link").path, .link), (dir.appendingPathComponent("dangling").path, .link),
            (dir.appendingPathComponent("pipe").path, .notRegular("a named pipe (FIFO)")), (dir.path, .folder),
            ("/dev/null", .notRegular("a device")), (dir.appendingPathComponent("none").path, .missing),
        ]
        for (path, expected) in cases {
            switch PrivateFile.openFile(path, O_RDONLY) {
            case .success(let opened): close(opened.fd); Issue.record("\(path) opened")
            case .failure(let refusal): #expect(refusal == expected, "\(path)")
            }
        }
        guard case .success(let opened) = PrivateFile.openFile(file, O_RDONLY) else { Issue.record("regular file refused"); return }
        close(opened.fd)
    }

    @Test func theStoreNeverWritesThroughALink() throws {
        let dir = try tempDir()
        let outside = dir.appendingPathComponent("outside")
        try Data("keep me\n".utf8).write(to: outside)
        let log = dir.appendingPathComponent("p.painlog")
        try FileManager.default.createSymbolicLink(at: log, withDestinationURL: outside)
        let report = PainReport(at: LocalDateTime(date: LocalDate(iso: "2026-11-20")!, time: LocalTime(hour: 9, minute: 0)!),
                                pain: nil, when: .after, flags: [.fever])
        do {
            try PainLogStore.append(.report(report), to: log, patient: "p-0001", keepingDamage: true)
            Issue.record("written through a link")
        } catch {
            #expect(error.kind == .notAFile)
            #expect(error.message.contains("symbolic link"))
        }
        #expect(try String(contentsOf: outside, encoding: .utf8) == "keep me\n")
        #expect(throws: PainLogError.self) { try PainLogStore.read(from: log) }
    }

    @Test func aLogOfAnotherPatientIsRefusedWhenTheOwnerIsGiven() throws {
        let dir = try tempDir()
        let log = dir.appendingPathComponent("p.painlog")
        try Data((PainLogLine.header(patient: "p-0002") + "\n").utf8).write(to: log)
        #expect(try PainLogStore.read(from: log).patient == "p-0002")
        do { _ = try PainLogStore.read(from: log, patient: "p-0001"); Issue.record("accepted") } catch {
            #expect(error.kind == .mismatch)
        }
    }

    /// A program file named by many patients is parsed once while it stays the same, and
    /// again when it changes.
    @Test func aProgramFileIsParsedOncePerIdentity() throws {
        let dir = try tempDir()
        let shipped = try #require(ShippedPrograms.files["lumbar-decompression.yaml"])
        let path = dir.appendingPathComponent("own.yaml")
        try Data(shipped.replacingOccurrences(of: "id: lumbar-decompression", with: "id: own").utf8).write(to: path)
        var old = [timespec(tv_sec: 1_700_000_000, tv_nsec: 0), timespec(tv_sec: 1_700_000_000, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, path.path, &old, 0) == 0)
        let catalog = Catalog(library: try Catalog.shipped().library)  // a store of its own
        let before = catalog.programFileParses
        for _ in 0..<50 { #expect(try catalog.program(reference: "own.yaml", relativeTo: dir.path).id == "own") }
        #expect(catalog.programFileParses == before + 1)
        try Data(shipped.replacingOccurrences(of: "id: lumbar-decompression", with: "id: own-two").utf8).write(to: path)
        #expect(try catalog.program(reference: "own.yaml", relativeTo: dir.path).id == "own-two")
        #expect(catalog.programFileParses == before + 2)
    }
}
