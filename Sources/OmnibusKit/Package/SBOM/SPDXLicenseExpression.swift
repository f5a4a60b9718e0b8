import Foundation

/// A software's `license:` as SBOMs can state it. Definitions take any text (`Proprietary`,
/// `GPL v2`), while SPDX validators accept only identifiers of the SPDX license list, so a text
/// is an SPDX expression only when every identifier in it is one the tool knows; anything else
/// is carried as a named licence (`LicenseRef-…` in SPDX, a licence `name` in CycloneDX) and
/// never passed off as an SPDX identifier.
enum SBOMLicense: Equatable {
    /// Not stated (`Unspecified`, the project default, or empty).
    case unstated
    /// A single SPDX identifier, spelled as the list spells it.
    case identifier(String)
    /// A compound SPDX expression (`MIT OR Apache-2.0`, `GPL-2.0-or-later WITH Classpath-exception-2.0`).
    case expression(String)
    /// Text that is not an SPDX expression of known identifiers.
    case named(String)

    init(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed == "Unspecified" || trimmed == "NOASSERTION" {
            self = .unstated
        } else if let normalized = Self.normalized(trimmed) {
            self = normalized.contains(" ") ? .expression(normalized) : .identifier(normalized)
        } else {
            self = .named(trimmed)
        }
    }

    /// The expression with every identifier spelled as the list spells it, or nil when it is not
    /// a well-formed expression (operators in capitals, balanced parentheses) of known identifiers.
    private static func normalized(_ text: String) -> String? {
        var tokens: [String] = []
        var current = ""
        for character in text {
            if character == "(" || character == ")" || character == " " {
                if !current.isEmpty { tokens.append(current) }
                current = ""
                if character != " " { tokens.append(String(character)) }
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        var output: [String] = []
        var depth = 0
        var expectOperand = true
        var afterWith = false
        for token in tokens {
            switch token {
            case "(":
                guard expectOperand, !afterWith else { return nil }
                depth += 1
                output.append(token)
            case ")":
                guard !expectOperand, depth > 0 else { return nil }
                depth -= 1
                output.append(token)
            case "AND", "OR", "WITH":
                guard !expectOperand else { return nil }
                expectOperand = true
                afterWith = token == "WITH"
                output.append(token)
            default:
                guard expectOperand else { return nil }
                if afterWith {
                    guard let known = SPDXLicenseList.exception(token) else { return nil }
                    output.append(known)
                } else {
                    let base = token.hasSuffix("+") ? String(token.dropLast()) : token
                    guard let known = SPDXLicenseList.license(base) else { return nil }
                    output.append(known + (token.hasSuffix("+") ? "+" : ""))
                }
                expectOperand = false
                afterWith = false
            }
        }
        guard !expectOperand, depth == 0 else { return nil }
        return output.joined(separator: " ").replacingOccurrences(of: "( ", with: "(").replacingOccurrences(of: " )", with: ")")
    }

    /// An SPDX `LicenseRef-` identifier for a named licence: its letters and digits kept, every
    /// other character as `.`, so the same text always gives the same reference.
    static func reference(for text: String) -> String {
        "LicenseRef-" + String(text.unicodeScalars.map { scalar -> Character in
            (scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "-")) ? Character(scalar) : "."
        })
    }
}
