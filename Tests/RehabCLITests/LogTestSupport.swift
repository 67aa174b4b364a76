import Foundation

/// A temporary folder holding one patient file (`p.yaml`, the README's example patient) in
/// Europe/Berlin, where the `rehab` binary runs with a fixed clock (`REHAB_NOW`).
///
/// These end-to-end tests use the shipped program `lumbar-decompression` and the library
/// ids `walking` and `nerve-glide-slider` (the example ids).
struct PatientDir {
    let dir: URL

    init(extraYAML: String = "") throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("rehab-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let yaml = """
        version: 1
        id: p-0001
        program: lumbar-decompression
        procedure: discectomy
        surgery_date: 2026-11-02
        start_date: 2026-11-09
        timezone: Europe/Berlin

        """ + extraYAML
        try Data(yaml.utf8).write(to: dir.appendingPathComponent("p.yaml"))
    }

    var logURL: URL { dir.appendingPathComponent("p.painlog") }

    /// The log's bytes, or nil when there is no log.
    var logBytes: Data? { try? Data(contentsOf: logURL) }

    /// The log's lines (without the header).
    var logLines: [String] {
        guard let bytes = logBytes else { return [] }
        return Array(String(decoding: bytes, as: UTF8.self).split(separator: "\n").dropFirst().map(String.init))
    }

    /// Runs `rehab COMMAND p.yaml ARGS...` in the folder, "now" being `now`.
    func run(_ command: String, _ arguments: [String] = [], now: String = "2026-11-20T08:30:00Z") throws -> ProcessResult {
        var environment = ProcessInfo.processInfo.environment
        environment["REHAB_NOW"] = now
        return try runRehab([command, "p.yaml"] + arguments, in: dir, environment: environment)
    }

    /// Logs a report and requires success.
    @discardableResult
    func log(_ arguments: [String], now: String = "2026-11-20T08:30:00Z") throws -> ProcessResult {
        let result = try run("log", arguments, now: now)
        guard result.status == 0 else {
            throw SetupFailed(message: "rehab log \(arguments) failed: \(result.status) \(result.stderr)")
        }
        return result
    }

    struct SetupFailed: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
