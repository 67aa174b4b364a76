import Foundation
import Testing

/// `rehab batch` against the contract: its summary matches schema/batch-summary.schema.json,
/// each `<id>.json` matches the plan schema and is byte-identical to `rehab plan --format
/// json` for the same patient, as-of date and days.
@Suite("JSON contract: rehab batch")
struct JSONContractBatchTests {
    @Test func batchOutputMatchesPlanAndSchemas() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rehab-batch-contract-\(UUID().uuidString)")
        let input = root.appendingPathComponent("clinic")
        let output = root.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        for name in JSONContractTests.examples {
            try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("programs/examples/\(name).yaml"),
                                             to: input.appendingPathComponent("\(name).yaml"))
        }
        // A halted patient (with a log beside it) and a broken file.
        let p = try PatientDir()
        try JSONContractTests.logFortnight(p)
        try p.log(["--flag", "fever", "--at", "2026-11-19T10:00"])
        // Renamed to p-0009 so its id differs from the decompression example's.
        let yaml = try String(contentsOf: p.dir.appendingPathComponent("p.yaml"), encoding: .utf8)
        let log = try String(contentsOf: p.logURL, encoding: .utf8)
        try Data(yaml.replacingOccurrences(of: "id: p-0001", with: "id: p-0009").utf8)
            .write(to: input.appendingPathComponent("p-0009.yaml"))
        try Data(log.replacingOccurrences(of: "\"patient\":\"p-0001\"", with: "\"patient\":\"p-0009\"").utf8)
            .write(to: input.appendingPathComponent("p-0009.painlog"))
        let example = try String(contentsOf: packageRoot.appendingPathComponent("programs/examples/decompression-patient.yaml"), encoding: .utf8)
        let broken = example.replacingOccurrences(of: "id: p-0001", with: "id: p-0666")
            .replacingOccurrences(of: "timezone: Europe/Berlin", with: "timezone: Mars/Olympus")
        #expect(broken != example)
        try Data(broken.utf8).write(to: input.appendingPathComponent("broken.yaml"))

        let summaryFile = root.appendingPathComponent("summary.json")
        let asOf = "2026-11-23", days = "14"
        let batch = try runRehab(["batch", input.path, "--out", output.path, "--as-of", asOf, "--days", days,
                                  "--format", "both", "--summary", summaryFile.path])
        #expect(batch.status == 65, "one patient file is broken: \(batch.stderr)")
        let summary = try String(contentsOf: summaryFile, encoding: .utf8)
        try SchemaCheck.expectValid(summary, against: "batch-summary.schema.json", "the batch summary")
        let object = SchemaCheck.object(summary)
        let patients = object["patients"] as? [[String: Any]] ?? []
        #expect(patients.count == 5)
        let byStatus = Dictionary(grouping: patients) { $0["status"] as? String ?? "" }
        #expect(byStatus["failed"]?.count == 1)
        #expect(byStatus["halted"]?.first?["flags"] as? [String] == ["fever"])
        #expect(byStatus["failed"]?.first?["error"] is String)
        #expect((object["counts"] as? [String: Any])?["failed"] as? Int == 1)
        #expect(object["as_of"] as? String == asOf)

        for (file, id) in [("decompression-patient", "p-0001"), ("fusion-patient", "p-0002"),
                           ("late-leg-pain-patient", "p-0003"), ("p-0009", "p-0009")] {
            let patientFile = input.appendingPathComponent("\(file).yaml").path
            let plan = try runRehab(["plan", patientFile, "--format", "json", "--as-of", asOf, "--days", days])
            #expect(plan.status == 0)
            let planned = SchemaCheck.object(plan.stdout)["patient"] as? String ?? ""
            #expect(planned == id)
            let written = try String(contentsOf: output.appendingPathComponent("\(planned).json"), encoding: .utf8)
            #expect(written == plan.stdout, "batch's \(planned).json differs from rehab plan --format json")
            try SchemaCheck.expectValid(written, against: "plan.schema.json", "batch's \(planned).json")
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("\(planned).ics").path))
        }
    }
}
