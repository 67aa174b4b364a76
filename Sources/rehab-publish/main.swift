// rehab-publish: `rehab publish` in an executable of its own, so that only it links the
// CalDAV client's FoundationNetworking and FoundationXML (see RehabCLI's PublishCommand).
// Its hidden `deliver-webhook` subcommand posts `rehab serve`'s alerts (WebhookDeliverCommand).
import Foundation
import RehabCLI

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "deliver-webhook" {
    exit(Rehab.run(WebhookDeliverCommand.self, arguments: Array(arguments.dropFirst())))
}
exit(Rehab.run(CalDAVPublishCommand.self, arguments: arguments))
