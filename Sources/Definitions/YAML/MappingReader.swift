/// Reads one YAML mapping into typed fields, reporting every unknown key, wrong type and missing
/// required key to a shared problem list instead of stopping at the first.
package struct MappingReader {
    package let pairs: [(key: YAMLKey, value: YAMLValue)]
    package let location: SourceLocation
    /// Prefix for messages, e.g. "package." so a nested key reads 'package.user'.
    package let path: String

    /// Returns nil (after reporting) when `value` is not a mapping.
    package init?(_ value: YAMLValue, describing what: String, path: String = "", allowed: [String],
          problems: inout Diagnostics) {
        guard case .mapping(let pairs, let location) = value else {
            problems.error("\(what) must be a mapping of keys (\(allowed.joined(separator: ", "))), found \(value.kindDescription)",
                           at: value.location)
            return nil
        }
        self.pairs = pairs
        self.location = location
        self.path = path
        for (key, _) in pairs where !allowed.contains(key.text) {
            problems.error(Self.unknownKey(key.text, path: path, allowed: allowed), at: key.location)
        }
    }

    static func unknownKey(_ key: String, path: String, allowed: [String]) -> String {
        if let guess = Suggestion.closest(to: key, in: allowed) {
            return "unknown key '\(path)\(key)' (did you mean '\(path)\(guess)'?)"
        }
        return "unknown key '\(path)\(key)' (expected one of: \(allowed.joined(separator: ", ")))"
    }

    package func has(_ key: String) -> Bool { pairs.contains { $0.key.text == key } }

    package func key(_ key: String) -> YAMLKey? { pairs.first { $0.key.text == key }?.key }

    /// The value under `key`; a `key:` with nothing after it counts as absent.
    package func value(_ key: String) -> YAMLValue? {
        guard let value = pairs.first(where: { $0.key.text == key })?.value, !value.isNull else { return nil }
        return value
    }

    package func missing(_ key: String, in what: String, problems: inout Diagnostics) {
        problems.error("missing required key '\(path)\(key)' in \(what)", at: location)
    }

    package func string(_ key: String, required what: String? = nil, problems: inout Diagnostics) -> Located<String>? {
        guard let value = value(key) else {
            if let what { missing(key, in: what, problems: &problems) }
            return nil
        }
        return TypedValue.string(value, name: path + key, problems: &problems)
    }

    package func int(_ key: String, problems: inout Diagnostics) -> Located<Int>? {
        value(key).flatMap { TypedValue.int($0, name: path + key, problems: &problems) }
    }

    package func bool(_ key: String, problems: inout Diagnostics) -> Located<Bool>? {
        value(key).flatMap { TypedValue.bool($0, name: path + key, problems: &problems) }
    }

    package func stringList(_ key: String, problems: inout Diagnostics) -> [Located<String>] {
        value(key).map { TypedValue.stringList($0, name: path + key, problems: &problems) } ?? []
    }

    package func stringMap(_ key: String, problems: inout Diagnostics) -> [(key: YAMLKey, value: Located<String>)] {
        value(key).map { TypedValue.stringMap($0, name: path + key, problems: &problems) } ?? []
    }
}

/// Conversions of single YAML nodes to the types definitions use.
package enum TypedValue {
    package static func string(_ value: YAMLValue, name: String, problems: inout Diagnostics) -> Located<String>? {
        guard case .scalar(let text, let quoted, let location) = value, !value.isNull else {
            problems.error("'\(name)' must be a string, found \(value.kindDescription)", at: value.location)
            return nil
        }
        // Point at the first character of the text, not at the opening quote.
        return Located(text, at: quoted ? location.advanced(by: 1) : location)
    }

    package static func int(_ value: YAMLValue, name: String, problems: inout Diagnostics) -> Located<Int>? {
        guard case .scalar(let text, let quoted, let location) = value, let number = Int(text), !quoted else {
            let hint = if case .scalar(let text, true, _) = value, Int(text) != nil { " (write it without quotes)" } else { "" }
            problems.error("'\(name)' must be a whole number, found \(value.kindDescription)\(hint)", at: value.location)
            return nil
        }
        return Located(number, at: location)
    }

    package static func bool(_ value: YAMLValue, name: String, problems: inout Diagnostics) -> Located<Bool>? {
        if case .scalar(let text, false, let location) = value {
            if text == "true" { return Located(true, at: location) }
            if text == "false" { return Located(false, at: location) }
        }
        problems.error("'\(name)' must be true or false, found \(value.kindDescription)", at: value.location)
        return nil
    }

    package static func stringList(_ value: YAMLValue, name: String, problems: inout Diagnostics) -> [Located<String>] {
        guard case .sequence(let items, _) = value else {
            problems.error("'\(name)' must be a list of strings, found \(value.kindDescription)", at: value.location)
            return []
        }
        return items.compactMap { item in
            guard case .scalar = item, !item.isNull else {
                problems.error("each item of '\(name)' must be a string, found \(item.kindDescription)", at: item.location)
                return nil
            }
            return string(item, name: name, problems: &problems)
        }
    }

    package static func stringMap(_ value: YAMLValue, name: String, problems: inout Diagnostics) -> [(key: YAMLKey, value: Located<String>)] {
        guard case .mapping(let pairs, _) = value else {
            problems.error("'\(name)' must be a mapping of names to strings, found \(value.kindDescription)", at: value.location)
            return []
        }
        return pairs.compactMap { pair in
            string(pair.value, name: "\(name).\(pair.key.text)", problems: &problems).map { (pair.key, $0) }
        }
    }
}
