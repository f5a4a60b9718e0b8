/// The one byte form of a small JSON value, for signing: keys sorted by their UTF-8 bytes, no
/// whitespace, integers in decimal, strings escaped only where JSON requires it. Written here
/// rather than by JSONEncoder because a signature must survive any change in how a Foundation
/// version chooses to format (escaped slashes, spacing, key order).
enum CanonicalJSON: Sendable, Equatable {
    case string(String)
    case integer(Int64)
    case object([String: CanonicalJSON])

    var bytes: [UInt8] {
        var out: [UInt8] = []
        append(to: &out)
        return out
    }

    private func append(to out: inout [UInt8]) {
        switch self {
        case .string(let text):
            Self.appendString(text, to: &out)
        case .integer(let value):
            out.append(contentsOf: String(value).utf8)
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, key) in members.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.appendString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                members[key]!.append(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: Array(#"\""#.utf8))
            case UInt8(ascii: "\\"): out.append(contentsOf: Array(#"\\"#.utf8))
            case 0x0a: out.append(contentsOf: Array(#"\n"#.utf8))
            case 0x0d: out.append(contentsOf: Array(#"\r"#.utf8))
            case 0x09: out.append(contentsOf: Array(#"\t"#.utf8))
            case 0..<0x20:
                let digits = Array("0123456789abcdef".utf8)
                out.append(contentsOf: Array(#"\u00"#.utf8))
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0x0f)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
