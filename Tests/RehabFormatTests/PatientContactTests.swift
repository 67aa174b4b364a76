import Foundation
import RehabFormat
import RehabKit
import Testing

/// The patient file's `clinic` and `emergency_number`, and the default emergency number.
@Suite struct PatientContactTests {
    static func yaml(zone: String = "Europe/Berlin", extra: String = "") -> String {
        """
        version: 1
        id: p-0001
        program: lumbar-decompression
        procedure: discectomy
        surgery_date: 2026-11-02
        start_date: 2026-11-09
        timezone: \(zone)

        """ + extra
    }

    static func check(_ text: String) throws -> [Diagnostic] {
        FileValidator.checkPatient(FileValidator.parse(text: text, file: "p.yaml"), catalog: try Catalog.shipped())
    }

    @Test func clinicAndEmergencyNumberAreRead() throws {
        let text = Self.yaml(extra: """
            clinic:
              name: Riverside Spine Physio
              phone: "+49 30 1234567"
            emergency_number: 112

            """)
        let patient = try PatientReader.read(text: text, file: "p.yaml", catalog: try Catalog.shipped())
        #expect(patient.clinic == Patient.Clinic(name: "Riverside Spine Physio", phone: "+49 30 1234567"))
        #expect(patient.emergencyNumber == "112")
        #expect(EmergencyNumber.for(patient: patient) == "112")
        #expect(try Self.check(text).isEmpty)
        // "000" unquoted stays "000", never the number 0.
        let sydney = try PatientReader.read(text: Self.yaml(zone: "Australia/Sydney", extra: "emergency_number: 000\n"),
                                            file: "p.yaml", catalog: try Catalog.shipped())
        #expect(sydney.emergencyNumber == "000")
    }

    @Test func aZoneWithoutADefaultWarnsButTheFileIsUsable() throws {
        let berlin = try Self.check(Self.yaml())
        #expect(berlin.count == 1)
        let warning = try #require(berlin.first)
        #expect(warning.severity == .warning && warning.category == "emergency-number")
        #expect(warning.line == 7 && warning.column == 11)
        #expect(warning.rendered.hasPrefix("p.yaml:7:11: warning: [emergency-number] no emergency number is known for time zone 'Europe/Berlin'"))
        let patient = try PatientReader.read(text: Self.yaml(), file: "p.yaml", catalog: try Catalog.shipped())
        #expect(EmergencyNumber.for(patient: patient) == "your local emergency number")
        // A zone with a default, or a number in the file: no warning.
        #expect(try Self.check(Self.yaml(zone: "Australia/Sydney")).isEmpty)
        #expect(try Self.check(Self.yaml(zone: "America/New_York")).isEmpty)
        #expect(try Self.check(Self.yaml(extra: "emergency_number: \"112\"\n")).isEmpty)
    }

    /// A usual pain above 6 warns (at the value), plain or dated; 6 and below do not, and
    /// the file still plans.
    @Test func aUsualPainAboveSixWarnsAtTheValue() throws {
        let sydney = "Australia/Sydney"
        #expect(try Self.check(Self.yaml(zone: sydney, extra: "baseline_pain: 6\n")).isEmpty)
        let plain = try Self.check(Self.yaml(zone: sydney, extra: "baseline_pain: 7\n"))
        #expect(plain.map(\.category) == ["high-baseline"])
        #expect(plain.first?.severity == .warning && plain.first?.line == 8 && plain.first?.column == 16)
        let dated = try Self.check(Self.yaml(zone: sydney, extra: """
            baseline_pain:
              - {from: 2026-11-02, value: 5}
              - {from: 2026-11-20, value: 8}

            """))
        #expect(dated.map(\.category) == ["high-baseline"])
        #expect(dated.first?.line == 10)
        #expect(dated.first?.rendered.contains("'baseline_pain' is 8") == true)
        let patient = try PatientReader.read(text: Self.yaml(zone: sydney, extra: "baseline_pain: 9\n"),
                                             file: "p.yaml", catalog: try Catalog.shipped())
        #expect(patient.baselinePain == 9)
    }

    @Test(arguments: [
        ("clinic: Riverside\n", "type"),
        ("clinic:\n  name: Riverside\n", "missing-key"),
        ("clinic:\n  name: Riverside\n  phone: call us\n", "phone"),
        ("clinic:\n  name: Riverside\n  phone: \"1\"\n", "phone"),
        ("clinic:\n  name: \"Line\\nbreak\"\n  phone: \"+49 30 1\"\n", "clinic"),
        ("clinic:\n  name: Riverside\n  phone: \"+49 30 1\"\n  fax: \"1\"\n", "unknown-key"),
        ("emergency_number: \"11 2\"\n", "emergency-number"),
        ("emergency_number: \"+112\"\n", "emergency-number"),
        ("emergency_number: \"1234567890\"\n", "phone"),
    ])
    func badContactsAreErrorsThatNameTheKey(extra: String, category: String) throws {
        let diagnostics = try Self.check(Self.yaml(zone: "America/New_York", extra: extra))
        #expect(diagnostics.contains { $0.category == category && $0.severity == .error }, "\(diagnostics.map(\.rendered))")
        #expect(throws: DiagnosticsError.self) {
            try PatientReader.read(text: Self.yaml(zone: "America/New_York", extra: extra), file: "p.yaml", catalog: try Catalog.shipped())
        }
    }
}

/// The default emergency number's table against tzdata.
@Suite struct EmergencyNumberTests {
    @Test func defaultsOnlyWhereTheZoneHasOneCountry() {
        #expect(EmergencyNumber.for(zone: "Australia/Sydney") == "000")
        #expect(EmergencyNumber.for(zone: "America/New_York") == "911")
        #expect(EmergencyNumber.for(zone: "America/Vancouver") == "911")
        #expect(EmergencyNumber.for(zone: "Europe/Madrid") == "112")
        #expect(EmergencyNumber.for(zone: "Europe/Dublin") == "112")
        // Shared zones and old names: none.
        for zone in ["Europe/Berlin", "Europe/London", "Asia/Tokyo", "Pacific/Auckland", "America/Toronto",
                     "US/Eastern", "Europe/Copenhagen", "Etc/UTC", "Nowhere/Else"] {
            #expect(EmergencyNumber.for(zone: zone) == nil, "\(zone)")
        }
        // Every country of the zone table has a number.
        #expect(Set(EmergencyNumber.zones.values).isSubset(of: Set(EmergencyNumber.numbers.keys)))
    }

    /// Every zone of the table is a row of the installed zone1970.tab with exactly its one
    /// country, and every such row for a country of the number table is in the table.
    @Test func theZoneTableIsZone1970TabsSingleCountryRows() throws {
        let path = "/usr/share/zoneinfo/zone1970.tab"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            Issue.record("\(path) is missing: install Debian's tzdata (scripts/install-deps.sh) to check the table")
            return
        }
        var single: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard columns.count >= 3 else { continue }
            let countries = columns[0].split(separator: ",")
            if countries.count == 1, EmergencyNumber.numbers[String(countries[0])] != nil {
                single[String(columns[2])] = String(countries[0])
            }
        }
        #expect(single == EmergencyNumber.zones)
    }
}
