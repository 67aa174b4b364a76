import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RehabFormat
import RehabKit
import Testing
@testable import RehabServer

/// The clinic's sign-in, sessions, CSRF and Origin checks, lockout, audit trail and
/// headers, through the router (and once over loopback for the client address).
@Suite(.serialized) struct ClinicSecurityTests {
    static let getPaths = ["/clinic/", "/clinic/patients/p-0001"]
    static let postPaths = ["/clinic/logout", "/clinic/patients/p-0001/approve", "/clinic/patients/p-0001/resume"]

    @Test func withoutAClinicianFileEveryClinicPathIs404() async throws {
        let f = try ServerFixture()
        try await f.server().application().test(.router) { client async throws in
            for path in ["/clinic/login", "/clinic/", "/clinic/alerts.json"] + Self.getPaths {
                #expect(try await client.get(path).status == .notFound, "\(path)")
            }
            #expect(try await client.post("/clinic/login", form: "name=a&password=b").status == .notFound)
        }
    }

    @Test func withoutASessionEveryPathSendsToTheLoginPage() async throws {
        let f = try ClinicFixture()
        let before = f.base.logText
        try await f.server().application().test(.router) { client async throws in
            #expect(try await client.get("/clinic/login").status == .ok)
            for path in Self.getPaths {
                let r = try await client.get(path)
                #expect(r.status == .seeOther, "\(path)")
                #expect(r.headers[.location] == "/clinic/login", "\(path)")
            }
            for path in Self.postPaths {
                let r = try await client.post(path, form: "csrf=x&exercise=slump-sitting")
                #expect(r.status == .seeOther, "\(path)")
                #expect(r.headers[.location] == "/clinic/login", "\(path)")
            }
            #expect(try await client.get("/clinic/alerts.json").status == .unauthorized)
            // A made-up cookie is no session either.
            #expect(try await client.get("/clinic/", cookie: "rehab_clinic=AAAA").status == .seeOther)
            // Paths the clinic does not have are no clinic page: 404 with or without a
            // session, with the clinic's headers all the same.
            let signedIn = try #require(try await client.signIn())
            for path in ["/clinic/foo", "/clinic/patients/p-0001/extra", "/clinic/patients"] {
                for cookie in [nil, signedIn] {
                    let r: TestResponse
                    if let cookie { r = try await client.get(path, cookie: cookie) } else { r = try await client.get(path) }
                    #expect(r.status == .notFound, "\(path)")
                    #expect(r.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer", "\(path)")
                    #expect(r.headers[HTTPField.Name("Content-Security-Policy")!] != nil, "\(path)")
                }
            }
        }
        #expect(f.base.logText == before)
    }

    @Test func signInSetsAStrictCookieWithANewIdEachTime() async throws {
        let f = try ClinicFixture()
        try await f.server().application().test(.router) { client async throws in
            let response = try await client.login(ClinicFixture.name, ClinicFixture.password)
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/clinic/")
            let setCookie = try #require(response.headers[.setCookie])
            let attributes = Set(setCookie.split(separator: ";").dropFirst().map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
            #expect(attributes.isSuperset(of: ["httponly", "samesite=strict", "path=/clinic", "secure"]), "\(attributes)")
            let value = String(setCookie.split(separator: ";")[0].split(separator: "=", maxSplits: 1)[1])
            #expect(Data(base64Encoded: value)?.count == 32)  // 256 bits
            let first = "rehab_clinic=\(value)"
            #expect(try await client.get("/clinic/", cookie: first).status == .ok)
            // Signing in again (with the old cookie) gives a new id and drops the old one.
            var headers: HTTPFields = [:]
            headers[.cookie] = first
            let second = try #require(try await client.signIn(headers: headers))
            #expect(second != first)
            #expect(try await client.get("/clinic/", cookie: first).status == .seeOther)
            #expect(try await client.get("/clinic/", cookie: second).status == .ok)
            // Signing out ends it.
            let token = try #require(try await client.csrf(cookie: second))
            #expect(try await client.post("/clinic/logout", form: "csrf=\(token)", cookie: second).status == .seeOther)
            #expect(try await client.get("/clinic/", cookie: second).status == .seeOther)
        }
        let insecure = try ClinicFixture { $0.secureCookies = false }
        try await insecure.server().application().test(.router) { client async throws in
            let setCookie = try #require(try await client.login(ClinicFixture.name, ClinicFixture.password).headers[.setCookie])
            #expect(!setCookie.lowercased().contains("secure"))
        }
    }

    @Test func aWrongPasswordOrUnknownNameIsRefused() async throws {
        let f = try ClinicFixture()
        try await f.server().application().test(.router) { client async throws in
            let wrong = try await client.login(ClinicFixture.name, "not the password")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.headers[.setCookie] == nil)
            #expect(wrong.text.contains("do not match"))
            #expect(try await client.login("Dr Nobody", ClinicFixture.password).status == .unauthorized)
            #expect(try await client.login(ClinicFixture.name, "").status == .unauthorized)
            #expect(try await client.signIn() != nil)
        }
    }

    @Test func fiveFailuresLockTheNameAndAddressOnly() async throws {
        let f = try ClinicFixture { $0.trustedProxy = "127.0.0.1" }
        try await f.server().application().test(.live) { client async throws in
            let attacker: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "203.0.113.9"]
            let colleague: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "198.51.100.7"]
            for _ in 0..<5 {
                #expect(try await client.login(ClinicFixture.name, "guess", headers: attacker).status == .unauthorized)
            }
            // Locked: even the right password is not checked from there.
            let locked = try await client.login(ClinicFixture.name, ClinicFixture.password, headers: attacker)
            #expect(locked.status == .tooManyRequests)
            #expect(locked.headers[.setCookie] == nil)
            // The same clinician from another address signs in.
            #expect(try await client.signIn(headers: colleague) != nil)
            // After the lock's 15 minutes the pair may try again.
            f.clock.advance(15 * 60 + 1)
            #expect(try await client.signIn(headers: attacker) != nil)
        }
        #expect(f.auditText.contains("sign-in refused; locked"))
    }

    @Test func aForwardedAddressIsBelievedOnlyFromTheTrustedProxy() async throws {
        let f = try ClinicFixture()  // no --trusted-proxy: X-Forwarded-For is ignored
        try await f.server().application().test(.live) { client async throws in
            for i in 0..<5 {
                let headers: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "203.0.113.\(i)"]
                #expect(try await client.login(ClinicFixture.name, "guess", headers: headers).status == .unauthorized)
            }
            let other: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "198.51.100.7"]
            #expect(try await client.login(ClinicFixture.name, ClinicFixture.password, headers: other).status == .tooManyRequests)
        }
    }

    @Test func aPostWithoutTheRightCSRFTokenOrFromAnotherOriginWritesNothing() async throws {
        let f = try ClinicFixture()
        let before = try Data(contentsOf: f.base.logURL)
        try await f.server().application().test(.router) { client async throws in
            let cookie = try #require(try await client.signIn())
            let token = try #require(try await client.csrf(cookie: cookie))
            let resume = "/clinic/patients/p-0001/resume"
            #expect(try await client.post(resume, form: "", cookie: cookie).status == .forbidden)
            #expect(try await client.post(resume, form: "csrf=\(token.dropLast())A", cookie: cookie).status == .forbidden)
            #expect(try await client.post(resume, form: "csrf=", cookie: cookie).status == .forbidden)
            let foreign = try await client.post(resume, form: "csrf=\(token)", cookie: cookie, origin: "https://evil.example")
            #expect(foreign.status == .forbidden)
            #expect(try await client.post("/clinic/patients/p-0001/approve", form: "stage=s2", cookie: cookie).status == .forbidden)
            #expect(try Data(contentsOf: f.base.logURL) == before)
            // Another session's token is no good either.
            let other = try #require(try await client.signIn())
            #expect(try await client.post(resume, form: "csrf=\(token)", cookie: other).status == .forbidden)
            #expect(try Data(contentsOf: f.base.logURL) == before)
            // The right token from the base URL's origin is taken.
            let done = try await client.post(resume, form: "csrf=\(token)", cookie: cookie, origin: "https://rehab.example.org")
            #expect(done.status == .seeOther)
            #expect(done.headers[.location] == "/clinic/patients/p-0001")
        }
        let resumes = f.base.logEntries.compactMap { entry -> Resume? in
            if case .resume(let r) = entry { return r }
            return nil
        }
        #expect(resumes.map(\.clearedBy) == [ClinicFixture.name])
        #expect(f.auditText.contains("refused: foreign origin"))
    }

    @Test func aForeignOriginCannotSignIn() async throws {
        let f = try ClinicFixture()
        try await f.server().application().test(.router) { client async throws in
            let headers: HTTPFields = [HTTPField.Name("Origin")!: "https://evil.example"]
            #expect(try await client.login(ClinicFixture.name, ClinicFixture.password, headers: headers).status == .forbidden)
            let sameSite: HTTPFields = [HTTPField.Name("Origin")!: "https://rehab.example.org:8443"]
            #expect(try await client.login(ClinicFixture.name, ClinicFixture.password, headers: sameSite).status == .forbidden)
            // What Chromium sends for a form on a no-referrer page, and the base URL's own origin.
            for origin in ["null", "https://rehab.example.org"] {
                let ok: HTTPFields = [HTTPField.Name("Origin")!: origin]
                #expect(try await client.signIn(headers: ok) != nil, "\(origin)")
            }
            // Another site's page can make a browser send `Origin: null` too; the browser's
            // Sec-Fetch-Site still says where the form came from, and that is refused
            // before any password is checked or any failure counted.
            for site in ["cross-site", "same-site"] {
                let forged: HTTPFields = [HTTPField.Name("Origin")!: "null", HTTPField.Name("Sec-Fetch-Site")!: site]
                #expect(try await client.login(ClinicFixture.name, "wrong", headers: forged).status == .forbidden, "\(site)")
            }
            let own: HTTPFields = [HTTPField.Name("Origin")!: "null", HTTPField.Name("Sec-Fetch-Site")!: "same-origin"]
            #expect(try await client.signIn(headers: own) != nil)
        }
    }

    @Test func aPatientTokenOpensNoClinicPageAndAClinicCookieNoTokenPage() async throws {
        let f = try ClinicFixture()
        try await f.server().application().test(.router) { client async throws in
            let token = f.base.token
            #expect(try await client.get("/clinic/p/\(token)/check-in").status == .notFound)
            #expect(try await client.get("/clinic/feeds/\(token)/calendar.ics").status == .notFound)
            #expect(try await client.get("/clinic/?token=\(token)").status == .seeOther)
            #expect(try await client.get("/clinic/", [.authorization: "Bearer \(token)"]).status == .seeOther)
            let cookie = try #require(try await client.signIn())
            #expect(try await client.get("/clinic/patients/\(token)", cookie: cookie).status == .notFound)
            let id = String(cookie.dropFirst("rehab_clinic=".count))
            let escaped = id.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            #expect(try await client.get("/p/\(escaped)/check-in", cookie: cookie).status == .notFound)
            #expect(try await client.get("/feeds/\(escaped)/calendar.ics", cookie: cookie).status == .notFound)
            #expect(try await client.post("/p/\(escaped)/check-in", form: "pain=2&when=during", cookie: cookie).status == .notFound)
        }
    }

    @Test func everyClinicAnswerHasTheSecurityHeaders() async throws {
        let f = try ClinicFixture()
        try await f.server().application().test(.router) { client async throws in
            let cookie = try #require(try await client.signIn())
            let token = try #require(try await client.csrf(cookie: cookie))
            var answers: [(String, TestResponse)] = [
                ("login", try await client.get("/clinic/login")),
                ("login refused", try await client.login(ClinicFixture.name, "wrong")),
                ("redirect", try await client.get("/clinic/")),
                ("alerts 401", try await client.get("/clinic/alerts.json")),
                ("caseload", try await client.get("/clinic/", cookie: cookie)),
                ("patient", try await client.get("/clinic/patients/p-0001", cookie: cookie)),
                ("unknown patient", try await client.get("/clinic/patients/p-9999", cookie: cookie)),
                ("alerts", try await client.get("/clinic/alerts.json", cookie: cookie)),
                ("csrf refused", try await client.post("/clinic/patients/p-0001/resume", form: "csrf=x", cookie: cookie)),
            ]
            answers.append(("resume", try await client.post("/clinic/patients/p-0001/resume", form: "csrf=\(token)", cookie: cookie)))
            answers.append(("logout", try await client.post("/clinic/logout", form: "csrf=\(token)", cookie: cookie)))
            for (what, r) in answers {
                #expect(r.headers[HTTPField.Name("Content-Security-Policy")!]
                        == "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'", "\(what)")
                #expect(r.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer", "\(what)")
                #expect(r.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff", "\(what)")
                #expect(r.headers[.cacheControl] == "no-store", "\(what)")
            }
        }
    }

    @Test func changingTheCliniciansLineEndsTheSession() async throws {
        let f = try ClinicFixture()
        try await f.server().application().test(.router) { client async throws in
            let cookie = try #require(try await client.signIn())
            #expect(try await client.get("/clinic/", cookie: cookie).status == .ok)
            // Another line added: this clinician's line is unchanged, the session lives on.
            try Data("\(ClinicFixture.name):\(ClinicFixture.hash)\nDr Other:\(ClinicFixture.hash)\n".utf8).write(to: f.cliniciansFile)
            #expect(try await client.get("/clinic/", cookie: cookie).status == .ok)
            // A new password: the line changed, the session is over.
            let newHash = ClinicPasswords.hash("a new password")
            try Data("\(ClinicFixture.name):\(newHash)\nDr Other:\(ClinicFixture.hash)\n".utf8).write(to: f.cliniciansFile)
            #expect(try await client.get("/clinic/", cookie: cookie).status == .seeOther)
            let other = try #require(try await client.signIn("Dr Other"))
            // Removed from the file: over too.
            try Data("\(ClinicFixture.name):\(newHash)\n".utf8).write(to: f.cliniciansFile)
            #expect(try await client.get("/clinic/", cookie: other).status == .seeOther)
        }
    }

    @Test func sessionsEndAfterTheIdleAndAbsoluteLimits() async throws {
        let f = try ClinicFixture {
            $0.sessionIdle = 60
            $0.sessionLifetime = 150
        }
        try await f.server().application().test(.router) { client async throws in
            let idle = try #require(try await client.signIn())
            f.clock.advance(30)
            #expect(try await client.get("/clinic/", cookie: idle).status == .ok)  // touched: idle restarts
            f.clock.advance(59)
            #expect(try await client.get("/clinic/", cookie: idle).status == .ok)
            f.clock.advance(60)  // 149 s after sign-in, 60 s idle
            #expect(try await client.get("/clinic/", cookie: idle).status == .seeOther)

            let busy = try #require(try await client.signIn())
            for _ in 0..<3 {
                f.clock.advance(45)
                #expect(try await client.get("/clinic/", cookie: busy).status == .ok)
            }
            f.clock.advance(20)  // 155 s after sign-in, never idle
            #expect(try await client.get("/clinic/", cookie: busy).status == .seeOther)
        }
    }

    @Test func logsNameNoPatientTokenPasswordOrCookie() async throws {
        let f = try ClinicFixture()
        let recorder = LogRecorder()
        let cookie = try await f.server().application(logger: recorder.logger).test(.router) { client async throws -> String in
            _ = try await client.login(ClinicFixture.name, "WRONG-PASSWORD-TEXT")
            _ = try await client.login("Dr Nobody", "OTHER-PASSWORD-TEXT")
            let cookie = try #require(try await client.signIn())
            _ = try await client.get("/clinic/", cookie: cookie)
            _ = try await client.get("/clinic/patients/p-0001", cookie: cookie)
            _ = try await client.get("/clinic/alerts.json", cookie: cookie)
            let token = try #require(try await client.csrf(cookie: cookie))
            _ = try await client.post("/clinic/patients/p-0001/resume", form: "csrf=\(token)", cookie: cookie)
            _ = try await client.post("/clinic/patients/p-0001/approve", form: "csrf=\(token)&stage=nope", cookie: cookie)
            return cookie
        }
        let logs = recorder.text
        #expect(logs.contains("clinic sign-in"))
        #expect(logs.contains("clinic clearance saved"))
        let secrets = [f.base.token, "p-0001", ClinicFixture.password, "WRONG-PASSWORD-TEXT", "OTHER-PASSWORD-TEXT",
                       "Dr Weber", "Dr Nobody", String(cookie.dropFirst("rehab_clinic=".count)), ClinicFixture.hash,
                       f.base.dir.path, "p.yaml"]
        for secret in secrets {
            #expect(!logs.contains(secret), "log mentions \(secret)")
        }
    }

    @Test func everyViewAndActionIsAudited() async throws {
        let f = try ClinicFixture()
        try await f.server().application().test(.router) { client async throws in
            _ = try await client.login(ClinicFixture.name, "wrong")
            let cookie = try #require(try await client.signIn())
            _ = try await client.get("/clinic/", cookie: cookie)
            let token = try #require(try await client.csrf(cookie: cookie))
            _ = try await client.get("/clinic/alerts.json", cookie: cookie)
            _ = try await client.post("/clinic/patients/p-0001/resume", form: "csrf=\(token)", cookie: cookie)
            _ = try await client.post("/clinic/logout", form: "csrf=\(token)", cookie: cookie)
        }
        let lines = f.auditText.split(separator: "\n").map { line -> [String: String] in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String]) ?? [:]
        }
        #expect(lines.map { $0["what"] ?? "?" }
                == ["sign-in refused", "sign-in", "view caseload", "view patient", "view alerts", "resume", "sign-out"])
        #expect(lines.allSatisfy { $0["by"] == ClinicFixture.name && $0["at"] == "2026-11-20T08:30:00Z" })
        #expect(lines.filter { $0["patient"] == "p-0001" }.map { $0["what"] } == ["view patient", "resume"])
        let mode = try FileManager.default.attributesOfItem(atPath: f.auditFile.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func anApprovalWithoutAGateIsRefusedAndAGatedOneWrittenLikeTheCommand() async throws {
        let f = try ClinicFixture(halted: false)
        let before = try? Data(contentsOf: f.base.logURL)
        try await f.server().application().test(.router) { client async throws in
            let cookie = try #require(try await client.signIn())
            let token = try #require(try await client.csrf(cookie: cookie))
            let approve = "/clinic/patients/p-0001/approve"
            #expect(try await client.post(approve, form: "csrf=\(token)&stage=no-such-stage", cookie: cookie).status == .unprocessableContent)
            #expect(try await client.post(approve, form: "csrf=\(token)", cookie: cookie).status == .badRequest)
            #expect(try await client.post(approve, form: "csrf=\(token)&stage=a&exercise=b", cookie: cookie).status == .badRequest)
            #expect((try? Data(contentsOf: f.base.logURL)) == before)
        }
    }

    /// The same line `rehab approve p.yaml --exercise nerve-glide --by 'Dr Weber'` writes
    /// (ApproveAlertsCommandTests), at the server's now in the patient's zone.
    @Test func aGatedApprovalFromThePageIsTheCommandsEntry() async throws {
        let f = try ClinicFixture(halted: false, extraYAML: "start_stage: function\n")
        try await f.server().application().test(.router) { client async throws in
            let cookie = try #require(try await client.signIn())
            let token = try #require(try await client.csrf(cookie: cookie))
            let done = try await client.post("/clinic/patients/p-0001/approve", form: "csrf=\(token)&exercise=nerve-glide", cookie: cookie)
            #expect(done.status == .seeOther)
            #expect(done.headers[.location] == "/clinic/patients/p-0001")
        }
        let lines = f.base.logText.split(separator: "\n").dropFirst()
        #expect(lines == [#"{"at":"2026-11-20T09:30","approve":{"by":"Dr Weber","exercise":"nerve-glide","rung":{"reps":5,"variant":"nerve-glide-tensioner"}}}"#])
        #expect(f.auditText.contains(#""what":"approve exercise nerve-glide""#))
    }

    @Test func twoPatientFilesWithOneIdAnswer409() async throws {
        let f = try ClinicFixture()
        try FileManager.default.copyItem(at: f.base.patientFile, to: f.base.dir.appendingPathComponent("q.yaml"))
        try await f.server().application().test(.router) { client async throws in
            let cookie = try #require(try await client.signIn())
            #expect(try await client.get("/clinic/patients/p-0001", cookie: cookie).status == .conflict)
        }
    }
}

/// The lockout's bookkeeping on its own, with instants handed in.
struct SignInGuardTests {
    @Test func failuresOfANameFromAnywhereOnlyDelayUpToFiveSeconds() {
        let start = ServerFixture.now
        let guardian = SignInGuard(window: 900, lockFor: 900, delayStep: 1)
        for i in 0..<4 { guardian.failed(name: "Dr Weber", address: "203.0.113.\(i)", now: start) }
        #expect(guardian.delay(name: "Dr Weber", now: start) == 4)
        #expect(guardian.delay(name: "Dr Other", now: start) == 0)
        // Four addresses, one failure each: none is locked.
        #expect((0..<4).allSatisfy { guardian.locked(name: "Dr Weber", address: "203.0.113.\($0)", now: start) == nil })
        for i in 4..<12 { guardian.failed(name: "Dr Weber", address: "203.0.113.\(i)", now: start) }
        #expect(guardian.delay(name: "Dr Weber", now: start) == 5)
        #expect(guardian.delay(name: "Dr Weber", now: start + 901) == 0)
    }

    /// Attempts still being checked count against the pair's five: twenty sent at once
    /// start five, never more, and a sixth starts only when one ends as a success.
    @Test func attemptsInFlightCountTowardsTheLock() {
        let start = ServerFixture.now
        let guardian = SignInGuard(window: 900, lockFor: 900, delayStep: 1)
        let started = (0..<20).filter { _ in guardian.begin(name: "a", address: "x", now: start) == nil }
        #expect(started.count == 5)
        #expect(guardian.begin(name: "a", address: "x", now: start) == .locked)
        // Another pair is not held up.
        #expect(guardian.begin(name: "a", address: "y", now: start) == nil)
        // Four fail, one succeeds: the failures stay, and one more may start.
        for _ in 0..<4 { guardian.finish(name: "a", address: "x", succeeded: false, now: start) }
        guardian.finish(name: "a", address: "x", succeeded: true, now: start)
        #expect(guardian.begin(name: "a", address: "x", now: start) == nil)
    }

    /// An IPv6 host counts by its /64, and one address starts at most 20 sign-ins a minute
    /// whatever the names.
    @Test func anIPv6NetworkIsOneAddressAndEachAddressIsLimited() {
        let start = ServerFixture.now
        #expect(SignInGuard.network("2001:db8:1:2::1") == SignInGuard.network("2001:db8:1:2:ffff::9"))
        #expect(SignInGuard.network("2001:db8:1:2::1") != SignInGuard.network("2001:db8:1:3::1"))
        #expect(SignInGuard.network("203.0.113.7") == "203.0.113.7")
        let guardian = SignInGuard(window: 900, lockFor: 900, delayStep: 1)
        for i in 0..<5 {
            #expect(guardian.begin(name: "a", address: "2001:db8:1:2::\(i + 1)", now: start) == nil)
            guardian.finish(name: "a", address: "2001:db8:1:2::\(i + 1)", succeeded: false, now: start)
        }
        #expect(guardian.begin(name: "a", address: "2001:db8:1:2::99", now: start) == .locked)
        for i in 0..<14 {
            #expect(guardian.begin(name: "n\(i)", address: "198.51.100.1", now: start) == nil)
            guardian.finish(name: "n\(i)", address: "198.51.100.1", succeeded: false, now: start)
        }
        // Twenty a minute from one address: six more start, the next one is refused.
        for i in 14..<20 { #expect(guardian.begin(name: "n\(i)", address: "198.51.100.1", now: start) == nil) }
        #expect(guardian.begin(name: "other", address: "198.51.100.1", now: start) == .tooManyFromHere)
        #expect(guardian.begin(name: "other", address: "198.51.100.1", now: start + 61) == nil)
    }

    @Test func theFifthFailureOfAPairLocksItForTheLockTime() {
        let start = ServerFixture.now
        let guardian = SignInGuard(window: 900, lockFor: 900, delayStep: 1)
        for i in 0..<4 { #expect(!guardian.failed(name: "a", address: "x", now: start + Double(i))) }
        #expect(guardian.locked(name: "a", address: "x", now: start + 4) == nil)
        #expect(guardian.failed(name: "a", address: "x", now: start + 4))
        #expect(guardian.locked(name: "a", address: "x", now: start + 5) != nil)
        #expect(guardian.locked(name: "a", address: "y", now: start + 5) == nil)
        #expect(guardian.locked(name: "a", address: "x", now: start + 4 + 900) == nil)
        // Failures spread wider than the window never add up to a lock.
        for i in 0..<10 { guardian.failed(name: "b", address: "x", now: start + Double(i) * 300) }
        #expect(guardian.locked(name: "b", address: "x", now: start + 2700) == nil)
    }
}
