import Foundation

/// One relation from a project (`runtime_dependencies`, `conflicts`, `replaces`, `provides`),
/// parsed once and rendered per format. Accepted spellings, alternatives separated by `|`:
/// `name`, `name (>= 1.0)` (Debian style), `name >= 1.0` (rpm style). Operators: `<<`, `<=`, `=`,
/// `>=`, `>>`, and `<`, `>` meaning strictly less / greater (rendered `<<` / `>>` for dpkg, which
/// reads a bare `<` as `<=`).
struct PackageDependency: Sendable, Equatable {
    enum Relation: String, Sendable, CaseIterable {
        case less = "<<", lessOrEqual = "<=", equal = "=", greaterOrEqual = ">=", greater = ">>"

        init?(spelling: String) {
            switch spelling {
            case "<<", "<": self = .less
            case "<=": self = .lessOrEqual
            case "=", "==": self = .equal
            case ">=": self = .greaterOrEqual
            case ">>", ">": self = .greater
            default: return nil
            }
        }

        var rpmOperator: String {
            switch self {
            case .less: "<"
            case .lessOrEqual: "<="
            case .equal: "="
            case .greaterOrEqual: ">="
            case .greater: ">"
            }
        }

        /// rpm's RPMSENSE bits: LESS 0x02, GREATER 0x04, EQUAL 0x08.
        var rpmFlags: UInt32 {
            switch self {
            case .less: 0x02
            case .lessOrEqual: 0x0A
            case .equal: 0x08
            case .greaterOrEqual: 0x0C
            case .greater: 0x04
            }
        }
    }

    struct Alternative: Sendable, Equatable {
        var name: String
        var relation: Relation?
        var version: String?
    }

    /// One or more alternatives (`a | b`): any of them satisfies the relation.
    var alternatives: [Alternative]

    /// Parses one list item; the error text says what was expected.
    init(parsing text: String) throws(PackagingError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw .invalidInfo(["empty dependency"]) }
        guard !trimmed.contains(","), !trimmed.contains(where: \.isNewline) else {
            throw .invalidInfo(["dependency '\(text)' contains a comma or a newline: write one dependency per list item"])
        }
        alternatives = try trimmed.split(separator: "|").map { part throws(PackagingError) in
            try Self.alternative(String(part), whole: text)
        }
    }

    private static func alternative(_ text: String, whole: String) throws(PackagingError) -> Alternative {
        let expected = "expected 'name', 'name (>= version)' or 'name >= version' in '\(whole)'"
        var trimmed = text.trimmingCharacters(in: .whitespaces)
        // Debian style: the relation is in the last parentheses, which start with an operator.
        // Names such as `perl(Foo::Bar)` keep theirs.
        if trimmed.hasSuffix(")"), let open = trimmed.lastIndex(of: "("),
           let first = trimmed[trimmed.index(after: open)...].first(where: { !$0.isWhitespace }), "<=>".contains(first) {
            let inner = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
            let name = trimmed[..<open].trimmingCharacters(in: .whitespaces)
            trimmed = name + " " + Self.spaced(String(inner))
        }
        let words = trimmed.split(whereSeparator: \.isWhitespace).map(String.init)
        switch words.count {
        case 1:
            return Alternative(name: words[0], relation: nil, version: nil)
        case 3:
            guard let relation = Relation(spelling: words[1]) else { throw .invalidInfo([expected]) }
            return Alternative(name: words[0], relation: relation, version: words[2])
        default:
            throw .invalidInfo([expected])
        }
    }

    /// `>=1.0` -> `>= 1.0`: the operator and the version as two words.
    private static func spaced(_ relation: String) -> String {
        let text = relation.trimmingCharacters(in: .whitespaces)
        let operatorEnd = text.firstIndex { !"<=>".contains($0) } ?? text.endIndex
        return String(text[..<operatorEnd]) + " " + text[operatorEnd...].trimmingCharacters(in: .whitespaces)
    }

    /// `a (>= 1.0) | b` for a control file.
    var debian: String {
        alternatives.map { alternative in
            guard let relation = alternative.relation, let version = alternative.version else { return alternative.name }
            return "\(alternative.name) (\(relation.rawValue) \(version))"
        }.joined(separator: " | ")
    }

    /// The rpm name, flags and version; alternatives become a rich dependency `(a >= 1 or b)`.
    var rpm: (name: String, flags: UInt32, version: String) {
        if alternatives.count == 1, let only = alternatives.first {
            return (only.name, only.relation?.rpmFlags ?? 0, only.version ?? "")
        }
        let terms = alternatives.map { alternative in
            guard let relation = alternative.relation, let version = alternative.version else { return alternative.name }
            return "\(alternative.name) \(relation.rpmOperator) \(version)"
        }
        return ("(" + terms.joined(separator: " or ") + ")", 0, "")
    }

    var isRich: Bool { alternatives.count > 1 }
}

