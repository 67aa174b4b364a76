import Foundation
import Testing

/// The clinical side of the commands: `validate`'s warnings and `--strict`, accepted
/// warnings in `preview`, and education and cautions in `plan`.
struct ClinicalCommandTests {
    static let fixture = "Tests/RehabFormatTests/Fixtures/clinical/"

    @Test func warningsPassUnlessStrict() throws {
        let file = Self.fixture + "nerve-flare.yaml"
        let plain = try runRehab(["validate", file])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stderr.contains(": warning: [clinical/nerve-flare] 'nerve-glide' moves the nerve"))
        #expect(plain.stdout == "1 file checked: no problems (1 warning)\n")
        let strict = try runRehab(["validate", "--strict", file])
        #expect(strict.status == 65)
        #expect(strict.stderr.contains("--strict refuses warnings"))
    }

    @Test func allWarningsOfAllFilesInOneRunAlsoAsJSON() throws {
        let files = ["fusion-counter-example.yaml", "volume-jump.yaml", "carried-dose.yaml"].map { Self.fixture + $0 }
        let result = try runRehab(["validate", "--format", "json"] + files)
        #expect(result.status == 0, "\(result.stderr)")
        let items = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        let categories = items.compactMap { $0["category"] as? String }
        #expect(Set(categories).isSuperset(of: ["clinical/early-stage", "clinical/nerve-flare", "clinical/nerve-amber",
                                                 "clinical/fusion-walking", "clinical/restriction-end",
                                                 "clinical/volume-jump", "clinical/carried-dose"]))
        #expect(items.first { ($0["category"] as? String) == "clinical/carried-dose" }?["severity"] as? String == "info")
        #expect(items.first { ($0["category"] as? String) == "clinical/volume-jump" }?["severity"] as? String == "warning")
        // An info never fails, even under --strict.
        let info = try runRehab(["validate", "--strict", Self.fixture + "carried-dose.yaml"])
        #expect(info.status == 0, "\(info.stderr)")
        #expect(info.stderr.contains(": info: [clinical/carried-dose]"))
    }

    @Test func anUnknownSourceKeyIsAnError() throws {
        let result = try runRehab(["validate", Self.fixture + "unknown-source.yaml"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("error: [unknown-source] unknown source 'see PT notes'"))
        #expect(result.stderr.contains("did you mean 'post-op-protocol-doses'?"))
    }

    @Test func theShippedProgramsAreStrictlyClean() throws {
        let programs = packageRoot.appendingPathComponent("programs")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: programs.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.sorted().map { "programs/\($0)" }
        try #require(files.count == 5)
        let result = try runRehab(["validate", "--strict"] + files)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "5 files checked: no problems\n")
    }

    @Test func previewShowsAcceptedWarningsAndEducation() throws {
        let fixture = try runRehab(["preview", Self.fixture + "accepted.yaml", "--surgery-date", "2026-11-02"])
        #expect(fixture.status == 0, "\(fixture.stderr)")
        #expect(fixture.stdout.contains(
            "      accepted clinical/volume-jump: This patient walked an hour a day before the operation.\n"))
        let shipped = try runRehab(["preview", "lumbar-decompression", "--surgery-date", "2026-11-02"])
        #expect(shipped.stdout.contains("Education:\n  - Heat and ice (from week 0): Never put heat or ice on skin that feels numb"))
        #expect(shipped.stdout.contains("  - When to ask for a review (weeks 12-25): "))
        #expect(shipped.stdout.contains("accepted clinical/forbidden-movement: Pelvic tilts belong"))
        let json = try runRehab(["preview", "lumbar-decompression", "--surgery-date", "2026-11-02", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let education = try #require(object["education"] as? [[String: Any]])
        #expect(education.map { $0["id"] as? String } == ["heat-and-ice", "what-to-expect", "stay-active",
                                                          "sitting-and-getting-up", "ask-for-review"])
    }

    /// The example patients' plans, with this week's education and each exercise's caution.
    @Test(arguments: ["decompression-patient", "fusion-patient", "late-leg-pain-patient"])
    func examplePlansMatchTheirSnapshots(patient: String) throws {
        let result = try runRehab(["plan", "programs/examples/\(patient).yaml", "--as-of", "2026-11-23"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\nGood to know this week:\n  - Heat and ice: Never put heat or ice on skin that feels numb"))
        expectSnapshot(result.stdout, named: "plan-\(patient).txt")
    }

    @Test func planShowsTheEducationOfItsWeekAndTheCautions() throws {
        let p = try PatientDir()   // discectomy on 2026-11-02
        let early = try p.run("plan", ["--as-of", "2026-11-23"])
        #expect(early.stdout.contains("  - Getting up and sitting down: Get up and sit down without bending forward"))
        #expect(!early.stdout.contains("When to ask for a review"))
        #expect(early.stdout.contains("Ankle pumps 10 reps (a painful, swollen or warm calf needs a call today)"),
                "\(early.stdout)")
        let later = try p.run("plan", ["--as-of", "2027-01-25"])   // week 12
        #expect(later.stdout.contains("  - When to ask for a review: If your leg pain has improved little"))
        #expect(!later.stdout.contains("Getting up and sitting down"))
    }
}
