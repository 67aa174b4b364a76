import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import RehabFormat
import RehabKit
@testable import RehabServer

/// `ServerFixture` with a clinician file (one clinician, `Dr Weber`), a movable clock and a
/// halted patient: p-0001 reported a warning sign the evening before.
struct ClinicFixture {
    static let name = "Dr Weber"
    static let password = "correct horse battery staple"
    /// One cost-12 hash for the whole suite (bcrypt takes a while by design).
    static let hash = ClinicPasswords.hash(password)

    var base: ServerFixture
    let clock = TestClock(ServerFixture.now)  // HardeningTests.swift
    var cliniciansFile: URL { base.dir.appendingPathComponent("clinicians") }
    var auditFile: URL { base.dir.appendingPathComponent("clinicians.audit") }

    init(halted: Bool = true, extraYAML: String = "", _ configure: (inout ClinicSettings) -> Void = { _ in }) throws {
        base = try ServerFixture()
        if !extraYAML.isEmpty {
            let yaml = try String(contentsOf: base.patientFile, encoding: .utf8) + extraYAML
            try Data(yaml.utf8).write(to: base.patientFile)
        }
        try Data("\(Self.name):\(Self.hash)\n".utf8).write(to: cliniciansFile)
        var settings = ClinicSettings(clinicians: cliniciansFile)
        settings.failureDelay = 0.01
        configure(&settings)
        base.config.clinic = settings
        let clock = self.clock
        base.config.now = { clock.now }
        if halted {
            let evening = LocalDateTime(date: LocalDate(iso: "2026-11-19")!, time: LocalTime(hour: 19, minute: 0)!)
            try PainLogStore.append(.report(PainReport(at: evening, pain: 3, when: .after, flags: [.fever])),
                                    to: base.logURL, patient: "p-0001")
        }
    }

    func server() -> RehabServer { RehabServer(base.config) }
    var auditText: String { (try? String(contentsOf: auditFile, encoding: .utf8)) ?? "" }
}

extension TestClientProtocol {
    /// Signs in; the `Cookie` header value to send, or nil when refused.
    func signIn(_ name: String = ClinicFixture.name, _ password: String = ClinicFixture.password,
                headers: HTTPFields = [:]) async throws -> String? {
        let response = try await login(name, password, headers: headers)
        guard response.status == .seeOther, let setCookie = response.headers[.setCookie] else { return nil }
        return String(setCookie.split(separator: ";")[0])
    }

    func login(_ name: String, _ password: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        headers[.contentType] = "application/x-www-form-urlencoded"
        let form = "name=\(ClinicFixture.formEncoded(name))&password=\(ClinicFixture.formEncoded(password))"
        return try await execute(uri: "/clinic/login", method: .post, headers: headers, body: ByteBuffer(string: form))
    }

    func get(_ uri: String, cookie: String) async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: [.cookie: cookie])
    }

    func post(_ uri: String, form: String, cookie: String, origin: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"]
        if let origin { headers[HTTPField.Name("Origin")!] = origin }
        return try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: form))
    }

    /// The CSRF token in a signed-in page's forms.
    func csrf(cookie: String, page: String = "/clinic/patients/p-0001") async throws -> String? {
        ClinicFixture.csrf(in: try await get(page, cookie: cookie).text)
    }
}

extension ClinicFixture {
    static func formEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
    }

    /// The value of the first `csrf` hidden field in a page.
    static func csrf(in html: String) -> String? {
        let pattern = #"<input[^>]*name="csrf"[^>]*>"#
        guard let tag = html.range(of: pattern, options: String.CompareOptions.regularExpression) else { return nil }
        let input = String(html[tag])
        guard let value = input.range(of: #"value="[^"]+""#, options: String.CompareOptions.regularExpression) else { return nil }
        return String(input[value].dropFirst(7).dropLast())
    }
}
