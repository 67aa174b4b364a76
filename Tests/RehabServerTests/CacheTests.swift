import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RehabFormat
import Testing
@testable import RehabServer

/// The token map and loaded patients are cached by file stamps; a change must still show
/// on the next request.
@Suite("rehab serve caches")
struct CacheTests {
    /// Sets a file's (or folder's) modification time far in the past, so the cache trusts it.
    func age(_ url: URL) throws {
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000_000_000)], ofItemAtPath: url.path)
    }

    @Test func rotationWithAWarmCacheTakesEffectAtOnce() async throws {
        let f = try ServerFixture()
        try age(f.dir)
        let server = f.server()
        try await server.application().test(.router) { client in
            #expect(try await client.get(f.feedPath).status == .ok)  // warms the cache
            #expect(try await client.get(f.feedPath).status == .ok)
            let fresh = try PatientLink.create(forPatientFile: f.patientFile, rotate: true).token
            #expect(try await client.get(f.feedPath).status == .notFound)
            #expect(try await client.get("/feeds/\(fresh)/calendar.ics").status == .ok)
            // Settled again (an old time): the cached map is the rotated one.
            try age(f.dir)
            #expect(try await client.get(f.feedPath).status == .notFound)
            #expect(try await client.get("/feeds/\(fresh)/calendar.ics").status == .ok)
        }
    }

    @Test func anEditedPatientFileIsReadAgain() async throws {
        let f = try ServerFixture()
        try age(f.patientFile)
        try await f.server().application().test(.router) { client in
            let before = try await client.get(f.feedPath)
            #expect(before.text.contains("p-0001"))
            let text = try String(contentsOf: f.patientFile, encoding: .utf8).replacingOccurrences(of: "id: p-0001", with: "id: p-0009")
            try Data(text.utf8).write(to: f.patientFile)
            // The edit gave the file a new modification time: read again.
            let after = try await client.get(f.feedPath)
            #expect(after.text.contains("p-0009") && !after.text.contains("X-REHAB-PATIENT:p-0001"))
        }
    }

    @Test func httpDatesMatchTheFormatter() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        for t in [0.0, 784_111_777, 951_782_400, 1_795_163_400, 4_102_444_799, -86_400] {
            let date = Date(timeIntervalSince1970: t)
            #expect(HTTPDate.format(date) == formatter.string(from: date))
        }
    }
}
