import ArgumentParser
import Foundation

/// The `rehab` command and its subcommands. Each subcommand lives in its own file under
/// `Commands/`; add it to `subcommands` here.
public struct Rehab: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "rehab",
        abstract: "Staged home-exercise programs after lumbar surgery, adapted to reported pain.",
        subcommands: [
            ValidateCommand.self, ExercisesCommand.self, PreviewCommand.self,
            PlanCommand.self, ExplainCommand.self, LogCommand.self, HistoryCommand.self, ResumeCommand.self,
            ExportCommand.self, BatchCommand.self, LinkCommand.self, ServeCommand.self, PublishCommand.self,
        ]
    )

    public init() {}

    /// Runs a command line and returns the exit code, printing errors to stderr.
    /// `rehab`'s main calls this with the process arguments; tests may call it directly.
    public static func run(arguments: [String]) -> Int32 {
        run(Rehab.self, arguments: arguments)
    }

    /// Runs `command` (the root of a command tree) on `arguments` with `rehab`'s error
    /// handling and exit codes; also the entry of `rehab-publish`.
    package static func run<Command: ParsableCommand>(_ root: Command.Type, arguments: [String]) -> Int32 {
        do {
            var command = try root.parseAsRoot(arguments)
            try command.run()
            return 0
        } catch let error as CLIError {
            printError(error.message)
            return error.code.rawValue
        } catch {
            // Usage errors (64), --help (0) and ExitCode values keep ArgumentParser's handling.
            let code = root.exitCode(for: error).rawValue
            let message = root.fullMessage(for: error)
            if !message.isEmpty {
                if code == 0 { print(message) } else { printError(message) }
            }
            return code
        }
    }
}
