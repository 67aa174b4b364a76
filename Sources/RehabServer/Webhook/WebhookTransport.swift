import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How one webhook POST ended.
public enum DeliveryOutcome: Sendable, Equatable {
    /// A 2xx answer: the receiver has the alert.
    case delivered(status: Int)
    /// Any other answer, a 3xx included (redirects are never followed).
    case refused(status: Int)
    /// No answer: could not connect, TLS failed, or no answer within the timeout.
    case failed(String)
}

/// Sends one alert body to the webhook. The watcher calls it off every request path;
/// `completion` may run on any thread.
public protocol WebhookTransport: Sendable {
    func post(_ body: Data, to target: WebhookTarget, timeout: TimeInterval,
              completion: @escaping @Sendable (DeliveryOutcome) -> Void)
}

/// Posts through the companion executable `rehab-publish deliver-webhook` (it links
/// FoundationNetworking, which `rehab` does not: see docs/architecture.md). May touch:
/// that one child process per attempt.
///
/// The address and the body go to the child on its standard input (line 1 the address,
/// then the body), never on its command line, so `ps` shows neither. The child answers
/// with the status on its standard output and exits 0 for 2xx, 1 for another status, 2
/// for no answer. A child that outlives `timeout` by 5 s is killed.
public struct HelperTransport: WebhookTransport {
    public var helper: URL

    public init(helper: URL) { self.helper = helper }

    /// The hidden subcommand's name.
    public static let subcommand = "deliver-webhook"

    public func post(_ body: Data, to target: WebhookTarget, timeout: TimeInterval,
                     completion: @escaping @Sendable (DeliveryOutcome) -> Void) {
        let process = Process()
        process.executableURL = helper
        process.arguments = [Self.subcommand, "--timeout", String(max(1, Int(timeout.rounded(.up))))]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let once = Once(completion)
        process.terminationHandler = { child in
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            once.call(Self.outcome(exit: child.terminationStatus, signalled: child.terminationReason == .uncaughtSignal,
                                   output: text))
        }
        do { try process.run() } catch {
            once.call(.failed("the helper could not be started"))
            return
        }
        let pid = process.processIdentifier
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout + 5) {
            if process.isRunning {
                kill(pid, SIGKILL)
                once.call(.failed("no answer within \(Int(timeout)) s"))
            }
        }
        DispatchQueue.global().async {
            // A child that died early closes the pipe: the write then fails (EPIPE, SIGPIPE
            // being ignored, see `ignoreBrokenPipes`) and its end reports the outcome.
            let write = input.fileHandleForWriting
            try? write.write(contentsOf: Data((target.url.absoluteString + "\n").utf8) + body)
            try? write.close()
        }
    }

    /// Makes a write to a closed pipe fail with EPIPE instead of ending the process (the
    /// default for SIGPIPE). Process-wide; `rehab serve` calls it once when it posts alerts.
    public static func ignoreBrokenPipes() { signal(SIGPIPE, SIG_IGN) }

    /// Reads the child's answer.
    static func outcome(exit: Int32, signalled: Bool, output: String) -> DeliveryOutcome {
        let status = Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        switch (signalled, exit) {
        case (false, 0) where (200...299).contains(status): return .delivered(status: status)
        case (false, 1) where status > 0: return .refused(status: status)
        case (false, 2):
            let reason = output.trimmingCharacters(in: .whitespacesAndNewlines)
            return .failed(reason.isEmpty ? "no answer" : String(reason.prefix(80)))
        default: return .failed(signalled ? "the helper was stopped" : "the helper failed (exit \(exit))")
        }
    }

    /// Calls its closure the first time only (the timeout and the child's end race).
    final class Once: @unchecked Sendable {
        private let lock = NSLock()
        private var completion: (@Sendable (DeliveryOutcome) -> Void)?
        init(_ completion: @escaping @Sendable (DeliveryOutcome) -> Void) { self.completion = completion }
        func call(_ outcome: DeliveryOutcome) {
            let c = lock.withLock { () -> (@Sendable (DeliveryOutcome) -> Void)? in
                defer { completion = nil }
                return completion
            }
            c?(outcome)
        }
    }
}
