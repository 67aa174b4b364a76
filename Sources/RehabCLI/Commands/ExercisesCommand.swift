import ArgumentParser
import RehabFormat

/// `rehab exercises [--format text|json]`: the built-in exercise library.
struct ExercisesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exercises",
        abstract: "List the built-in exercise library: instructions, cautions, variants and sources."
    )

    @Option(help: "Output format: text or json.")
    var format: TextJSONFormat = .text

    func run() throws {
        let catalog = try Catalog.shippedForCLI()
        switch format {
        case .text: print(LibraryListing.text(catalog.library), terminator: "")
        case .json: print(LibraryListing.json(catalog.library), terminator: "")
        }
    }
}

extension Catalog {
    /// The built-in catalog, or a CLIError saying why there is none (exit 74: the binary
    /// itself is incomplete).
    static func shippedForCLI() throws -> Catalog {
        do { return try Catalog.shipped() } catch {
            throw CLIError(.io, "rehab: \(error.description)")
        }
    }
}
