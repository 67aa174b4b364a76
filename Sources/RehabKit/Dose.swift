/// How an exercise is measured.
public enum DoseKind: String, Sendable, Hashable, CaseIterable {
    /// Repetitions, in one or more sets, optionally each held for some seconds.
    case reps
    /// A held position: seconds per hold, optionally repeated.
    case hold
    /// Time spent, in minutes (walking).
    case minutes
}

/// One rung of a dose: every component that applies to the exercise, and the variant
/// (an exercise id from the library) done at this rung.
///
/// Rungs compare component-wise: `a <= b` when no component of `a` is larger.
public struct Dose: Hashable, Sendable, CustomStringConvertible {
    public var sets: Int?
    public var reps: Int?
    public var holdSeconds: Int?
    public var minutes: Int?
    /// The library id done at this rung; nil means the prescription's own exercise.
    public var variant: String?

    public init(sets: Int? = nil, reps: Int? = nil, holdSeconds: Int? = nil, minutes: Int? = nil, variant: String? = nil) {
        self.sets = sets
        self.reps = reps
        self.holdSeconds = holdSeconds
        self.minutes = minutes
        self.variant = variant
    }

    /// The numeric components in a fixed order: sets, reps, hold, minutes.
    public var amounts: [Int?] { [sets, reps, holdSeconds, minutes] }

    /// True when no component of `self` exceeds the same component of `other`.
    public func isAtMost(_ other: Dose) -> Bool {
        zip(amounts, other.amounts).allSatisfy { a, b in (a ?? 0) <= (b ?? 0) }
    }

    /// Short plain text: "2 x 10 reps, hold 5 s", "15 min".
    public var description: String {
        var parts: [String] = []
        if let reps {
            parts.append((sets ?? 1) > 1 ? "\(sets ?? 1) x \(reps) reps" : "\(reps) reps")
        } else if let sets, sets > 1 {
            parts.append("\(sets) sets")
        }
        if let holdSeconds { parts.append("hold \(holdSeconds) s") }
        if let minutes { parts.append("\(minutes) min") }
        return parts.joined(separator: ", ")
    }
}

/// The ordered rungs a prescription's dose moves along, floor first, cap last.
///
/// One progress or regress step moves one rung. A ladder is either written out in the
/// program or generated from start, step, floor and cap (see `DoseLadder.generate`).
public struct DoseLadder: Hashable, Sendable {
    /// Floor first, cap last; never empty.
    public let rungs: [Dose]
    /// Index of the start rung.
    public let startIndex: Int

    public init(rungs: [Dose], startIndex: Int) {
        precondition(!rungs.isEmpty && rungs.indices.contains(startIndex), "a ladder needs its start rung")
        self.rungs = rungs
        self.startIndex = startIndex
    }

    public var floor: Dose { rungs[0] }
    public var start: Dose { rungs[startIndex] }
    public var cap: Dose { rungs[rungs.count - 1] }

    /// Builds the rungs from start upwards by `step` (each component clamped at the cap's)
    /// and downwards to the floor; floor, start and cap are always rungs.
    /// Returns nil when the numbers cannot make a ladder (floor above start, start above cap,
    /// a step that is not positive); the validator reports those with positions first.
    public static func generate(floor: Dose?, start: Dose, step: Dose, cap: Dose) -> DoseLadder? {
        let floor = floor ?? start
        guard floor.isAtMost(start), start.isAtMost(cap),
              step.amounts.allSatisfy({ ($0 ?? 0) >= 0 }),
              step.amounts.contains(where: { ($0 ?? 0) > 0 }) || start == cap else { return nil }
        func moved(_ dose: Dose, by sign: Int, limit: Dose) -> Dose {
            func one(_ v: Int?, _ s: Int?, _ l: Int?) -> Int? {
                guard let v else { return nil }
                let next = v + sign * (s ?? 0)
                guard let l else { return next }
                return sign > 0 ? min(next, l) : max(next, l)
            }
            return Dose(sets: one(dose.sets, step.sets, limit.sets), reps: one(dose.reps, step.reps, limit.reps),
                        holdSeconds: one(dose.holdSeconds, step.holdSeconds, limit.holdSeconds),
                        minutes: one(dose.minutes, step.minutes, limit.minutes), variant: dose.variant)
        }
        var up: [Dose] = [start]
        while let last = up.last, last != cap {
            let next = moved(last, by: 1, limit: cap)
            if next == last { up.append(cap); break }  // the step cannot reach the cap: cap is the last rung
            up.append(next)
        }
        var down: [Dose] = []
        var current = start
        while current != floor {
            let next = moved(current, by: -1, limit: floor)
            if next == current { down.append(floor); break }
            down.append(next)
            current = next
        }
        let rungs = down.reversed() + up
        return DoseLadder(rungs: Array(rungs), startIndex: down.count)
    }
}
