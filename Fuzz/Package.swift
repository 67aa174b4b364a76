// swift-tools-version:6.0
// Fuzz targets for rehab's readers, built with libFuzzer + AddressSanitizer.
// Kept out of the main package: a target that calls LLVMFuzzerRunDriver links only with
// -sanitize=fuzzer. Build and run through `make fuzz` / `make fuzz-ci` (scripts/fuzz.sh).
import PackageDescription

let package = Package(
    name: "rehab-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "rehab", path: "..")],
    targets: [
        // What each target does with one input; shared so the executables stay tiny.
        .target(
            name: "FuzzTargets",
            dependencies: [
                .product(name: "RehabKit", package: "rehab"),
                .product(name: "RehabFormat", package: "rehab"),
                .product(name: "RehabCalendar", package: "rehab"),
            ]
        ),
        .executableTarget(name: "fuzz-program", dependencies: ["FuzzTargets"]),
        .executableTarget(name: "fuzz-patient", dependencies: ["FuzzTargets"]),
        .executableTarget(name: "fuzz-painlog", dependencies: ["FuzzTargets"]),
        .executableTarget(name: "fuzz-calendar", dependencies: ["FuzzTargets"]),
    ]
)
