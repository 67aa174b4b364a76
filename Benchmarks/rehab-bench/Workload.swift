import Foundation
import RehabFormat
import RehabKit

/// The synthetic patient and pain logs the benchmarks run on: the shipped
/// lumbar-decompression program, three sessions a day, and deterministic reports drawn
/// from a SplitMix64 stream (mostly green, some amber, the odd red day).
struct Workload {
    let catalog: Catalog
    let patient: Patient
    let program: Program
    let zone: TimeZone

    static let patientYAML = """
        version: 1
        id: bench-0001
        program: lumbar-decompression
        procedure: discectomy
        surgery_date: 2026-01-05
        start_date: 2026-01-12
        timezone: Europe/Berlin
        session_times: ["08:00", "13:00", "18:30"]
        baseline_pain: 2
        reminder_minutes: 15

        """

    init() throws {
        catalog = try Catalog.shipped()
        let resolved = try PatientReader.readResolved(text: Self.patientYAML, file: "bench-0001.yaml", catalog: catalog)
        patient = resolved.patient
        program = resolved.program
        guard let zone = TimeZone(identifier: patient.timezone) else { throw BenchError("no time zone \(patient.timezone)") }
        self.zone = zone
    }

    /// Reports for `days` days from the start date, `perDay` a day: after each of the three
    /// sessions, one next-morning report, and any further ones as `during` reports spread
    /// over the day.
    func reports(days: Int, perDay: Int, seed: UInt64 = 1) -> [LogEntry] {
        var rng = SplitMix64(seed: seed)
        var log: [LogEntry] = []
        log.reserveCapacity(days * perDay)
        let afterTimes = [8 * 60 + 40, 13 * 60 + 40, 19 * 60 + 10]
        for n in 0..<days {
            let day = patient.startDate + n
            // Most days green; about one in ten amber, one in forty red.
            let roll = rng.next(100)
            func score() -> Int { roll < 88 ? rng.next(4) : roll < 97 ? 4 + rng.next(2) : 6 + rng.next(2) }
            for k in 0..<perDay {
                let entry: PainReport
                if k < 3 {
                    entry = PainReport(at: at(day, afterTimes[k]), pain: score(), when: .after)
                } else if k == 3 {
                    let morning = roll < 97 ? 1 + rng.next(2) : 5
                    entry = PainReport(at: at(day + 1, 7 * 60 + 30), pain: morning, when: .nextMorning)
                } else {
                    let minute = 9 * 60 + (k * 7) % (12 * 60)
                    entry = PainReport(at: at(day, minute), pain: score(), when: .during)
                }
                log.append(.report(entry))
            }
        }
        return log
    }

    /// The pain log file's text for `entries`, as `rehab log` writes it.
    func logText(_ entries: [LogEntry]) -> [UInt8] {
        var text = PainLogLine.header(patient: patient.id) + "\n"
        for entry in entries { text += PainLogLine.encode(entry) + "\n" }
        return Array(text.utf8)
    }

    func request(log: [LogEntry], asOf: LocalDate, days: Int) -> PlanRequest {
        PlanRequest(program: program, library: catalog.library, patient: patient, zone: zone,
                    log: log, asOf: asOf, days: days)
    }

    private func at(_ day: LocalDate, _ minutes: Int) -> LocalDateTime {
        // Minutes are always in 0..<1440 here.
        LocalDateTime(date: day, time: LocalTime(hour: minutes / 60, minute: minutes % 60) ?? LocalTime(hour: 12, minute: 0)!)
    }
}

/// A small, fast, deterministic generator (SplitMix64).
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func next(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
