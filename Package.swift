// swift-tools-version:6.0
// rehab: staged home-exercise programs after lumbar surgery, pain-adaptive planning,
// iCalendar export through libical. One target per layer (see docs/architecture.md):
//   CLibical -> RehabCalendar;  RehabKit (pure domain) <- RehabFormat <- RehabCLI <- rehab
//   CQRencode + Mustache -> RehabPages (check-in pages, handout) <- RehabServer, RehabCLI
//   RehabCLI + RehabCalDAV <- rehab-publish (run by `rehab publish`, so that only it links
//   FoundationNetworking)
import PackageDescription

let package = Package(
    name: "rehab",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "rehab", targets: ["rehab"]),
        .executable(name: "rehab-publish", targets: ["rehab-publish"]),
        .library(name: "RehabKit", targets: ["RehabKit"]),
        .library(name: "RehabFormat", targets: ["RehabFormat"]),
        .library(name: "RehabCalendar", targets: ["RehabCalendar"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.3.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        // The clinic's sign-in: Bcrypt for the clinician file, session storage for the pages.
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", exact: "2.5.0"),
        // Already in the graph through Hummingbird; named for rehab serve's connection guard.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.24.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibical",
            pkgConfig: "libical",
            providers: [.apt(["libical-dev"])]
        ),
        // QR codes for the handout (Debian's libqrencode-dev); imported by RehabPages only.
        .systemLibrary(
            name: "CQRencode",
            pkgConfig: "libqrencode",
            providers: [.apt(["libqrencode-dev"])]
        ),
        // The domain: pure values and functions. No files, no clock, no printing.
        .target(name: "RehabKit"),
        // Files <-> model: YAML with source positions, diagnostics, the pain log, JSON.
        .target(
            name: "RehabFormat",
            dependencies: ["RehabKit", .product(name: "Yams", package: "Yams")]
        ),
        // iCalendar through libical; the only importer of CLibical.
        .target(name: "RehabCalendar", dependencies: ["RehabKit", "CLibical"]),
        // What patients read on a screen or on paper: the check-in pages and the handout,
        // rendered from Mustache templates (Templates/*.mustache, embedded by `make embed`).
        .target(
            name: "RehabPages",
            dependencies: [
                "RehabKit", "RehabFormat", "CQRencode",
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            exclude: ["Templates"]  // the template files; their embedded copy is compiled
        ),
        // `rehab serve`: the per-patient feed and the check-in page over HTTP (Hummingbird),
        // and the clinic's pages behind a sign-in (hummingbird-auth's Bcrypt and sessions).
        .target(
            name: "RehabServer",
            dependencies: [
                "RehabKit", "RehabFormat", "RehabCalendar", "RehabPages",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ]
        ),
        // `rehab publish`'s CalDAV client (URLSession, XMLParser): the only code that needs
        // FoundationNetworking and FoundationXML, linked by `rehab-publish` alone.
        .target(name: "RehabCalDAV", dependencies: ["RehabCalendar"]),
        // Commands; all I/O and the clock live here.
        .target(
            name: "RehabCLI",
            dependencies: [
                "RehabKit", "RehabFormat", "RehabCalendar", "RehabServer", "RehabPages",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "rehab", dependencies: ["RehabCLI"]),
        .executableTarget(
            name: "rehab-publish",
            dependencies: [
                "RehabCLI", "RehabCalDAV", "RehabKit", "RehabFormat", "RehabCalendar",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "rehab-bench",
            dependencies: ["RehabKit", "RehabFormat", "RehabCalendar"],
            path: "Benchmarks/rehab-bench"
        ),
        // The clinic caseload's first and warm render, in process (make bench-serve).
        .executableTarget(
            name: "caseload-bench",
            dependencies: ["RehabServer", "RehabPages"],
            path: "Benchmarks/caseload-bench"
        ),
        // The README's "Using RehabKit as a library" example, built so it stays true.
        .executableTarget(
            name: "plan-one-patient",
            dependencies: ["RehabKit", "RehabFormat"],
            path: "Examples/plan-one-patient"
        ),
        .testTarget(name: "RehabKitTests", dependencies: ["RehabKit"]),
        .testTarget(name: "RehabPagesTests", dependencies: ["RehabPages", "RehabFormat", "RehabKit"]),
        .testTarget(
            name: "RehabFormatTests",
            dependencies: ["RehabFormat", "RehabKit"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "RehabCalendarTests", dependencies: ["RehabCalendar", "RehabKit", "RehabFormat"]),
        .testTarget(
            name: "RehabCLITests", dependencies: ["RehabCLI", "RehabFormat", "RehabKit", "RehabCalendar"],
            exclude: ["Snapshots"]  // recorded outputs, read by path
        ),
        .testTarget(
            name: "RehabServerTests",
            dependencies: [
                "RehabServer", "RehabFormat", "RehabKit", "RehabPages",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
    ]
)
