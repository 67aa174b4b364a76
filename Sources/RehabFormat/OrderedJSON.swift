/// A JSON value whose objects keep their keys in the order written, so output follows
/// SPEC.md's key order and the same value always gives the same bytes.
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
        var out = Writer(pretty: pretty)
        out.write(self, indent: 0)
        if pretty { out.bytes.append(UInt8(ascii: "\n")) }
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// Renders into one growing UTF-8 buffer: far cheaper than appending to a `String`
    /// piece by piece (a plan JSON is a few hundred kilobytes).
    private struct Writer {
        var bytes: [UInt8] = []
        let pretty: Bool

        init(pretty: Bool) {
            self.pretty = pretty
            bytes.reserveCapacity(pretty ? 4096 : 256)
        }

        mutating func write(_ value: OrderedJSON, indent: Int) {
            switch value {
            case .null: append("null")
            case .bool(let b): append(b ? "true" : "false")
            case .int(let i): writeInt(i)
            case .string(let s): OrderedJSON.writeString(s, to: &bytes)
            case .array(let items):
                guard !items.isEmpty else { append("[]"); return }
                bytes.append(UInt8(ascii: "["))
                for (i, item) in items.enumerated() {
                    if i > 0 { bytes.append(UInt8(ascii: ",")) }
                    newline(indent + 1)
                    write(item, indent: indent + 1)
                }
                newline(indent)
                bytes.append(UInt8(ascii: "]"))
            case .object(let members):
                guard !members.isEmpty else { append("{}"); return }
                bytes.append(UInt8(ascii: "{"))
                for (i, (key, value)) in members.enumerated() {
                    if i > 0 { bytes.append(UInt8(ascii: ",")) }
                    newline(indent + 1)
                    OrderedJSON.writeString(key, to: &bytes)
                    bytes.append(UInt8(ascii: ":"))
                    if pretty { bytes.append(UInt8(ascii: " ")) }
                    write(value, indent: indent + 1)
                }
                newline(indent)
                bytes.append(UInt8(ascii: "}"))
            }
        }

        /// Pretty output only: a line break and two spaces per level.
        private mutating func newline(_ indent: Int) {
            guard pretty else { return }
            bytes.append(UInt8(ascii: "\n"))
            for _ in 0..<(2 * indent) { bytes.append(UInt8(ascii: " ")) }
        }

        private mutating func append(_ text: StaticString) {
            text.withUTF8Buffer { bytes.append(contentsOf: $0) }
        }

        private mutating func writeInt(_ value: Int) {
            if value < 0 { bytes.append(UInt8(ascii: "-")) }
            // The magnitude as UInt, so Int.min works too.
            var v = value.magnitude
            var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                         UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            var count = 0
            withUnsafeMutableBytes(of: &digits) { d in
                repeat {
                    d[19 - count] = UInt8(ascii: "0") + UInt8(v % 10)
                    v /= 10
                    count += 1
                } while v > 0
                bytes.append(contentsOf: d[(20 - count)...])
            }
        }
    }

    /// Escapes `"`, `\`, control characters (C0, DEL) and U+2028/U+2029 in UTF-8 bytes.
    static func writeString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { utf8 in
            var i = 0
            var runStart = 0
            let n = utf8.count
            while i < n {
                let b = utf8[i]
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

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
