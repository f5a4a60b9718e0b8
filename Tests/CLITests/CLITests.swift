import Foundation
import Testing

/// The commands of the foundation issue, run through the real binary.
@Suite struct CLITests {
    static let fixtures = OmnibusBinary.repositoryRoot + "/Tests/DefinitionsTests/Fixtures"

    @Test func validatePassesOnEverythingShipped() async throws {
        let result = try await OmnibusBinary.run(["validate"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("ok: "))
    }

    @Test func validateReportsAllProblemsWithExitTwo() async throws {
        let result = try await OmnibusBinary.run(["validate", "--root", Self.fixtures + "/many-problems"],
                                           environment: ["OMNIBUS_LIBRARY": "/nonexistent"])
        #expect(result.status == 2)
        #expect(result.stderr == """
            Projects/app.yml:5:12: 'iteration' must be 1 or more, found 0
            Projects/app.yml:6:22: dependency 'zlib' is listed twice (first at 6:16)
            Projects/app.yml:7:1: unknown key 'licence' (did you mean 'license'?)
            Software/zlib.yml:10:5: unknown key 'relative_pth' (did you mean 'relative_path'?)
            4 problems found

            """)
    }

    @Test func validateOneProject() async throws {
        let result = try await OmnibusBinary.run(["validate", "demo"])
        #expect(result.status == 0)
        #expect(result.stdout == "ok: 1 project, 2 software definitions valid\n")
    }

    @Test func listShowsProjectsAndSoftwareVersions() async throws {
        let result = try await OmnibusBinary.run(["list"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("  demo           1.0.0  /opt/demo\n"))
        #expect(result.stdout.contains("zlib        1.3.1 (also 1.2.13.dfsg)  Software/zlib.yml"))
    }

    @Test func graphFormats() async throws {
        let text = try await OmnibusBinary.run(["graph", "demo"])
        #expect(text.status == 0)
        #expect(text.stdout == """
            demo (Projects/demo.yml)
            └── greet 1.0.0
                └── libgreet 1.0.0

            build order: libgreet, greet

            """)
        let json = try await OmnibusBinary.run(["graph", "archive-tools", "--format", "json"])
        let decoded = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(decoded?["order"] as? [String] == ["zlib", "bzip2", "xz", "zstd", "openssl", "libarchive"])
        let dot = try await OmnibusBinary.run(["graph", "archive-tools", "--format", "dot"])
        #expect(dot.stdout.hasPrefix("digraph \"archive-tools\" {"))
        #expect(dot.stdout.contains("\"openssl\" -> \"zlib\";"))
    }

    @Test func graphRendersWithGraphvizWhenInstalled() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/dot") else {
            print("skipped: graphviz (dot) is not installed; apt-get install graphviz")
            return
        }
        let dot = try await OmnibusBinary.run(["graph", "archive-tools", "--format", "dot"])
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("g-\(UUID().uuidString).dot").path
        try dot.stdout.write(toFile: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/dot")
        process.arguments = ["-Tsvg", file, "-o", file + ".svg"]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let svg = try String(contentsOfFile: file + ".svg", encoding: .utf8)
        #expect(svg.contains("<svg") && svg.contains("libarchive"))
    }

    @Test func unknownProjectAndUsageErrorsExitTwo() async throws {
        let unknown = try await OmnibusBinary.run(["graph", "dmeo"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr == "unknown project 'dmeo' (did you mean 'demo'?); projects: archive-tools, demo, greeter, library, omnibus, python-sample\n")
        let usage = try await OmnibusBinary.run(["graph", "demo", "--format", "svg"])
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("--format"))
        #expect(try await OmnibusBinary.run(["frobnicate"]).status == 2)
    }

    @Test func versionNamesTheLinkedLibraries() async throws {
        let result = try await OmnibusBinary.run(["version"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("omnibus ") == true)
        #expect(lines.contains { $0.hasPrefix("libarchive 3.") })
        #expect(lines.contains { $0.hasPrefix("OpenSSL 3.") })
    }

    @Test func rootOptionSelectsAnotherRepository() async throws {
        let result = try await OmnibusBinary.run(["validate", "--root", Self.fixtures + "/cycle"], in: "/tmp",
                                           environment: ["OMNIBUS_LIBRARY": "/nonexistent"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("Software/c.yml:4:16: dependency cycle: a -> b -> c -> a\n"))
    }

    @Test func helpExitsZero() async throws {
        let result = try await OmnibusBinary.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Exit status: 0 success"))
    }
}
