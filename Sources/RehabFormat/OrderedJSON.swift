import RehabKit

/// A JSON value whose objects keep their keys in the order written, so output follows
/// the documented key order (docs/json.md) and the same value always gives the same bytes.
///
/// ```swift
/// let v: OrderedJSON = .object([("schema", .int(1)), ("patient", .string("p-0001"))])
/// v.rendered()  // "{\n  \"schema\": 1,\n  \"patient\": \"p-0001\"\n}\n"
/// ```
public enum OrderedJSON: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([OrderedJSON])
    /// Keys in output order; a key should appear once.
    case object([(String, OrderedJSON)])

    public static func == (a: OrderedJSON, b: OrderedJSON) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case let (.bool(x), .bool(y)): x == y
        case let (.int(x), .int(y)): x == y
        case let (.string(x), .string(y)): x == y
        case let (.array(x), .array(y)): x == y
        case let (.object(x), .object(y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(rendered(pretty: false))
    }

    /// An optional string as a string or null.
    public static func string(_ value: String?) -> OrderedJSON { value.map(OrderedJSON.string) ?? .null }
    /// An optional integer as a number or null.
    public static func int(_ value: Int?) -> OrderedJSON { value.map(OrderedJSON.int) ?? .null }

    /// The JSON text. Pretty output indents by two spaces and ends with a newline;
    /// compact output is one line without spaces and without a newline (a pain-log line).
    public func rendered(pretty: Bool = true) -> String {
        rendered(layout: pretty ? .indented : .compact)
    }

    /// The JSON text in the given layout.
    public func rendered(layout: JSONLayout) -> String {
        var out = JSONStream(layout: layout, capacity: layout == .compact ? 256 : 4096)
        out.write(self)
        return out.finish()
    }

    /// Escapes `"`, `\`, control characters (C0, DEL) and U+2028/U+2029 in UTF-8 bytes.
    static func writeString(_ s: String, to out: inout ByteSink) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { utf8 in
            var i = 0
            var runStart = 0
            let n = utf8.count
            while i < n {
                // Eight plain ASCII bytes at a time: the usual case, a sentence of text.
                if n - i >= 8, let base = utf8.baseAddress,
                   Self.plain(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) {
                    i += 8
                    continue
                }
                let b = utf8[i]
                // Most bytes need nothing: skip them before the full check below.
                if b >= 0x20, b != 0x22, b != 0x5C, b != 0x7F, b != 0xE2 {
                    i += 1
                    continue
                }
                let escape: StaticString?
                var width = 1
                switch b {
                case UInt8(ascii: "\""): escape = "\\\""
                case UInt8(ascii: "\\"): escape = "\\\\"
                case 0x0A: escape = "\\n"
                case 0x0D: escape = "\\r"
                case 0x09: escape = "\\t"
                case 0x08: escape = "\\b"
                case 0x0C: escape = "\\f"
                case 0x00..<0x20, 0x7F: escape = nil
                case 0xE2 where i + 2 < n && utf8[i + 1] == 0x80 && (utf8[i + 2] == 0xA8 || utf8[i + 2] == 0xA9):
                    escape = nil
                    width = 3
                default:
                    i += 1
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
                if let escape {
                    escape.withUTF8Buffer { out.append(contentsOf: $0) }
                } else {
                    let scalar: UInt32 = width == 3 ? (utf8[i + 2] == 0xA8 ? 0x2028 : 0x2029) : UInt32(b)
                    out.append(UInt8(ascii: "\\"))
                    out.append(UInt8(ascii: "u"))
                    for shift in stride(from: 12, through: 0, by: -4) {
                        out.append(hexDigits[Int((scalar >> UInt32(shift)) & 0xF)])
                    }
                }
                i += width
                runStart = i
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<n]))
        }
        out.append(UInt8(ascii: "\""))
    }

    fileprivate static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Whether eight bytes are all ASCII from 0x20 to 0x7E except `"` and `\`: bytes that
    /// go out as they are. (The classic bit tricks: a byte below 0x20 or equal to one of
    /// the three values sets its top bit in the tests below; none may have it set already.)
    @inline(__always)
    static func plain(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }
        guard w & highs == 0 else { return false }
        if (w &- 0x20 &* ones) & ~w & highs != 0 { return false }  // a byte below 0x20
        return !hasZeroByte(w ^ (0x22 &* ones)) && !hasZeroByte(w ^ (0x5C &* ones)) && !hasZeroByte(w ^ (0x7F &* ones))
    }
}

/// How JSON text is laid out. Every layout gives the same value; only white space differs.
public enum JSONLayout: Hashable, Sendable {
    /// One line without spaces and without a final newline (a pain-log line).
    case compact
    /// Every item on its own line, indented two spaces a level, with a final newline.
    case indented
    /// Items of the outer `depth` levels each on their own line, indented as `indented`;
    /// anything deeper stays on its item's line with `", "` and `": "`. Plan JSON uses 2:
    /// one line per session and per decision, which reads in a terminal and in a diff at
    /// a fraction of `indented`'s size.
    case lines(depth: Int)
}

/// JSON written straight into one growing UTF-8 buffer, value by value, with the same
/// layout `OrderedJSON.rendered` gives: far cheaper than building a value tree first
/// (a plan JSON has thousands of values).
///
/// Open containers with `beginObject`/`beginArray`, name each object member with `key`,
/// then write its value; array items need no call before them.
struct JSONStream: ~Copyable {
    private(set) var bytes: ByteSink
    /// Items of containers nested this deep or less start a new line (0: none do).
    private let breakDepth: Int
    /// Whether ": " and ", " (within a line) have their space, and the text ends in a newline.
    private let spaced: Bool
    /// For each open container (innermost last): whether it has an item yet.
    private var filled: [Bool] = []
    /// True right after a key: the next value follows it on the same line.
    private var afterKey = false

    init(layout: JSONLayout = .indented, capacity: Int = 4096) {
        switch layout {
        case .compact: (breakDepth, spaced) = (0, false)
        case .indented: (breakDepth, spaced) = (.max, true)
        case .lines(let depth): (breakDepth, spaced) = (max(0, depth), true)
        }
        bytes = ByteSink(capacity: capacity)
        filled.reserveCapacity(8)
    }

    /// The text; all but compact output ends with a newline.
    mutating func finish() -> String {
        if spaced { bytes.append(UInt8(ascii: "\n")) }
        return bytes.string()
    }

    /// The text as UTF-8 bytes (no `String` made, nor its UTF-8 checked again).
    mutating func finishBytes() -> [UInt8] {
        if spaced { bytes.append(UInt8(ascii: "\n")) }
        return bytes.array()
    }

    mutating func beginObject() { open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    /// An object member's key (plain ASCII, written as is).
    mutating func key(_ name: StaticString) {
        item()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        keyEnd()
    }

    /// An object member's key, escaped as needed.
    mutating func key(_ name: String) {
        item()
        OrderedJSON.writeString(name, to: &bytes)
        bytes.removeLast()
        keyEnd()
    }

    mutating func null() { item(); append("null") }
    mutating func bool(_ b: Bool) { item(); append(b ? "true" : "false") }
    mutating func string(_ s: String) { item(); OrderedJSON.writeString(s, to: &bytes) }
    mutating func string(_ s: String?) { if let s { string(s) } else { null() } }
    mutating func int(_ value: Int) { item(); writeInt(value) }
    mutating func int(_ value: Int?) { if let value { int(value) } else { null() } }

    /// A string of plain ASCII that needs no escaping (an enum raw value, a date).
    mutating func asciiString(_ s: StaticString) {
        item()
        bytes.append(UInt8(ascii: "\""))
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `"YYYY-MM-DD"`.
    mutating func date(_ date: LocalDate) {
        item()
        bytes.append(UInt8(ascii: "\""))
        writeDate(date)
        bytes.append(UInt8(ascii: "\""))
    }

    /// `"YYYY-MM-DDTHH:MM:00+HH:MM"`, the same text as `ZonedInstant.iso8601`.
    mutating func instant(_ instant: ZonedInstant) {
        item()
        bytes.append(UInt8(ascii: "\""))
        writeDate(instant.local.date)
        bytes.append(UInt8(ascii: "T"))
        twoDigits(instant.local.time.hour)
        bytes.append(UInt8(ascii: ":"))
        twoDigits(instant.local.time.minute)
        append(":00")
        let off = instant.utcOffsetSeconds
        bytes.append(off < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        let magnitude = abs(off)
        writePadded(magnitude / 3600, 2)
        bytes.append(UInt8(ascii: ":"))
        twoDigits((magnitude % 3600) / 60)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Where the next byte goes: with `tail(from:)` and `replay`, a caller can write the
    /// same run of values again without laying it out twice.
    var position: Int { bytes.count }

    /// The bytes written since `position`.
    func tail(from position: Int) -> [UInt8] { bytes.array(from: position) }

    /// Writes what goes before the next value (its comma, line break or indent) and
    /// returns where the value itself will start: with `tail(from:)`, the bytes of the
    /// value alone, for `replay` at another item of the same depth.
    mutating func valueStart() -> Int {
        item()
        afterKey = true  // the separator is written; the value's own opening adds none
        return bytes.count
    }

    /// One whole value written before by this stream at the same depth (from `tail`).
    mutating func replay(_ value: [UInt8]) {
        item()
        bytes.append(contentsOf: value)
    }

    /// Any value, laid out as `OrderedJSON.rendered` does.
    mutating func write(_ value: OrderedJSON) {
        switch value {
        case .null: null()
        case .bool(let b): bool(b)
        case .int(let i): int(i)
        case .string(let s): string(s)
        case .array(let items):
            beginArray()
            for item in items { write(item) }
            endArray()
        case .object(let members):
            beginObject()
            for (k, v) in members {
                key(k)
                write(v)
            }
            endObject()
        }
    }

    // MARK: Layout

    /// Before any value or key: the comma and line break its container needs.
    private mutating func item() {
        if afterKey { afterKey = false; return }
        guard let last = filled.indices.last else { return }
        let first = !filled[last]
        if first { filled[last] = true } else { bytes.append(UInt8(ascii: ",")) }
        if filled.count <= breakDepth {
            newline(filled.count)
        } else if spaced && !first {
            bytes.append(UInt8(ascii: " "))
        }
    }

    private mutating func keyEnd() {
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        if spaced { bytes.append(UInt8(ascii: " ")) }
        afterKey = true
    }

    private mutating func open(_ bracket: UInt8) {
        item()
        bytes.append(bracket)
        filled.append(false)
    }

    private mutating func close(_ bracket: UInt8) {
        let depth = filled.count
        if filled.removeLast(), depth <= breakDepth { newline(filled.count) }
        bytes.append(bracket)
    }

    /// A line break and two spaces per level.
    private mutating func newline(_ indent: Int) {
        let width = 2 * indent + 1
        guard width <= Self.breaks.count else {
            bytes.append(UInt8(ascii: "\n"))
            for _ in 0..<(2 * indent) { bytes.append(UInt8(ascii: " ")) }
            return
        }
        Self.breaks.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[0..<width])) }
    }

    /// A line break and enough indentation for 15 levels.
    private static let breaks: [UInt8] = [UInt8(ascii: "\n")] + [UInt8](repeating: UInt8(ascii: " "), count: 30)

    private mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// `YYYY-MM-DD` as `LocalDate.description` writes it.
    private mutating func writeDate(_ date: LocalDate) {
        let c = date.components
        if (0...9999).contains(c.year) {
            twoDigits(c.year / 100)
            twoDigits(c.year % 100)
        } else {
            writePadded(c.year, 4)
        }
        bytes.append(UInt8(ascii: "-"))
        twoDigits(c.month)
        bytes.append(UInt8(ascii: "-"))
        twoDigits(c.day)
    }

    /// A number from 0 to 99 as two digits (a month, a day, an hour, a minute).
    private mutating func twoDigits(_ value: Int) {
        bytes.append(UInt8(truncatingIfNeeded: 48 + value / 10))
        bytes.append(UInt8(truncatingIfNeeded: 48 + value % 10))
    }

    /// Zeros in front up to `width` characters, as RehabKit's `pad` does.
    private mutating func writePadded(_ value: Int, _ width: Int) {
        if value < 0 {
            let s = String(value)
            for _ in s.utf8.count..<max(width, s.utf8.count) { bytes.append(UInt8(ascii: "0")) }
            bytes.append(contentsOf: s.utf8)
            return
        }
        var digits = 1
        var v = value
        while v >= 10 { v /= 10; digits += 1 }
        for _ in digits..<max(width, digits) { bytes.append(UInt8(ascii: "0")) }
        writeInt(value)
    }

    private mutating func writeInt(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        // The magnitude as UInt, so Int.min works too.
        var v = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[23 - count] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
                count += 1
            } while v > 0
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: d[(24 - count)...]).assumingMemoryBound(to: UInt8.self))
        }
    }
}

/// Where JSON text is written: one growing block of memory and how much of it is in use.
/// Appending a byte is a store, a run a copy. (`Array.append` checked uniqueness and took
/// its general path on every call, which cost more than the short strings JSON is made
/// of.) Not copyable, so the block has exactly one owner, which frees it.
struct ByteSink: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// The bytes in use, from the start.
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(64, capacity)
        base = UnsafeMutablePointer<UInt8>.allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(by: 1) }
        base[count] = byte
        count += 1
    }

    mutating func append(contentsOf run: UnsafeBufferPointer<UInt8>) {
        guard let source = run.baseAddress, !run.isEmpty else { return }
        if count + run.count > capacity { grow(by: run.count) }
        (base + count).update(from: source, count: run.count)
        count += run.count
    }

    mutating func append(contentsOf bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append(contentsOf: $0) }
    }

    mutating func append(contentsOf text: String.UTF8View) {
        for byte in text { append(byte) }
    }

    mutating func removeLast() {
        precondition(count > 0, "removeLast on an empty ByteSink")
        count -= 1
    }

    /// The bytes in use from `position` on.
    func array(from position: Int = 0) -> [UInt8] {
        precondition((0...count).contains(position), "position outside the bytes written")
        return Array(UnsafeBufferPointer(start: base + position, count: count - position))
    }

    /// The bytes in use as text (JSONStream writes valid UTF-8 only).
    func string() -> String {
        String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
    }

    private mutating func grow(by needed: Int) {
        let larger = max(capacity * 2, count + needed)
        let block = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        block.update(from: base, count: count)
        base.deallocate()
        base = block
        capacity = larger
    }
}
