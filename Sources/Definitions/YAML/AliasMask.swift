/// A copy of YAML text in which no alias can exist: every `*` that could start one is replaced
/// by a marker character that appears nowhere in the text.
///
/// libyaml reads `*` at the start of a token as an alias and nothing else, and an alias name is
/// one or more of `[0-9A-Za-z_-]`; so each alias of the original becomes, in the copy, a plain
/// scalar that starts with the marker, at the alias's own line and column (libyaml counts columns
/// in characters, and one character replaces one). A `*` inside a quoted or block scalar, a plain
/// scalar or a comment changes only text that is never used: the copy serves to measure the
/// document (`ExpansionBudget`), never as its content.
struct AliasMask {
    let text: String
    let marker: Unicode.Scalar

    /// Characters tried as the marker, in order: private-use first, then CJK ideographs. Any
    /// printable character that is not a YAML indicator would do, as long as the text lacks it.
    private static let markerCandidates: [ClosedRange<UInt32>] = [0xE000...0xF8FF, 0x4E00...0x9FFF]

    /// nil when the text has no `*` that could start an alias.
    init?(_ original: String, file: String) throws(DefinitionError) {
        // Most files have no alias; UTF-8 never hides an ASCII byte inside a longer character, so
        // the bytes answer that without decoding.
        var text = original
        let mayHaveAlias = text.withUTF8 { bytes in
            bytes.indices.dropLast().contains { bytes[$0] == UInt8(ascii: "*") && Self.isAnchorByte(bytes[$0 + 1]) }
        }
        guard mayHaveAlias else { return nil }
        let scalars = Array(original.unicodeScalars)
        let starts = scalars.indices.filter { scalars[$0] == "*" && $0 + 1 < scalars.count && Self.isAnchorCharacter(scalars[$0 + 1]) }
        let present = Set(scalars.lazy.map(\.value).filter { value in Self.markerCandidates.contains { $0.contains(value) } })
        guard let value = Self.markerCandidates.lazy.flatMap({ $0 }).first(where: { !present.contains($0) }),
              let marker = Unicode.Scalar(value) else {
            // Only a file built to defeat this check holds every candidate (some 27,000 characters).
            throw DefinitionError([Diagnostic(
                "the file uses too many distinct characters for its aliases to be checked safely; remove its aliases ('*name')",
                at: SourceLocation(file: file, line: 1, column: 1))])
        }
        var masked = scalars
        for index in starts { masked[index] = marker }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: masked)
        self.text = String(view)
        self.marker = marker
    }

    /// libyaml's anchor and alias name characters.
    static func isAnchorCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && isAnchorByte(UInt8(scalar.value))
    }

    private static func isAnchorByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "_"), UInt8(ascii: "-"): true
        default: false
        }
    }
}
