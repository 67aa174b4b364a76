import Foundation
import FuzzTargets

/// libFuzzer's entry point: one input through FuzzTargets.calendar.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzTargets.calendar(fuzzBytes(data, size))
    return 0
}

// `fuzz-calendar --write-seeds DIR` writes the seed exports (scripts/fuzz.sh --seed).
if CommandLine.arguments.count == 3, CommandLine.arguments[1] == "--write-seeds" {
    for (i, text) in FuzzTargets.seedExports().enumerated() {
        let url = URL(fileURLWithPath: CommandLine.arguments[2]).appendingPathComponent("export-\(i + 1).ics")
        try Data(text.utf8).write(to: url)
    }
    exit(0)
}
runFuzzer(fuzzOne)
