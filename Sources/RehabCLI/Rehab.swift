import ArgumentParser

/// The `rehab` command and its subcommands. Each subcommand lives in its own file.
public struct Rehab: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "rehab",
        abstract: "Staged home-exercise programs after lumbar surgery, adapted to reported pain.",
        subcommands: []
    )

    public init() {}
}
