import Foundation
import RehabFormat
import Testing

struct ExercisesCommandTests {
    @Test func textMatchesItsSnapshot() throws {
        let result = try runRehab(["exercises"])
        #expect(result.status == 0, "\(result.stderr)")
        expectSnapshot(result.stdout, named: "exercises.txt")
    }

    @Test func jsonMatchesItsSnapshotAndListsEveryExercise() throws {
        let result = try runRehab(["exercises", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        expectSnapshot(result.stdout, named: "exercises.json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["schema"] as? Int == 1)
        let items = try #require(object["exercises"] as? [[String: Any]])
        let ids = items.compactMap { $0["id"] as? String }
        let library = try Catalog.shipped().library
        #expect(ids == library.exercises.map(\.id))
        #expect(ids.contains("nerve-glide") && ids.contains("nerve-glide-slider") && ids.contains("walking"))
        for item in items {
            #expect(!((item["instructions"] as? [String]) ?? []).isEmpty)
            #expect(!((item["sources"] as? [String]) ?? []).isEmpty)
        }
    }

    @Test func theFixtureLibraryListingMatchesItsSnapshot() throws {
        let text = try String(contentsOf: formatFixtures.appendingPathComponent("valid/library.yaml"), encoding: .utf8)
        let library = try LibraryReader.read(text: text, file: "library.yaml")
        expectSnapshot(LibraryListing.text(library), named: "fixture-exercises.txt")
        expectSnapshot(LibraryListing.json(library), named: "fixture-exercises.json")
    }
}
