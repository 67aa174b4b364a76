/// One exercise of the library, as a patient reads it.
///
/// An exercise may have variants from easier to harder (a ladder of its own): the nerve
/// glide's slider, then its tensioner. Each variant is an `Exercise` with its own id;
/// `family` names the exercise it belongs to.
public struct Exercise: Hashable, Sendable {
    public var id: String
    public var name: String
    public var category: String
    public var doseKind: DoseKind
    /// Short numbered steps, our own plain words.
    public var instructions: [String]
    /// One line for a calendar event: the whole how-to in a sentence.
    public var summary: String
    public var cautions: [String]
    /// Variant ids, easier first; empty when the exercise has none.
    public var variants: [String]
    /// The exercise this one is a variant of; nil for a top-level exercise.
    public var family: String?
    /// Reference keys (`programs/references.yaml`).
    public var sources: [String]
    /// What it loads (`Clinical.swift`); nil when the library does not say. A variant
    /// without its own list has its family's.
    public var movements: Set<Movement>? = nil
    /// The one caution shown beside the dose, a few words ("never into pain"); nil for none.
    public var caution: String? = nil

    public init(id: String, name: String, category: String, doseKind: DoseKind, instructions: [String],
                summary: String, cautions: [String] = [], variants: [String] = [], family: String? = nil,
                sources: [String]) {
        self.id = id
        self.name = name
        self.category = category
        self.doseKind = doseKind
        self.instructions = instructions
        self.summary = summary
        self.cautions = cautions
        self.variants = variants
        self.family = family
        self.sources = sources
    }
}

/// The exercise library: every exercise and variant by id.
public struct ExerciseLibrary: Sendable {
    public let exercises: [Exercise]
    private let byID: [String: Int]

    public init(exercises: [Exercise]) {
        self.exercises = exercises
        var index: [String: Int] = [:]
        for (i, e) in exercises.enumerated() where index[e.id] == nil { index[e.id] = i }
        byID = index
    }

    public subscript(id: String) -> Exercise? { byID[id].map { exercises[$0] } }

    /// The top-level exercise an id belongs to (itself, or the family of a variant).
    public func familyID(of id: String) -> String? {
        guard let e = self[id] else { return nil }
        return e.family ?? e.id
    }
}
