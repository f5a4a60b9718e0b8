/// Text from a definition, made safe to show inside a one-line message.
///
/// A message quotes what the user wrote, and what they wrote can hold a NUL, a newline that
/// forges a second message line, an escape sequence the terminal obeys, or a bidi override
/// (U+202E) that makes the quoted text read differently from what it is. Each such character is
/// shown as a Swift-style escape (`\n`, `\u{0}`, `\u{202E}`), so the message says what is there.
package enum DisplayText {
    package static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where needsEscape(scalar): result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// C0 and C1 controls and DEL; the bidi embeddings, overrides, isolates and marks; and the
    /// line and paragraph separators, which some terminals and editors break lines at.
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        case 0x2028, 0x2029: true
        default: false
        }
    }
}
