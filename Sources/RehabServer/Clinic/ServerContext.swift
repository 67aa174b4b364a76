import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The request context of every route of `rehab serve`: Hummingbird's core context plus the
/// socket peer's address, which the clinic's sign-in lockout counts failures by
/// (`ClientAddress`). Token pages ignore the address.
struct ServerContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The connection's remote IP address (nil in router tests, which have no socket).
    let peer: String?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peer = source.channel.remoteAddress?.ipAddress
    }
}

/// Who is signing in, as far as the lockout is concerned: the socket's peer, or, when the
/// peer is the proxy named by `--trusted-proxy`, the last address that proxy added to
/// `X-Forwarded-For` (earlier entries come from the client and are not believed).
enum ClientAddress {
    static func of(_ request: Request, peer: String?, trustedProxy: String?) -> String {
        let socket = peer ?? "unknown"
        guard let trustedProxy, socket == trustedProxy,
              let forwarded = request.headers[values: HTTPField.Name("X-Forwarded-For")!].last else { return socket }
        let last = forwarded.split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        return last.isEmpty || last.count > 64 ? socket : last
    }
}
