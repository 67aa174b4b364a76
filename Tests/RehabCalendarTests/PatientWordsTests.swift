import Foundation
import RehabKit
import Testing
@testable import RehabCalendar

/// What patients read: no command lines or file names, where to log (the
/// check-in link or the paper diary), the check-in link on every event that asks for a
/// score, whom to call with their numbers, and "only your clinical team" after a halt.
@Suite struct PatientWordsTests {
    static let url = "https://rehab.example.org/p/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde/check-in"

    static func events(zone zoneName: String = "Europe/Berlin", checkIn: String? = nil, halt: Bool = false,
                       clinic: Patient.Clinic? = nil, emergency: String? = nil) throws -> [EventSpec] {
        let zone = try Fixture.zone(zoneName)
        let at = try #require(LocalDateTime(iso: "2026-11-12T15:00"))
        let haltValue = halt ? Halt(date: at.date, at: at, flags: [.chestPain, .fever],
                                    advice: [RedFlag.chestPain.defaultAdvice, RedFlag.fever.defaultAdvice]) : nil
        var patient = Fixture.patient(zone: zoneName)
        patient.clinic = clinic
        patient.emergencyNumber = emergency
        let plan = Fixture.plan(asOf: "2026-11-10", days: 7, zone: zone, halt: haltValue)
        var request = Fixture.request(plan, zone: zone, patient: patient)
        request.patientFile = "nyc.yaml"
        request.checkInURL = checkIn
        return EventPlanner(request: request).events()
    }

    @Test(arguments: [false, true])
    func noCommandLinesNoFileNames(linked: Bool) throws {
        let specs = try Self.events(checkIn: linked ? Self.url : nil, halt: true)
        #expect(Set(specs.map(\.kind)) == [.session, .checkIn, .advice])
        for spec in specs {
            for text in [spec.summary, spec.description, spec.alarmText] {
                #expect(!text.contains("rehab "), "\(spec.kind): \(text)")
                #expect(!text.contains("nyc") && !text.contains(".yaml") && !text.contains(".painlog"), "\(text)")
                #expect(!text.contains("--"), "an option in: \(text)")
            }
        }
    }

    @Test func everyEventThatAsksForAScoreCarriesTheLinkWhenLinked() throws {
        let linked = try Self.events(checkIn: Self.url)
        let asking = linked.filter { $0.kind == .session || $0.kind == .checkIn }
        #expect(asking.contains { $0.kind == .checkIn })
        for spec in asking {
            #expect(spec.url == Self.url, "\(spec.kind)")
            #expect(spec.description.contains("Send your scores and warning signs here: \(Self.url)"), "\(spec.kind)")
            #expect(!spec.description.contains("pain diary"))
        }
        let paper = try Self.events()
        for spec in paper where spec.kind == .session || spec.kind == .checkIn {
            #expect(spec.url == nil)
            #expect(spec.description.contains(
                "Write your scores in your pain diary (the handout) and bring it to your next visit."), "\(spec.kind)")
        }
        // The morning check-in asks for leg pain.
        let morning = try #require(linked.first { $0.kind == .checkIn })
        #expect(morning.description.hasPrefix("How does your leg feel this morning? Rate your leg pain from 0 (none) to 10 (worst)."))
    }

    @Test func theEmergencyNumberAndTheClinicAreThereWhereverAdviceSaysToCall() throws {
        let clinic = Patient.Clinic(name: "Harbour Physiotherapy", phone: "(02) 9876 5432")
        // Sydney: Australia's 000 by default.
        let sydney = try Self.events(zone: "Australia/Sydney", halt: true, clinic: clinic)
        for spec in sydney where spec.kind != .advice {
            #expect(spec.description.contains("- Call 000 now: numbness between your legs"), "\(spec.kind)")
            #expect(spec.description.contains("- Call Harbour Physiotherapy ((02) 9876 5432) or your surgical team today: a fever"))
        }
        let halt = try #require(sydney.first { $0.kind == .advice })
        #expect(halt.description.contains("Your clinic: Harbour Physiotherapy, (02) 9876 5432."))
        // The advice's "call your emergency number" gets the number, said once.
        #expect(halt.description.contains("call 000."))
        #expect(!halt.description.contains("your emergency number") && !halt.description.contains("Emergency: call"))
        // Advice of the program's own that names no number: the number is added.
        var program = Fixture.program()
        program.redFlagAdvice[.chestPain] = "Stop all exercises. Chest pain needs emergency care now."
        let zone = try Fixture.zone("Australia/Sydney")
        let at = try #require(LocalDateTime(iso: "2026-11-12T15:00"))
        let plan = Fixture.plan(asOf: "2026-11-12", days: 3, zone: zone, halt: Halt(date: at.date, at: at, flags: [.chestPain], advice: []))
        let own = EventPlanner(request: Fixture.request(plan, zone: zone, program: program)).events().first { $0.kind == .advice }
        #expect(own?.description.contains("Chest pain needs emergency care now.\n\nEmergency: call 000.") == true, "\(own?.description ?? "")")
        // Berlin is shared by several countries in tzdata: no default, unless the file names one.
        let berlin = try Self.events(halt: true)
        #expect(berlin.first { $0.kind == .session }?.description.contains("- Call your local emergency number now: ") == true)
        #expect(berlin.first { $0.kind == .advice }?.description.contains("Emergency: call your local emergency number.") == true)
        let named = try Self.events(emergency: "112")
        #expect(named.first { $0.kind == .session }?.description.contains("- Call 112 now: ") == true)
    }

    @Test func afterAHaltOnlyTheClinicalTeamRestarts() throws {
        let halt = try #require(try Self.events(checkIn: Self.url, halt: true).first { $0.kind == .advice })
        #expect(halt.summary == "STOP your exercises: get emergency care now")
        #expect(halt.description.contains("Only your clinical team can restart your exercises."))
        #expect(!halt.description.lowercased().contains("resume") && !halt.description.contains("clearance"))
        #expect(halt.url == nil)
    }
}
