import Definitions
import Foundation
import Testing
import TestSupport

/// Alias bombs and oversized documents end in one located problem, quickly and in little memory,
/// instead of exhausting either. The numbers are those of `DefinitionLimits` and
/// docs/definitions.md, written out so a change to them shows here.
@Suite(.ownThread, .timeLimit(.minutes(2))) struct AliasLimitTests {
    let scratch: ScratchRepository

    init() throws {
        scratch = try ScratchRepository()
    }

    /// "Billion laughs": each level lists the previous one `width` times, so `levels` levels
    /// expand to width^levels scalars from a few hundred bytes. The first level is on line 4.
    static func laughs(levels: Int, width: Int = 9, asKey: Bool = false) -> String {
        var lines = ["name: x", "default_version: \"1\"", "license: MIT",
                     "l0: &l0 [" + Array(repeating: "\"lol\"", count: width).joined(separator: ",") + "]"]
        for level in 1..<levels {
            lines.append("l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: width).joined(separator: ",") + "]")
        }
        lines.append(asKey ? "? *l\(levels - 1)\n: used as a key" : "bomb: *l\(levels - 1)")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The single problem of `Software/x.yml`, and how long loading it took.
    func onlyProblem() throws -> (String, Duration) {
        let clock = ContinuousClock()
        let start = clock.now
        let error = try #require(scratch.softwareError(), "the file must not load")
        let elapsed = clock.now - start
        #expect(error.diagnostics.count == 1, "\(error)")
        return (try #require(error.diagnostics.first).description, elapsed)
    }

    @Test func billionLaughsStopsAtTheAliasThatCrossesTheLimit() throws {
        try scratch.write("Software/x.yml", Self.laughs(levels: 9))
        let (problem, elapsed) = try onlyProblem()
        // l1 to l4 expand 9 + 90 + 819 + 7380 aliases; the first *l4 of l5 (line 9) adds 7381.
        #expect(problem.hasPrefix("Software/x.yml:9:10: too many alias expansions: expanding '*l4' here takes the document past 10000"),
                "\(problem)")
        #expect(elapsed < .seconds(5))
    }

    @Test func billionLaughsAsAMappingKeyIsRefusedBeforeYamsHashesTheKey() throws {
        // Yams hashes every mapping key to find duplicates: this key alone is 387 million
        // scalars to hash, which took minutes before anything was converted.
        try scratch.write("Software/x.yml", Self.laughs(levels: 9, asKey: true))
        let (problem, elapsed) = try onlyProblem()
        #expect(problem.hasPrefix("Software/x.yml:9:10: too many alias expansions"), "\(problem)")
        #expect(elapsed < .seconds(5))
    }

    @Test func aFewAliasesOfALargeValueHitTheValueLimit() throws {
        let large = "[" + Array(repeating: "v", count: 100_000).joined(separator: ",") + "]"
        try scratch.write("Software/x.yml", "name: x\nbig: &big \(large)\ncopies: [" + Array(repeating: "*big", count: 11).joined(separator: ", ") + "]\n")
        let (problem, elapsed) = try onlyProblem()
        // 100,007 values are written; each copy adds 100,001, and the ninth passes 1,000,000.
        #expect(problem == "Software/x.yml:3:58: expanding '*big' here makes the document hold more than 1000000 values, the most a definition may hold")
        #expect(elapsed < .seconds(10))
    }

    @Test func aliasesCannotNestPastTheDepthLimit() throws {
        // Each anchor nests 400 lists around the previous one: written nesting stays far below
        // libyaml's own limit, but the third anchor would be 1,200 levels deep once expanded.
        var lines = ["name: x"]
        for level in 0..<3 {
            let inner = level == 0 ? "x" : "*d\(level - 1)"
            lines.append("d\(level): &d\(level) " + String(repeating: "[", count: 400) + inner + String(repeating: "]", count: 400))
        }
        try scratch.write("Software/x.yml", lines.joined(separator: "\n") + "\n")
        let (problem, _) = try onlyProblem()
        #expect(problem == "Software/x.yml:4:409: expanding '*d1' here nests values more than 1000 levels deep, the most a definition may nest")
    }

    @Test func aDocumentWithoutAliasesIsHeldToTheValueLimitToo() throws {
        try scratch.write("Software/x.yml", "name: x\nmany: [" + String(repeating: "v,", count: 1_000_000) + "v]\n")
        let (problem, _) = try onlyProblem()
        // Five values come before the list's items; item 999,996 is value 1,000,001.
        #expect(problem == "Software/x.yml:2:1999998: the document holds more than 1000000 values, the most a definition may hold")
    }

    @Test func ordinaryAliasesStillWorkAndStarsElsewhereAreUntouched() throws {
        // A `*name` in quotes, a block scalar or a comment is text, not an alias, and must reach
        // the definition exactly as written even though the file also has real aliases.
        try scratch.write("Software/x.yml", """
            name: x
            default_version: "1"
            license: MIT
            env: &shared { CFLAGS: "-O2 *keep", LDFLAGS: '*also' }
            versions:
              "1":
                source: { url: "https://example.com/x-1.tar.gz", sha256: \(String(repeating: "a", count: 64)) }
                env: *shared   # *comment
                build:
                  - run: |-
                      ls *glob_a *glob_b
            build: []

            """)
        let software = try scratch.loadSoftware()
        #expect(software.env.map { "\($0.name)=\($0.value)" } == ["CFLAGS=-O2 *keep", "LDFLAGS=*also"])
        let version = try #require(software.versions["1"])
        #expect(version.env.map { "\($0.name)=\($0.value)" } == ["CFLAGS=-O2 *keep", "LDFLAGS=*also"])
        #expect(version.build?.map(\.value.summary) == ["run: ls *glob_a *glob_b"])
    }

    @Test func aFileHoldingEveryCandidateMarkerIsRefusedRatherThanMisread() throws {
        let scalars = (0xE000...0xF8FF).compactMap(Unicode.Scalar.init) + (0x4E00...0x9FFF).compactMap(Unicode.Scalar.init)
        var comment = String.UnicodeScalarView()
        comment.append(contentsOf: scalars)
        try scratch.write("Software/x.yml", "# \(String(comment))\nname: x\na: &a [v]\nb: *a\n")
        let (problem, _) = try onlyProblem()
        #expect(problem.hasPrefix("Software/x.yml:1:1: the file uses too many distinct characters for its aliases to be checked safely"))
    }

    @Test func aFileLargerThanFourMebibytesIsRefusedUnread() throws {
        let limit = 4 * 1024 * 1024
        let body = ScratchRepository.validSoftware() + "# "
        let padded = body + String(repeating: "x", count: limit - body.utf8.count) + "\n"
        try scratch.write("Software/x.yml", padded)
        let (problem, _) = try onlyProblem()
        #expect(problem == "Software/x.yml:1:1: the file is larger than 4 MiB (4194304 bytes), the most a definition file may be")
        // One byte less is read and loads.
        try scratch.write("Software/x.yml", String(padded.dropLast(2)) + "\n")
        #expect(scratch.softwareError() == nil)
    }
}
