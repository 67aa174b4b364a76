import Foundation
import RehabCLI

exit(Rehab.run(arguments: Array(CommandLine.arguments.dropFirst())))
