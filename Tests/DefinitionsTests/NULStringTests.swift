import Definitions
import Foundation
import Testing

/// A NUL would end a command or an environment value where it stands when the step runs; it is
/// refused, with its position, when the definition is read.
@Suite struct NULStringTests {
    @Test func aNULInRunOrEnvIsALocatedError() throws {
        let scratch = try ScratchRepository()
        try scratch.write("Software/x.yml", ScratchRepository.validSoftware().replacingOccurrences(of: "build: []\n", with: """
            env: { SAFE: "yes", CUT: "a\\0b" }
            build:
              - run: "make check\\0 && rm -rf /"

            """))
        let error = try #require(scratch.softwareError())
        #expect(error.diagnostics.map(\.description) == [
            #"Software/x.yml:7:26: 'a\u{0}b' contains a NUL character (\u{0}); no definition string may, as a command or environment value would silently end at it"#,
            #"Software/x.yml:9:10: 'make check\u{0} && rm -rf /' contains a NUL character (\u{0}); no definition string may, as a command or environment value would silently end at it"#,
        ])
    }

    @Test func aRawNULByteIsALocatedSyntaxErrorThatValidateReports() throws {
        let scratch = try ScratchRepository()
        var data = Data(ScratchRepository.validSoftware().utf8)
        data.append(Data("env: { CUT: a".utf8) + Data([0]) + Data("b }\n".utf8))
        try scratch.write("Software/x.yml", data)
        let report = try scratch.validate()
        #expect(report.problems.map(\.description) == [
            #"Software/x.yml:8:14: YAML syntax error: control characters are not allowed (found '\u{0}')"#,
        ])
    }
}
