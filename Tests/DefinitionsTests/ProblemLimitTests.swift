import Definitions
import Foundation
import Testing

/// A file with thousands of mistakes keeps the first thousand problems, counts the rest, and
/// prints a hundred and a count (`DefinitionLimits.problemsKept`, `problemsShown`).
@Suite struct ProblemLimitTests {
    let scratch: ScratchRepository

    init() throws {
        scratch = try ScratchRepository()
    }

    /// A valid software definition plus `count` unknown keys, each one problem.
    func writeSoftware(unknownKeys count: Int, name: String = "x") throws {
        let keys = (0..<count).map { String(format: "unknown%05d: 1", $0) }.joined(separator: "\n")
        try scratch.write("Software/\(name).yml", ScratchRepository.validSoftware(name) + keys + "\n")
    }

    @Test func aFileWithThousandsOfProblemsKeepsTheFirstThousandAndCountsTheRest() throws {
        try writeSoftware(unknownKeys: 5_000)
        let error = try #require(scratch.softwareError())
        #expect(error.diagnostics.count == 1_000)
        #expect(error.diagnostics.first?.description == "Software/x.yml:8:1: unknown key 'unknown00000' (expected one of: name, default_version, license, license_files, dependencies, versions, relative_path, env, build, live_install, tools, build_dependencies, network, pass_env)")
        let lines = error.description.split(separator: "\n")
        #expect(lines.count == 101)
        #expect(lines.dropLast().last == "Software/x.yml:107:1: unknown key 'unknown00099' (expected one of: name, default_version, license, license_files, dependencies, versions, relative_path, env, build, live_install, tools, build_dependencies, network, pass_env)")
        #expect(lines.last == "and 4900 more problems")
    }

    @Test func validateCountsEachUnkeptProblemOnceWhateverReachesIt() throws {
        // Both software definitions are checked on their own and again through the project, so
        // each error is merged more than once; its uncounted problems must not be.
        try writeSoftware(unknownKeys: 1_500, name: "x")
        try writeSoftware(unknownKeys: 1_200, name: "y")
        try scratch.write("Projects/app.yml", """
            name: app
            maintainer: A <a@example.com>
            homepage: https://example.com
            version: "1.0"
            dependencies: [x, y]

            """)
        let report = try scratch.validate()
        #expect(report.problems.count == 2_000)
        #expect(report.problemCount == 2_700)
        #expect(report.problemLines.count == 101)
        #expect(report.problemLines.last == "and 2600 more problems")
    }

    @Test func fewProblemsAreAllListedWithoutASummary() {
        let problems = (1...3).map { Diagnostic("problem \($0)", at: SourceLocation(file: "a.yml", line: $0, column: 1)) }
        #expect(ProblemList.lines(problems, total: 3) == ["a.yml:1:1: problem 1", "a.yml:2:1: problem 2", "a.yml:3:1: problem 3"])
        #expect(ProblemList.lines(problems, total: 4).last == "and 1 more problem")
    }
}
