import RehabKit
import Yams

/// Reads a patient file's `tailoring:` (docs/program-format.md, "Tailoring"): this patient's changes to
/// the program, checked against it with positions.
///
/// ```yaml
/// tailoring:
///   exclude: [ankle-pumps-hamstring, {exercise: hamstring-stretch, from: 2026-12-01}]
///   cap: { walking: { minutes: 20 } }          # a rung of walking's ladder; may add from:
///   approval: [nerve-glide]                    # every rung above start needs approval
/// ```
enum TailoringReader {
    static func read(_ node: Node, program: Program?, library: ExerciseLibrary, _ c: inout Checker) -> Tailoring? {
        guard let f = c.fields(node, "'tailoring'", required: [], optional: ["exclude", "cap", "approval"]) else { return nil }
        var ok = true
        var result = Tailoring()
        let prescribed = Set(program?.stages.flatMap { $0.prescriptions.map(\.exercise) } ?? [])
        func exercise(_ node: Node, _ c: inout Checker) -> String? {
            guard let id = c.string(node, "an exercise id") else { return nil }
            guard program == nil || prescribed.contains(id) else {
                c.error("unknown-exercise", "'\(Checker.clip(id))' is not prescribed in program '\(program?.id ?? "")'"
                        + Suggest.didYouMean(id, among: Array(prescribed).sorted()), at: node)
                return nil
            }
            return id
        }
        func from(_ node: Node?, _ c: inout Checker) -> LocalDate?? {
            guard let node else { return .some(nil) }
            guard let text = c.string(node, "'from'") else { return nil }
            guard let date = LocalDate(iso: text) else {
                c.error("date", "'from' '\(Checker.clip(text))' is not a date; write YYYY-MM-DD", at: node)
                return nil
            }
            return .some(date)
        }
        /// A list of exercise ids, each plain or `{exercise, from}`.
        func items(_ key: String, _ c: inout Checker) -> [(String, LocalDate?)]? {
            guard let node = f[key] else { return [] }
            guard let list = c.list(node, "'\(key)'") else { return nil }
            var out: [(String, LocalDate?)] = []
            var good = true
            for item in list {
                if case .scalar = item {
                    if let id = exercise(item, &c) { out.append((id, nil)) } else { good = false }
                    continue
                }
                guard let g = c.fields(item, "an item of '\(key)'", required: ["exercise"], optional: ["from"]),
                      let idNode = g["exercise"], let id = exercise(idNode, &c), let day = from(g["from"], &c) else {
                    good = false
                    continue
                }
                out.append((id, day))
            }
            return good ? out : nil
        }
        if let list = items("exclude", &c) {
            result.exclude = list.map { Tailoring.Exclusion(exercise: $0.0, from: $0.1) }
        } else { ok = false }
        if let list = items("approval", &c) {
            result.approval = list.map { Tailoring.Gate(exercise: $0.0, from: $0.1) }
        } else { ok = false }
        if let node = f["cap"] {
            if case .mapping(let mapping) = node {
                for (key, value) in mapping {
                    guard let id = exercise(key, &c), let ex = library[id] else { ok = false; continue }
                    guard let g = c.fields(value, "the cap of '\(id)'", required: [],
                                           optional: DoseReader.components + ["from"]) else { ok = false; continue }
                    let day = from(g["from"], &c)
                    var doseNode = value
                    if case .mapping(var m) = value { m["from"] = nil; doseNode = .mapping(m) }
                    guard let read = DoseReader(exercise: ex, variantIDs: [id]).read(doseNode, role: "cap", variants: false,
                                                                                      step: false, &c), let day else { ok = false; continue }
                    let ladders = program?.stages.compactMap { $0.prescriptions.first { $0.exercise == id }?.ladder } ?? []
                    guard ladders.isEmpty || ladders.contains(where: { l in l.rungs.contains { $0.amounts == read.dose.amounts } }) else {
                        ok = false
                        c.error("dose", "the cap of '\(id)' (\(DoseReader.text(read.dose))) is not a rung of its ladder in any "
                                + "stage; a cap must be one of the rungs", at: value)
                        continue
                    }
                    result.cap.append(Tailoring.Cap(exercise: id, dose: read.dose, from: day))
                }
            } else {
                ok = false
                c.error("type", "'cap' must be a map from exercise id to a dose, e.g. {walking: {minutes: 20}}", at: node)
            }
        }
        return ok ? result : nil
    }
}
