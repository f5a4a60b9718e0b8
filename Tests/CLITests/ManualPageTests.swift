import Foundation
import Testing

/// The man page generated from the commands: roff that groff reads without a warning, naming
/// every command `--help` lists, and the same bytes every time (it is shipped in a package).
@Suite struct ManualPageTests {
    static func page() async throws -> String {
        let manual = try await OmnibusBinary.run(["manual"])
        #expect(manual.status == 0, "\(manual.stderr)")
        return manual.stdout
    }

    /// Runs a tool on the page; nil when the tool is not installed.
    static func judge(_ tool: String, _ arguments: [String], page: String) async throws -> OmnibusBinary.Result? {
        guard FileManager.default.isExecutableFile(atPath: tool) else { return nil }
        let scratch = try ScratchDirectory("man")
        try scratch.write("omnibus.1", page)
        return try await OmnibusBinary.runProgram(tool, arguments + [scratch.path + "/omnibus.1"],
                                            environment: ["PATH": "/usr/bin:/bin", "MANWIDTH": "80", "LANG": "C.UTF-8"])
    }

    /// The SUBCOMMANDS `--help` lists, with their own subcommands (`cache list`...): a name
    /// starts a line after two spaces; wrapped descriptions are indented further.
    static func helpCommands(_ path: [String] = []) async throws -> [String] {
        let help = try await OmnibusBinary.run(path + ["--help"])
        #expect(help.status == 0, "\(path)")
        guard help.status == 0, path.count < 2 else { return [] }
        let section = help.stdout.components(separatedBy: "\nSUBCOMMANDS:\n").dropFirst().first ?? ""
        let names = section.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("  "), line.dropFirst(2).first?.isLetter == true,
                  let name = line.dropFirst(2).split(separator: " ").first else { return nil }
            // A name is followed by a column gap; the closing "See 'omnibus help ...'" is prose.
            let rest = line.dropFirst(2 + name.count)
            return rest.isEmpty || rest.hasPrefix("  ") ? String(name) : nil
        }
        var commands: [String] = []
        for name in names {
            commands += [(["omnibus"] + path + [name]).joined(separator: " ")] + (try await helpCommands(path + [name]))
        }
        return commands
    }

    @Test func groffReadsItWithoutWarnings() async throws {
        guard let groff = try await Self.judge("/usr/bin/groff", ["-ww", "-z", "-man"], page: try Self.page()) else {
            print("skipped: groff is not installed; apt-get install groff-base")
            return
        }
        #expect(groff.status == 0)
        #expect(groff.stderr.isEmpty, "\(groff.stderr)")
    }

    @Test func manRendersEveryCommand() async throws {
        guard let man = try await Self.judge("/usr/bin/man", ["-l"], page: try Self.page()) else {
            print("skipped: man is not installed; apt-get install man-db")
            return
        }
        #expect(man.status == 0, "\(man.stderr)")
        let commands = try await Self.helpCommands()
        #expect(commands.contains("omnibus build") && commands.contains("omnibus cache prune"))
        for command in commands {
            #expect(man.stdout.contains("\n   \(command)"), "\(command) has no section")
        }
        #expect(man.stdout.contains("--version"))
        #expect(man.stdout.contains("--source-mirror dir|url"))
        #expect(!man.stdout.contains("manual"), "the generator itself is hidden")
    }

    @Test func sameBytesEveryTime() async throws {
        await #expect(try Self.page() == (try await Self.page()))
    }
}
