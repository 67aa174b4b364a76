import RehabKit

/// A quick reader for pain-log lines in the exact form `rehab log` writes them: compact
/// JSON, no spaces, whole numbers, simple escapes.
///
/// It reads a strict subset of JSON and gives up (nil) on anything else: whitespace,
/// fractions, exponents, minus signs, `\u` escapes, duplicate keys, deep nesting. The
/// caller then reads the line with `JSONDecoder`, so every line is still judged by the
/// same rules and gets the same messages; this only spares the decoder on ordinary lines
/// (it cost about 200,000 instructions per line).
enum PainLogFastLine {
    typealias Value = PainLogLine.Value

    /// The fields of a one-line JSON object, or nil when the quick reader gives up.
    static func object(_ line: Substring) -> [String: Value]? {
        var line = line
        return line.withUTF8 { bytes -> [String: Value]? in
            var reader = Reader(bytes: bytes)
            guard let value = reader.value(depth: 0), reader.at == bytes.count,
                  case .object(let fields) = value else { return nil }
            return fields
        }
    }

    /// A report line exactly as `rehab log` writes it (`PainLogLine.encode`: keys in its
    /// order, no spaces) read straight into a report, or nil for anything else, including
    /// any line the full reader would refuse. Such lines go to `PainLogLine.decode`'s
    /// general path, which gives the same report or the error.
    static func report(_ line: Substring) -> PainReport? {
        var line = line
        return line.withUTF8 { bytes -> PainReport? in
            var reader = Reader(bytes: bytes)
            guard let report = reader.report(), reader.at == bytes.count else { return nil }
            return report
        }
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var at = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        private var current: UInt8? { at < bytes.count ? bytes[at] : nil }

        private mutating func take(_ b: UInt8) -> Bool {
            guard current == b else { return false }
            at += 1
            return true
        }

        private mutating func word(_ text: StaticString) -> Bool {
            let n = text.utf8CodeUnitCount
            guard bytes.count - at >= n else { return false }
            let matches = text.withUTF8Buffer { w in (0..<n).allSatisfy { bytes[at + $0] == w[$0] } }
            if matches { at += n }
            return matches
        }

        /// `{"at":"…","when":"…","pain":N|null,"exercise":"…"|null,"flags":[…],"note":"…"|null}`
        /// with every value valid by `PainLogLine.decode`'s rules.
        mutating func report() -> PainReport? {
            guard word(#"{"at":""#), let at = localDateTime(), word(#"","when":"#),
                  current == UInt8(ascii: "\""), let whenText = string(), let when = ReportTiming(rawValue: whenText),
                  word(#","pain":"#) else { return nil }
            var pain: Int?
            if !word("null") {
                guard let b = current, b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9"),
                      case .number(let v)? = number(), v <= 10 else { return nil }
                pain = Int(v)
            }
            guard word(#","exercise":"#), let exercise = optionalString(), word(#","flags":["#) else { return nil }
            var flags: [RedFlag] = []
            if !take(UInt8(ascii: "]")) {
                repeat {
                    guard current == UInt8(ascii: "\""), let name = string(), let flag = RedFlag(rawValue: name) else { return nil }
                    flags.append(flag)
                } while take(UInt8(ascii: ","))
                guard take(UInt8(ascii: "]")) else { return nil }
            }
            guard word(#","note":"#), let note = optionalString(), take(UInt8(ascii: "}")) else { return nil }
            // Only a report with a halting flag may leave out the score.
            if pain == nil, !flags.contains(where: \.halts) { return nil }
            return PainReport(at: at, pain: pain, when: when, exercise: exercise, flags: flags, note: note)
        }

        /// `YYYY-MM-DDTHH:MM` and its closing quote, as `LocalDateTime(iso:)` reads it.
        private mutating func localDateTime() -> LocalDateTime? {
            guard bytes.count - at >= 17, bytes[at + 4] == UInt8(ascii: "-"), bytes[at + 7] == UInt8(ascii: "-"),
                  bytes[at + 10] == UInt8(ascii: "T"), bytes[at + 13] == UInt8(ascii: ":"),
                  bytes[at + 16] == UInt8(ascii: "\""),
                  let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
                  let hour = digits(11, 2), let minute = digits(14, 2),
                  let date = LocalDate(year: year, month: month, day: day),
                  let time = LocalTime(hour: hour, minute: minute) else { return nil }
            at += 16
            return LocalDateTime(date: date, time: time)
        }

        /// The number written by `count` ASCII digits from `at + offset`.
        private func digits(_ offset: Int, _ count: Int) -> Int? {
            var value = 0
            for i in (at + offset)..<(at + offset + count) {
                let b = bytes[i]
                guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(b - UInt8(ascii: "0"))
            }
            return value
        }

        /// A string or null: `.some(nil)` for null, nil when neither.
        private mutating func optionalString() -> String?? {
            if word("null") { return .some(nil) }
            guard current == UInt8(ascii: "\""), let text = string() else { return nil }
            return .some(text)
        }

        mutating func value(depth: Int) -> Value? {
            guard depth < 4, let b = current else { return nil }
            switch b {
            case UInt8(ascii: "{"): return object(depth: depth)
            case UInt8(ascii: "["): return array(depth: depth)
            case UInt8(ascii: "\""): return string().map(Value.string)
            case UInt8(ascii: "n"): return word("null") ? .null : nil
            case UInt8(ascii: "t"): return word("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return word("false") ? .bool(false) : nil
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return number()
            default: return nil
            }
        }

        private mutating func object(depth: Int) -> Value? {
            at += 1
            var fields: [String: Value] = [:]
            if take(UInt8(ascii: "}")) { return .object(fields) }
            while true {
                guard current == UInt8(ascii: "\""), let key = string(), take(UInt8(ascii: ":")),
                      let v = value(depth: depth + 1), fields[key] == nil else { return nil }
                fields[key] = v
                if take(UInt8(ascii: "}")) { return .object(fields) }
                guard take(UInt8(ascii: ",")) else { return nil }
            }
        }

        private mutating func array(depth: Int) -> Value? {
            at += 1
            var items: [Value] = []
            if take(UInt8(ascii: "]")) { return .array(items) }
            while true {
                guard let v = value(depth: depth + 1) else { return nil }
                items.append(v)
                if take(UInt8(ascii: "]")) { return .array(items) }
                guard take(UInt8(ascii: ",")) else { return nil }
            }
        }

        /// Up to 15 digits, no leading zero, no fraction or exponent: exact as a Double.
        private mutating func number() -> Value? {
            let start = at
            var v = 0
            while let b = current, b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") {
                v = v * 10 + Int(b - UInt8(ascii: "0"))
                at += 1
                guard at - start <= 15 else { return nil }
            }
            if bytes[start] == UInt8(ascii: "0"), at - start > 1 { return nil }
            if let b = current, b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E") { return nil }
            return .number(Double(v))
        }

        /// A string whose bytes are valid UTF-8 already (the whole log was checked).
        private mutating func string() -> String? {
            at += 1
            var start = at
            var escaped: [UInt8]?
            while let b = current {
                switch b {
                case UInt8(ascii: "\""):
                    let tail = UnsafeBufferPointer(rebasing: bytes[start..<at])
                    at += 1
                    guard var out = escaped else { return String(decoding: tail, as: UTF8.self) }
                    out.append(contentsOf: tail)
                    return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard at + 1 < bytes.count else { return nil }
                    let replacement: UInt8
                    switch bytes[at + 1] {
                    case UInt8(ascii: "\""): replacement = UInt8(ascii: "\"")
                    case UInt8(ascii: "\\"): replacement = UInt8(ascii: "\\")
                    case UInt8(ascii: "/"): replacement = UInt8(ascii: "/")
                    case UInt8(ascii: "n"): replacement = 0x0A
                    case UInt8(ascii: "r"): replacement = 0x0D
                    case UInt8(ascii: "t"): replacement = 0x09
                    case UInt8(ascii: "b"): replacement = 0x08
                    case UInt8(ascii: "f"): replacement = 0x0C
                    default: return nil
                    }
                    var out = escaped ?? []
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<at]))
                    out.append(replacement)
                    escaped = out
                    at += 2
                    start = at
                case 0x00..<0x20:
                    return nil
                default:
                    at += 1
                }
            }
            return nil
        }
    }
}
