import Foundation

/// One relation from a project (`runtime_dependencies`, `conflicts`, `replaces`, `provides`),
/// parsed once and rendered per format. Accepted spellings, alternatives separated by `|`:
/// `name`, `name (>= 1.0)` (Debian style), `name >= 1.0` (rpm style). Operators: `<<`, `<=`, `=`,
/// `>=`, `>>`, and `<`, `>` meaning strictly less / greater (rendered `<<` / `>>` for dpkg, which
/// reads a bare `<` as `<=`).
package struct PackageDependency: Sendable, Equatable {
    package enum Relation: String, Sendable, CaseIterable {
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
    }

    package struct Alternative: Sendable, Equatable {
        package var name: String
        package var relation: Relation?
        package var version: String?
    }

    /// Why a relation cannot be read; the text says what was expected.
    package struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        package let description: String
    }

    /// One or more alternatives (`a | b`): any of them satisfies the relation.
    package var alternatives: [Alternative]

    /// Parses one list item; the error text says what was expected.
    package init(parsing text: String) throws(Invalid) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw Invalid(description: "empty dependency") }
        guard !trimmed.contains(","), !trimmed.contains(where: \.isNewline) else {
            throw Invalid(description: "dependency '\(text)' contains a comma or a newline: write one dependency per list item")
        }
        alternatives = try trimmed.split(separator: "|").map { part throws(Invalid) in
            try Self.alternative(String(part), whole: text)
        }
    }

    private static func alternative(_ text: String, whole: String) throws(Invalid) -> Alternative {
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
            guard let relation = Relation(spelling: words[1]) else { throw Invalid(description: expected) }
            return Alternative(name: words[0], relation: relation, version: words[2])
        default:
            throw Invalid(description: expected)
        }
    }

    /// `>=1.0` -> `>= 1.0`: the operator and the version as two words.
    private static func spaced(_ relation: String) -> String {
        let text = relation.trimmingCharacters(in: .whitespaces)
        let operatorEnd = text.firstIndex { !"<=>".contains($0) } ?? text.endIndex
        return String(text[..<operatorEnd]) + " " + text[operatorEnd...].trimmingCharacters(in: .whitespaces)
    }
}
