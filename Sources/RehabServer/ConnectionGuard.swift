import Foundation
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Keeps slow and idle clients from holding `rehab serve`'s connections (and its open
/// files): a connection beyond `ConnectionCounter.limit` is closed at once; one whose
/// first request head (request line and headers) has not arrived `headerTimeout` after it
/// opened, or whose request body has not arrived `headerTimeout` after its head, is closed.
/// Between requests Hummingbird's idle timeout closes a kept-alive connection whose next
/// request head does not come (it counts only whole heads, so a trickle does not reset it).
final class ConnectionGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let counter: ConnectionCounter
    private let timeout: TimeAmount
    private var timer: Scheduled<Void>?
    private var started = false
    private var counted = false

    init(counter: ConnectionCounter, headerTimeout: TimeAmount) {
        self.counter = counter
        self.timeout = headerTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { opened(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        opened(context)
        context.fireChannelActive()
    }

    private func opened(_ context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        guard counter.open() else {
            context.close(promise: nil)
            return
        }
        counted = true
        arm(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) { closed() }

    func channelInactive(context: ChannelHandlerContext) {
        closed()
        context.fireChannelInactive()
    }

    private func closed() {
        timer?.cancel()
        timer = nil
        if counted {
            counted = false
            counter.close()
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: arm(context)  // the body must follow within the same time
        case .body: break
        case .end:
            timer?.cancel()
            timer = nil
        }
        context.fireChannelRead(data)
    }

    private func arm(_ context: ChannelHandlerContext) {
        timer?.cancel()
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
    }
}

/// Open connections of one server, against a limit.
final class ConnectionCounter: @unchecked Sendable {
    let limit: Int
    private let lock = NSLock()
    private var count = 0

    init(limit: Int) { self.limit = limit }

    /// Counts a new connection; false (and not counted) when the limit is reached.
    func open() -> Bool {
        lock.withLock {
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    func close() { lock.withLock { count -= 1 } }
}
