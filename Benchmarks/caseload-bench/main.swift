// caseload-bench: the clinic caseload's first and warm render over a folder of patients,
// in process (make bench-serve runs it).
//
//   caseload-bench DIR [--runs 21]
//
// First: a new CaseloadStore's `summaries(now:)` plus `ClinicPages.caseload` (every file
// read and planned). Warm: the same store and page again with no file changed, `--runs`
// times (median, min, max). Wall times by ContinuousClock; the process's CPU time is
// printed beside them, since on a shared machine the wall time includes waiting for a core.
// Reads the folder only.
import Foundation
import RehabPages
import RehabServer

let arguments = CommandLine.arguments.dropFirst()
guard let folder = arguments.first else {
    FileHandle.standardError.write(Data("usage: caseload-bench DIR [--runs N]\n".utf8))
    exit(64)
}
var runs = 21
if let i = arguments.firstIndex(of: "--runs"), arguments.index(after: i) < arguments.endIndex,
   let n = Int(arguments[arguments.index(after: i)]), n > 0 { runs = n }

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

let clock = ContinuousClock()
func milliseconds(_ d: Duration) -> Double { Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) / 1e15 }

let store = CaseloadStore(folder: URL(fileURLWithPath: folder))
func render() -> (rows: Int, bytes: Int) {
    let rows = store.summaries(now: Date())
    let page = (try? ClinicPages.caseload(rows: rows, basePath: "", signedInAs: "bench", csrf: "x")) ?? ""
    return (rows.count, page.utf8.count)
}

let cpu0 = cpuSeconds()
var first = (rows: 0, bytes: 0)
let firstTime = clock.measure { first = render() }
let cpu1 = cpuSeconds()
var warm: [Double] = []
for _ in 0..<runs {
    warm.append(milliseconds(clock.measure { _ = render() }))
}
let cpu2 = cpuSeconds()
warm.sort()
print(String(format: "caseload first render: %.1f ms (CPU %.1f ms), %d patients, page %d bytes",
             milliseconds(firstTime), (cpu1 - cpu0) * 1e3, first.rows, first.bytes))
print(String(format: "caseload warm render: median %.2f ms, min %.2f, max %.2f over %d runs (CPU %.2f ms a run)",
             warm[warm.count / 2], warm[0], warm[warm.count - 1], runs, (cpu2 - cpu1) * 1e3 / Double(runs)))
