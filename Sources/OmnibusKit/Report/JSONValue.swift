import Foundation
import Packaging

/// A JSON document written the same way every time: keys sorted, two-space indentation, a final
/// newline, decimals with three digits. The build report and the SBOMs are compared byte for
/// byte (SBOMs across builds, reports by CI diffs), which `JSONSerialization` does not promise.
package indirect enum JSONValue: Sendable, Equatable {
    case string(String)
    case int(Int64)
    /// Seconds and other measurements, written with three decimals.
    case decimal(Double)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([String: JSONValue])

    package static func string(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }

    /// A parsed document (`JSONSerialization` output) as a value; numbers keep being integers
    /// when they are.
    package init(parsed: Any) {
        switch parsed {
        case let text as String: self = .string(text)
        case let number as NSNumber:
            // JSON's true and false parse as NSNumbers of C type `char` (or `BOOL`).
            switch String(cString: number.objCType) {
            case "c", "B": self = .bool(number.boolValue)
            case "d", "f": self = .decimal(number.doubleValue)
            default: self = .int(number.int64Value)
            }
        case let list as [Any]: self = .array(list.map(JSONValue.init(parsed:)))
        case let map as [String: Any]: self = .object(map.mapValues(JSONValue.init(parsed:)))
        default: self = .null
        }
    }

    /// The document's text.
    package func encoded() -> Data {
        var out = ""
        write(to: &out, indent: "")
        return Data((out + "\n").utf8)
    }

    private func write(to out: inout String, indent: String) {
        switch self {
        case .string(let text): out += Self.quoted(text)
        case .int(let value): out += String(value)
        case .decimal(let value): out += value.isFinite ? String(format: "%.3f", value) : "null"
        case .bool(let value): out += value ? "true" : "false"
        case .null: out += "null"
        case .array(let items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "[\n"
            for (index, item) in items.enumerated() {
                out += indent + "  "
                item.write(to: &out, indent: indent + "  ")
                out += index == items.count - 1 ? "\n" : ",\n"
            }
            out += indent + "]"
        case .object(let fields):
            guard !fields.isEmpty else { out += "{}"; return }
            out += "{\n"
            // Sorted by UTF-8 bytes, as `sort_keys` and `jq -S` order them.
            let keys = fields.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            for (index, key) in keys.enumerated() {
                out += indent + "  " + Self.quoted(key) + ": "
                fields[key]!.write(to: &out, indent: indent + "  ")
                out += index == keys.count - 1 ? "\n" : ",\n"
            }
            out += indent + "}"
        }
    }

    private static func quoted(_ text: String) -> String { JSONText.quoted(text) }
}
