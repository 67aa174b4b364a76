import Foundation
import RehabFormat
import RehabKit
import Testing

/// Replays the fuzz corpora (Fuzz/corpus/<target>/, committed seeds) and every crash the
/// fuzzers ever found (Fuzz/regressions/<target>/) through the ordinary build, with the
/// same checks as the fuzz targets (Fuzz/Sources/FuzzTargets/FuzzTargets.swift).
@Suite("hostile input: fuzz corpora and regressions")
struct HostileCorpusTests {
    static let fuzzRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Fuzz")
    }()

    /// Every input file for `target`, seeds and regressions.
    static func inputs(_ target: String) -> [URL] {
        ["corpus", "regressions"].flatMap { kind -> [URL] in
            let folder = fuzzRoot.appendingPathComponent(kind).appendingPathComponent(target)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            return names.filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted().map { folder.appendingPathComponent($0) }
        }
    }

    @Test(arguments: ["program", "patient", "painlog", "calendar"])
    func corpusIsPresent(_ target: String) {
        #expect(Self.inputs(target).count >= 3, "Fuzz/corpus/\(target) lost its seeds")
    }

    @Test func programInputs() throws {
        let catalog = try Catalog.shipped()
        var read = 0
        for url in Self.inputs("program") {
            guard let text = String(data: try Data(contentsOf: url), encoding: .utf8) else { continue }
            if (try? ProgramReader.read(text: text, file: url.lastPathComponent, library: catalog.library)) != nil { read += 1 }
        }
        #expect(read >= 3, "the shipped programs among the seeds must read")
    }

    @Test func patientInputs() throws {
        let catalog = try Catalog.shipped()
        var planned = 0
        for url in Self.inputs("patient") {
            guard let text = String(data: try Data(contentsOf: url), encoding: .utf8),
                  let (patient, program) = try? PatientReader.readResolved(text: text, file: "fuzz/p.yaml", catalog: catalog),
                  let zone = TimeZone(identifier: patient.timezone) else { continue }
            let plan = Planner.plan(PlanRequest(program: program, library: catalog.library, patient: patient, zone: zone,
                                                log: [], asOf: patient.startDate + 14, days: 7))
            #expect(plan.patient == patient.id)
            planned += 1
        }
        #expect(planned >= 3)
    }

    @Test func painLogInputsRoundTrip() throws {
        var parsed = 0
        for url in Self.inputs("painlog") {
            let bytes = [UInt8](try Data(contentsOf: url))
            guard let log = try? PainLog.parse(bytes, file: "fuzz.painlog") else { continue }
            var text = PainLogLine.header(patient: log.patient ?? "p-0001") + "\n"
            for entry in log.entries { text += PainLogLine.encode(entry) + "\n" }
            let again = try PainLog.parse(Array(text.utf8), file: "again.painlog")
            #expect(again.entries == log.entries, "\(url.lastPathComponent) changed when re-encoded")
            parsed += 1
        }
        #expect(parsed >= 3)
    }
}
