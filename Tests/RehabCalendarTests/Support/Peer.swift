import Foundation

/// Runs the independent calendar peers through scripts/interop/*.py.
enum Peer {
    static let repo: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }  // Support, RehabCalendarTests, Tests
        return url
    }()

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// stdout of `python3 scripts/interop/<script> args...`; a missing peer is a failure
    /// that says to run `make test`.
    static func run(_ script: String, _ args: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repo.appendingPathComponent("scripts/interop/\(script)").path] + args
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch {
            throw Failure(description: "cannot start python3 (\(error)); run `make test`, which installs the calendar peers")
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errText = String(decoding: stderr, as: UTF8.self)
        switch process.terminationStatus {
        case 0: return String(decoding: stdout, as: UTF8.self)
        case 3: throw Failure(description: "\(errText.trimmingCharacters(in: .whitespacesAndNewlines)) - a calendar peer is missing: run `make test`, which installs them")
        case 127: throw Failure(description: "python3 is missing: run `make test`, which installs the calendar peers")
        default: throw Failure(description: "\(script) failed (\(process.terminationStatus)): \(errText)")
        }
    }

    /// Occurrences expanded by icalendar + recurring-ical-events.
    struct Occurrence: Decodable, Equatable {
        var uid: String
        var start: String
        var categories: [String]
        var summary: String
        var description: String
        var status: String
        var sequence: Int
    }

    static func expand(_ ics: String, from: String, to: String) throws -> [Occurrence] {
        let file = try temporaryFile(ics)
        let text = try run("expand.py", [file.path, from, to])
        return try text.split(separator: "\n").map { try JSONDecoder().decode(Occurrence.self, from: Data($0.utf8)) }
    }

    static func temporaryFile(_ text: String, name: String = "export.ics") throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rehab-cal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return file
    }
}
