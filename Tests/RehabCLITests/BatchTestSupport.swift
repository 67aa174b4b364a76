import Foundation

/// A temporary clinic: patient files (in subfolders too) under `in/`, outputs in `out/`,
/// and the `rehab` binary run from the clinic folder with a fixed clock.
struct ClinicDir {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("rehab-batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("in"), withIntermediateDirectories: true)
    }

    /// Writes a patient file `in/<relative>` for `id`, varying the zone and session times.
    func addPatient(_ relative: String, id: String, zone: String = "Europe/Berlin", extra: String = "") throws {
        try write("in/\(relative)", """
            version: 1
            id: \(id)
            program: lumbar-decompression
            procedure: discectomy
            surgery_date: 2026-11-02
            start_date: 2026-11-09
            timezone: \(zone)

            """ + extra)
    }

    func write(_ relative: String, _ text: String) throws {
        let url = root.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func bytes(_ relative: String) -> Data? { try? Data(contentsOf: root.appendingPathComponent(relative)) }

    /// The names of the files in a folder of the clinic (sorted), or [] when there is none.
    func files(_ relative: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(relative).path)) ?? [])
            .filter { !$0.hasPrefix(".") }.sorted()
    }

    /// Runs `rehab ARGS...` in the clinic folder.
    func run(_ arguments: [String], now: String = "2026-11-20T08:30:00Z") throws -> ProcessResult {
        var environment = ProcessInfo.processInfo.environment
        environment["REHAB_NOW"] = now
        return try runRehab(arguments, in: root, environment: environment)
    }

    /// The summary JSON written with `--summary`.
    func summary(_ relative: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: bytes(relative) ?? Data()) as? [String: Any] ?? [:]
    }
}
