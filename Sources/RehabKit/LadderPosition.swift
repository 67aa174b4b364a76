/// Where a dose sits on a prescription's ladder, and the one-rung steps from there.
///
/// A dose carried over from an earlier stage may not be a rung of the new ladder; it is
/// kept as it is, and the next step moves to the nearest rung above (progress) or below
/// (regress). Rungs compare component-wise (`Dose.isAtMost`).
struct LadderPosition: Hashable, Sendable {
    var dose: Dose
    /// The rung index when `dose` is a rung of the ladder.
    var rung: Int?

    init(dose: Dose, rung: Int?) {
        self.dose = dose
        self.rung = rung
    }

    /// The ladder's start rung.
    init(startOf ladder: DoseLadder) {
        self.init(dose: ladder.start, rung: ladder.startIndex)
    }

    /// `dose` placed on `ladder`: on a rung when it equals one, otherwise off the ladder.
    init(dose: Dose, on ladder: DoseLadder, exercise: String) {
        self.init(dose: dose, rung: ladder.rungs.firstIndex { Self.same($0, dose, exercise: exercise) })
    }

    /// One rung up, or nil at (or above) the cap.
    func up(on ladder: DoseLadder) -> LadderPosition? {
        let next: Int?
        if let rung {
            next = rung + 1 < ladder.rungs.count ? rung + 1 : nil
        } else {
            next = ladder.rungs.firstIndex { dose.isAtMost($0) && $0 != dose }
        }
        return next.map { LadderPosition(dose: ladder.rungs[$0], rung: $0) }
    }

    /// One rung down, or nil at (or below) the floor.
    func down(on ladder: DoseLadder) -> LadderPosition? {
        let next: Int?
        if let rung {
            next = rung > 0 ? rung - 1 : nil
        } else {
            next = ladder.rungs.lastIndex { $0.isAtMost(dose) && $0 != dose }
        }
        return next.map { LadderPosition(dose: ladder.rungs[$0], rung: $0) }
    }

    /// The lower of this dose and the ladder's start (flare, resume). Never raises any
    /// component: an off-ladder dose that is not at most the start goes to the highest rung
    /// at or below the start that is at most the dose, and stays as it is when there is none.
    func atMostStart(of ladder: DoseLadder) -> LadderPosition {
        if let rung {
            let r = min(rung, ladder.startIndex)
            return LadderPosition(dose: ladder.rungs[r], rung: r)
        }
        if dose.isAtMost(ladder.start) { return self }
        if let r = ladder.rungs[...ladder.startIndex].lastIndex(where: { $0.isAtMost(dose) }) {
            return LadderPosition(dose: ladder.rungs[r], rung: r)
        }
        return self
    }

    /// Two doses are the same rung when their amounts match and they name the same variant
    /// (nil meaning the prescription's own exercise).
    static func same(_ a: Dose, _ b: Dose, exercise: String) -> Bool {
        a.amounts == b.amounts && (a.variant ?? exercise) == (b.variant ?? exercise)
    }
}
