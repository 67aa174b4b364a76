import ArgumentParser
import Foundation
import RehabFormat
import RehabKit

/// The `rehab` command and its subcommands. Each subcommand lives in its own file under
/// `Commands/`; add it to `subcommands` here.
public struct Rehab: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "rehab",
        abstract: "Staged home-exercise programs after lumbar surgery, adapted to reported pain.",
        subcommands: [
            ValidateCommand.self, ExercisesCommand.self, PreviewCommand.self,
            PlanCommand.self, ExplainCommand.self, LogCommand.self, HistoryCommand.self, ResumeCommand.self,
            ApproveCommand.self, AlertsCommand.self, ClinicianCommand.self,
            ExportCommand.self, HandoutCommand.self, BatchCommand.self, LinkCommand.self, ServeCommand.self, PublishCommand.self,
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
            // By contract: a command naming a halting flag prints its advice even when it fails,
            // also when the command line itself cannot be read (the command never ran).
            if code != 0 { haltingFlagAdvice(in: arguments).forEach { print($0) } }
            let message = root.fullMessage(for: error)
            if !message.isEmpty {
                if code == 0 { print(message) } else { printError(message) }
            }
            return code
        }
    }

    /// The advice lines (our own words: no program was read) for every halting flag named
    /// as `--flag NAME` or `--flag=NAME` anywhere in `arguments`.
    static func haltingFlagAdvice(in arguments: [String]) -> [String] {
        var names: [String] = []
        var i = 0
        while i < arguments.count {
            if arguments[i] == "--flag", i + 1 < arguments.count {
                names.append(arguments[i + 1])
                i += 2
                continue
            }
            if arguments[i].hasPrefix("--flag=") { names.append(String(arguments[i].dropFirst("--flag=".count))) }
            i += 1
        }
        return ReportDraft.adviceLines(for: names.compactMap(RedFlag.init(rawValue:)).filter(\.halts), program: nil)
    }
}
