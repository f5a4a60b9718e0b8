import Foundation
import Testing

/// Every command line the README and docs quote names subcommands and options the built binary
/// has (scripts/check-doc-commands asks `omnibus help`), or sits in a block marked illustrative.
@Suite struct DocCommandTests {
    static let script = OmnibusBinary.repositoryRoot + "/scripts/check-doc-commands"

    private static func check(_ files: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--omnibus", OmnibusBinary.path, "--root", OmnibusBinary.repositoryRoot] + files
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private static func document(_ text: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("doc-commands-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("README.md").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func readmeAndDocsQuoteOnlyCommandsThatRun() throws {
        let result = try Self.check([])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("every command in"), "\(result.output)")
    }

    /// The README `omnibus new` writes is a newcomer's first documentation.
    @Test func theSkeletonsReadmeQuotesOnlyCommandsThatRun() throws {
        let result = try Self.check([OmnibusBinary.repositoryRoot + "/Tests/SkeletonTests/Snapshots/demo/README.md"])
        #expect(result.status == 0, "\(result.output)")
    }

    @Test func aMisspelledOptionOrSubcommandFails() throws {
        let path = try Self.document("""
            ```sh
            omnibus build demo --offilne
            omnibus biuld demo
            SOURCE_DATE_EPOCH=1 omnibus package demo --output-dir=out -j 2
            omnibus cache keygen key.pem --root .
            ```
            """)
        let result = try Self.check([path])
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("README.md:2: `omnibus build` has no option --offilne (did you mean --offline?)"), "\(result.output)")
        #expect(result.output.contains("README.md:3: `omnibus` has no subcommand 'biuld' (did you mean build?)"), "\(result.output)")
        // package has --output-dir but not -j; keygen has no --root.
        #expect(result.output.contains("README.md:4: `omnibus package` has no option -j"), "\(result.output)")
        #expect(!result.output.contains("no option --output-dir"), "\(result.output)")
        #expect(result.output.contains("README.md:5: `omnibus cache keygen` has no option --root"), "\(result.output)")
    }

    @Test func otherCommandsNeedTheIllustrativeMarker() throws {
        let unmarked = try Self.check([try Self.document("```sh\nomnibus build demo && sudo dpkg -i pkg/demo_1.0-1_amd64.deb\n```\n")])
        #expect(unmarked.status == 1, "\(unmarked.output)")
        #expect(unmarked.output.contains("`dpkg` cannot be checked here: mark the block illustrative"), "\(unmarked.output)")

        let marked = try Self.check([try Self.document("<!-- illustrative -->\n```sh\nomnibus build demo && sudo dpkg -i pkg/demo_1.0-1_amd64.deb\n```\n")])
        #expect(marked.status == 0, "\(marked.output)")

        // Marked or not, the omnibus part is still checked.
        let wrong = try Self.check([try Self.document("<!-- illustrative -->\n```sh\naws s3 ls && omnibus publish demo --apt-rep x\n```\n")])
        #expect(wrong.status == 1)
        #expect(wrong.output.contains("has no option --apt-rep (did you mean --apt-repo?)"), "\(wrong.output)")
    }

    /// Prose quotes commands inline too, in usage notation.
    @Test func inlineCommandsAreCheckedToo() throws {
        let result = try Self.check([try Self.document(
            "Use `omnibus clean PROJECT [--al]`, `omnibus cache list\\|verfy`, `omnibus graph X [--format text\\|dot]` or `omnibus help COMMAND`.\n")])
        #expect(result.status == 1)
        #expect(result.output.contains("README.md:1: `omnibus clean` has no option --al (did you mean --all?)"), "\(result.output)")
        #expect(result.output.contains("README.md:1: `omnibus cache` has no subcommand 'verfy' (did you mean verify?)"), "\(result.output)")
        #expect(!result.output.contains("graph") && !result.output.contains("help"), "\(result.output)")
    }

    @Test func repositoryScriptsMustExist() throws {
        let result = try Self.check([try Self.document("```sh\nscripts/check-module-deps\nscripts/no-such-script\n```\n")])
        #expect(result.status == 1)
        #expect(result.output.contains("scripts/no-such-script is not an executable script of the repository"), "\(result.output)")
        #expect(!result.output.contains("check-module-deps is not"), "\(result.output)")
    }
}
