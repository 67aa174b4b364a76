import Foundation

/// A child process that cannot hang a test: every wait has a deadline, after which the
/// child is terminated (then killed) and the test gets a `TimedOut` error saying which.
enum BoundedProcess {
    struct TimedOut: Error, CustomStringConvertible {
        var what: String
        var seconds: TimeInterval
        var description: String { "\(what) did not finish within \(Int(seconds)) s; it was stopped" }
    }

    /// Runs `process` to its end, feeding `stdin` and capturing both outputs.
    static func run(_ process: Process, stdin: Data? = nil, timeout: TimeInterval, what: String) throws -> ProcessResult {
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        let outData = Collector(out.fileHandleForReading), errData = Collector(err.fileHandleForReading)
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try? input.fileHandleForWriting.close()
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            stop(process, exited)
            throw TimedOut(what: what, seconds: timeout)
        }
        // A grandchild could keep a pipe open; do not wait on it for long.
        return ProcessResult(status: process.terminationStatus,
                             stdout: String(decoding: outData.finish(within: 10), as: UTF8.self),
                             stderr: String(decoding: errData.finish(within: 10), as: UTF8.self))
    }

    /// SIGTERM, then SIGKILL after 5 s; waits at most 10 s in all.
    static func stop(_ process: Process, _ exited: DispatchSemaphore) {
        guard process.isRunning else { return }
        process.terminate()
        if exited.wait(timeout: .now() + 5) == .timedOut, process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            _ = exited.wait(timeout: .now() + 5)
        }
    }

    /// Reads a pipe to its end on a background thread.
    final class Collector: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        private let done = DispatchSemaphore(value: 0)

        init(_ handle: FileHandle) {
            Thread.detachNewThread { [self] in
                let all = handle.readDataToEndOfFile()
                lock.withLock { data = all }
                done.signal()
            }
        }

        /// What was read, waiting up to `seconds` for the end.
        func finish(within seconds: TimeInterval) -> Data {
            _ = done.wait(timeout: .now() + seconds)
            return lock.withLock { data }
        }
    }

    /// The first line `handle` gives, or nil at end of file or after `seconds`.
    static func firstLine(of handle: FileHandle, within seconds: TimeInterval) -> String? {
        let box = LineBox()
        let got = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            var line = Data()
            while !line.contains(UInt8(ascii: "\n")) {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                line += chunk
            }
            box.set(line.contains(UInt8(ascii: "\n")) ? String(decoding: line, as: UTF8.self) : nil)
            got.signal()
        }
        guard got.wait(timeout: .now() + seconds) == .success else { return nil }
        return box.get()
    }

    private final class LineBox: @unchecked Sendable {
        private let lock = NSLock()
        private var line: String?
        func set(_ value: String?) { lock.withLock { line = value } }
        func get() -> String? { lock.withLock { line } }
    }
}
