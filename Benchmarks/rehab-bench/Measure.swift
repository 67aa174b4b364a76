import Foundation

/// Milliseconds of each run, sorted, with the median.
struct Timing {
    var runs: [Double]
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
    runs.reserveCapacity(count)
    for _ in 0..<count {
        let d = try clock.measure(body)
        let (s, atto) = d.components
        runs.append(Double(s) * 1000 + Double(atto) / 1e15)
    }
    return Timing(runs: runs.sorted())
}

/// Prints one figure with its target; returns 1 when the target was missed.
func report(_ label: String, _ t: Timing, targetMs: Double, detail: String?) -> Int {
    let pass = t.median < targetMs
    let figure = String(format: "median %.3f ms (min %.3f, max %.3f)", t.median, t.min, t.max)
    print("\(pass ? "PASS" : "MISS") \(label): \(figure); target < \(formatTarget(targetMs))"
          + (detail.map { "; \($0)" } ?? ""))
    return pass ? 0 : 1
}

private func formatTarget(_ ms: Double) -> String {
    ms >= 1000 ? String(format: "%g s", ms / 1000) : String(format: "%g ms", ms)
}
