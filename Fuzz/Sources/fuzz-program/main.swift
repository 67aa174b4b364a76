import FuzzTargets

/// libFuzzer's entry point: one input through FuzzTargets.program.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzTargets.program(fuzzBytes(data, size))
    return 0
}

runFuzzer(fuzzOne)
