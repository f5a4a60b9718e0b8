/// A YAML document tree that keeps where each node was written.
///
/// Yams' `Node` is not `Sendable` and its typed decoding loses positions; this small tree is
/// what the definition readers walk, so every error can name its line and column.
package indirect enum YAMLValue: Sendable {
    /// A scalar exactly as written: `1.10` stays the string "1.10".
    case scalar(String, quoted: Bool, SourceLocation)
    case mapping([(key: YAMLKey, value: YAMLValue)], SourceLocation)
    case sequence([YAMLValue], SourceLocation)

    package var location: SourceLocation {
        switch self {
        case .scalar(_, _, let location), .mapping(_, let location), .sequence(_, let location): location
        }
    }

    /// An unquoted empty, `~` or `null` scalar, which YAML reads as "no value".
    package var isNull: Bool {
        if case .scalar(let text, false, _) = self { return ["", "~", "null", "Null", "NULL"].contains(text) }
        return false
    }

    /// How the node is described in "expected X, found Y" messages.
    package var kindDescription: String {
        switch self {
        case .scalar(let text, _, _):
            if isNull { return "nothing" }
            return "'\(text.count > 40 ? String(text.prefix(40)) + "…" : text)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }
}

/// A mapping key; keys in definitions are always scalars.
package struct YAMLKey: Sendable, Hashable {
    package let text: String
    package let location: SourceLocation

    package init(_ text: String, at location: SourceLocation) {
        self.text = text
        self.location = location
    }
}
