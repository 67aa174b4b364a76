/// "Did you mean" suggestions by edit distance.
enum Suggest {
    /// The closest candidate within a small edit distance, or nil.
    static func closest(_ word: String, among candidates: [String]) -> String? {
        let limit = max(2, word.count / 3)
        var best: (String, Int)?
        for candidate in candidates {
            let d = distance(word.lowercased(), candidate.lowercased())
            if d <= limit, d < (best?.1 ?? Int.max) { best = (candidate, d) }
        }
        return best?.0
    }

    /// "; did you mean 'x'?" or "".
    static func didYouMean(_ word: String, among candidates: [String]) -> String {
        closest(word, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// " Did you mean 'x'?" or "", to follow a full sentence.
    static func didYouMeanSentence(_ word: String, among candidates: [String]) -> String {
        closest(word, among: candidates).map { " Did you mean '\($0)'?" } ?? ""
    }

    /// Levenshtein distance between two strings (by Unicode scalar).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
