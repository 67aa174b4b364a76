import Foundation

/// The result of running the real `rehab` binary.
struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// The package root (the folder holding Package.swift), found from this file's path.
let packageRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
    }
    return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
}()

/// The built `rehab` executable beside the test bundle (`swift build --build-tests` builds it).
let rehabBinary: URL = {
    let bundleDir = Bundle.main.bundleURL.deletingLastPathComponent()
    for dir in [Bundle.main.bundleURL, bundleDir, bundleDir.deletingLastPathComponent()] {
        let candidate = dir.appendingPathComponent("rehab")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    return packageRoot.appendingPathComponent(".build/debug/rehab")
}()

/// Runs `rehab ARGS...` in `directory` (default: the package root) and captures its output.
/// With `timeout`, a run that takes longer is stopped and throws `BoundedProcess.TimedOut`.
func runRehab(_ arguments: [String], in directory: URL? = nil, stdin: String? = nil,
              environment: [String: String]? = nil, timeout: TimeInterval? = nil) throws -> ProcessResult {
    let process = Process()
    process.executableURL = rehabBinary
    process.arguments = arguments
    process.currentDirectoryURL = directory ?? packageRoot
    if let environment { process.environment = environment }
    if let timeout {
        return try BoundedProcess.run(process, stdin: stdin.map { Data($0.utf8) }, timeout: timeout,
                                      what: "rehab \(arguments.first ?? "")")
    }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let input = Pipe()
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    // Read both pipes before waiting, so a large output cannot block the child.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus,
                         stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
}
