import Definitions
import Foundation
import Testing

/// Text from a definition quoted in a message cannot forge lines, drive the terminal or read
/// backwards: control characters and bidi overrides are shown escaped.
@Suite struct DiagnosticTextTests {
    @Test func controlAndBidiCharactersInAQuotedValueAreEscaped() throws {
        let scratch = try ScratchRepository()
        // A double-quoted YAML string can hold any character through its escapes.
        try scratch.write("Projects/app.yml", """
            name: app
            maintainer: "ops\\u202Etxt.exe\\e[31m\\nSoftware/zlib.yml:1:1: all good\\t"
            homepage: https://example.com
            version: "1.0"
            dependencies: []

            """)
        let report = try scratch.validate()
        let line = try #require(report.problems.first).description
        #expect(line == #"Projects/app.yml:2:14: 'maintainer' must look like 'Name <email@example.com>', found 'ops\u{202E}txt.exe\u{1B}[31m\nSoftware/zlib.yml:1:1: all good\t'"#)
        #expect(!line.unicodeScalars.contains { $0.value < 0x20 || (0x202A...0x202E).contains($0.value) })
    }

    @Test func eachKindOfCharacterIsEscapedAndOrdinaryTextIsNot() {
        let cases: [(String, String)] = [
            ("plain text, ünïcödé, 日本", "plain text, ünïcödé, 日本"),
            ("a\nb\rc\td", #"a\nb\rc\td"#),
            ("nul\u{0}bell\u{7}esc\u{1B}del\u{7F}c1\u{85}", #"nul\u{0}bell\u{7}esc\u{1B}del\u{7F}c1\u{85}"#),
            ("\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}", #"\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}"#),
            ("\u{2066}\u{2067}\u{2068}\u{2069}\u{200E}\u{200F}\u{61C}", #"\u{2066}\u{2067}\u{2068}\u{2069}\u{200E}\u{200F}\u{61C}"#),
            ("line\u{2028}para\u{2029}", #"line\u{2028}para\u{2029}"#),
        ]
        for (raw, shown) in cases {
            #expect(DisplayText.escaped(raw) == shown)
        }
    }

    @Test func aFileNameIsEscapedInTheLocation() {
        let diagnostic = Diagnostic("bad", at: SourceLocation(file: "Software/evil\n.yml", line: 1, column: 2))
        #expect(diagnostic.description == #"Software/evil\n.yml:1:2: bad"#)
    }
}
