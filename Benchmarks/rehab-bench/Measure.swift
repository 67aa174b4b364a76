import Foundation

/// Milliseconds of each run (wall, and CPU time of this process), sorted, with medians.
/// On a shared machine the wall time includes waiting for a core; the CPU time does not.
struct Timing {
    var runs: [Double]
    var cpu: [Double] = []
    var cpuMedian: Double { cpu.isEmpty ? 0 : cpu[cpu.count / 2] }
    var median: Double { runs[runs.count / 2] }
    var min: Double { runs[0] }
    var max: Double { runs[runs.count - 1] }
}

#if DEBUG
let isRelease = false
#else
let isRelease = true
#endif

/// Runs `body` once to warm up, then `count` times, timing each run with ContinuousClock.
func measure(_ count: Int, _ body: () -> Void) -> Timing {
    // Never throws; the wrapper only shares the timing loop.
    (try? measureThrowing(count, body)) ?? Timing(runs: [0])
}

func measureThrowing(_ count: Int, _ body: () throws -> Void) throws -> Timing {
    let clock = ContinuousClock()
    try body()
    var runs: [Double] = []
    var cpu: [Double] = []
    runs.reserveCapacity(count)
    for _ in 0..<count {
        let cpu0 = cpuMilliseconds()
        let d = try clock.measure(body)
        cpu.append(cpuMilliseconds() - cpu0)
        let (s, atto) = d.components
        runs.append(Double(s) * 1000 + Double(atto) / 1e15)
    }
    return Timing(runs: runs.sorted(), cpu: cpu.sorted())
}

/// CPU time used by this process so far, in milliseconds.
func cpuMilliseconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) * 1000 + Double(t.tv_nsec) / 1e6
}

/// Prints one figure with its target; returns 1 when the target was missed.
func report(_ label: String, _ t: Timing, targetMs: Double, detail: String?) -> Int {
    let pass = t.median < targetMs
    let figure = String(format: "median %.3f ms (min %.3f, max %.3f; CPU median %.3f)", t.median, t.min, t.max, t.cpuMedian)
    print("\(pass ? "PASS" : "MISS") \(label): \(figure); target < \(formatTarget(targetMs))"
          + (detail.map { "; \($0)" } ?? ""))
    return pass ? 0 : 1
}

private func formatTarget(_ ms: Double) -> String {
    ms >= 1000 ? String(format: "%g s", ms / 1000) : String(format: "%g ms", ms)
}
