// rehab-publish: `rehab publish` in an executable of its own, so that only it links the
// CalDAV client's FoundationNetworking and FoundationXML (see RehabCLI's PublishCommand).
import Foundation
import RehabCLI

exit(Rehab.run(CalDAVPublishCommand.self, arguments: Array(CommandLine.arguments.dropFirst())))
