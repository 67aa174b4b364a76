internal import CQRencode

/// A QR code as a grid of dark and light modules, made by libqrencode (the one importer
/// of `CQRencode`), and drawn as an SVG path for the handout.
///
/// ```swift
/// let code = try QRCode(encoding: "https://rehab.example.org/p/TOKEN/check-in")
/// code.svg(moduleSize: 4)   // <svg ...><path d="M4 4h1v1h-1z..."/></svg>
/// ```
public struct QRCode: Sendable, Equatable {
    /// Modules per side (without the quiet zone).
    public let width: Int
    /// Row-major, `true` for a dark module.
    public let modules: [Bool]

    /// Why a text could not be encoded (too long for a QR code, or out of memory).
    public struct EncodingError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Encodes `text` as 8-bit data at error-correction level M (15% of the code may be
    /// lost, enough for a creased sheet of paper), the smallest version that fits.
    public init(encoding text: String) throws(EncodingError) {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 2_000 else {
            throw EncodingError(description: "a link of \(bytes.count) bytes cannot be made into a QR code")
        }
        let made: UnsafeMutablePointer<QRcode>? = bytes.withUnsafeBufferPointer { buffer in
            QRcode_encodeData(Int32(buffer.count), buffer.baseAddress, 0, QR_ECLEVEL_M)
        }
        guard let code = made else {
            throw EncodingError(description: "libqrencode could not encode a link of \(bytes.count) bytes")
        }
        defer { QRcode_free(code) }
        let side = Int(code.pointee.width)
        var modules = [Bool](repeating: false, count: side * side)
        for i in 0..<(side * side) {
            // Bit 0 of each byte is the module's colour (1 = dark); the others say what it is.
            modules[i] = code.pointee.data[i] & 1 == 1
        }
        width = side
        self.modules = modules
    }

    public func isDark(row: Int, column: Int) -> Bool { modules[row * width + column] }

    /// The code as an inline SVG: a white square with a 4-module quiet zone and one path of
    /// dark runs (numbers only, so nothing in it needs escaping).
    public func svg(moduleSize: Int = 4, label: String = "QR code") -> String {
        let quiet = 4
        let side = (width + 2 * quiet) * moduleSize
        var path = ""
        for row in 0..<width {
            var column = 0
            while column < width {
                guard isDark(row: row, column: column) else { column += 1; continue }
                var run = 1
                while column + run < width, isDark(row: row, column: column + run) { run += 1 }
                let x = (column + quiet) * moduleSize, y = (row + quiet) * moduleSize
                path += "M\(x) \(y)h\(run * moduleSize)v\(moduleSize)h-\(run * moduleSize)z"
                column += run
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qrcode\" width=\"\(side)\" height=\"\(side)\" "
            + "viewBox=\"0 0 \(side) \(side)\" role=\"img\" aria-label=\"\(PageEscaping.attribute(label))\">"
            + "<rect width=\"\(side)\" height=\"\(side)\" fill=\"#fff\"/>"
            + "<path fill=\"#000\" d=\"\(path)\"/></svg>"
    }
}
