import ArgumentParser
import Foundation
import RehabCalendar
import RehabFormat
import RehabServer

/// `rehab clinician add NAME --file FILE --password-stdin`: adds a clinician to the file that
/// `rehab serve --clinicians FILE` signs in against, or sets a new password for one already
/// there. The password is read from standard input (its first line) and stored only as a
/// bcrypt hash (`ClinicPasswords`); the file is replaced atomically with mode 0600 and never
/// through a symbolic link. Changing a clinician's line ends their open sessions.
struct ClinicianCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clinician",
        abstract: "Manage who may sign in to the clinic pages of `rehab serve`.",
        subcommands: [Add.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a clinician, or set a new password for one (read from standard input).",
            discussion: """
            The name is 1 to 64 characters without ':' or control characters. The password is \
            the first line of standard input, e.g. `printf '%s\\n' \"$PW\" | rehab clinician add \
            'Dr Weber' --file clinic/clinicians --password-stdin`. Only its bcrypt hash is stored.
            """
        )

        @Argument(help: "The clinician's name, as they will type it to sign in.") var name: String
        @Option(help: "The clinician file (created when missing).") var file: String
        @Flag(help: "Read the password from the first line of standard input (required).") var passwordStdin = false

        func run() throws {
            guard passwordStdin else {
                throw CLIError(.usage, "rehab clinician add: error: give --password-stdin and the password on standard input (a password on the command line would show in `ps`)")
            }
            if let problem = ClinicianFile.nameProblem(name) {
                throw CLIError(.invalidInput, "rehab clinician add: error: \(problem); a name is 1 to \(ClinicianFile.maxNameLength) characters without ':' or control characters")
            }
            var info = stat()
            if lstat(file, &info) == 0, info.st_mode & S_IFMT == S_IFLNK {
                throw CLIError(.invalidInput, "rehab clinician add: error: \(file): \(PrivateFile.Refusal.link.message)")
            }
            var clinicians: ClinicianFile
            do {
                clinicians = try ClinicianFile.read(path: file) ?? ClinicianFile()
            } catch {
                let invalid: Bool
                if case .refused(let refusal) = error { invalid = refusal.isInvalidInput } else { invalid = error == .tooLarge }
                throw CLIError(invalid ? .invalidInput : .io, "rehab clinician add: error: \(file): \(error.message)")
            }
            if !clinicians.problems.isEmpty {
                let lines = clinicians.problems.map { "\(file): \($0)" }.joined(separator: "\n")
                throw CLIError(.invalidInput, "\(lines)\nrehab clinician add: error: \(file) has lines that are not clinicians; correct or remove them first (nothing was changed)")
            }
            var password = readLine(strippingNewline: true) ?? ""
            if password.hasSuffix("\r") { password.removeLast() }
            guard !password.isEmpty else {
                throw CLIError(.invalidInput, "rehab clinician add: error: no password on standard input (the first line is empty)")
            }
            let existed = clinicians.hash(for: name) != nil
            clinicians.set(name: name, hash: ClinicPasswords.hash(password))
            do {
                try AtomicFile.write(Data(clinicians.rendered().utf8), to: file, mode: 0o600)
            } catch {
                throw CLIError(.io, "rehab clinician add: error: \(file): cannot write the file: \(error)")
            }
            print(existed ? "Set a new password for \(name) in \(file); their open sessions have ended." : "Added \(name) to \(file).")
        }
    }
}
