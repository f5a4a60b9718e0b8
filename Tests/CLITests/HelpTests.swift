import Foundation
import Testing

/// Each command offers exactly the options it uses: a build-only flag on `clean` or
/// `health-check` would be accepted and silently do nothing.
@Suite struct HelpTests {
    static let buildOnly = ["--jobs", "--source-mirror", "--offline", "--no-cache", "--verbose", "--download-timeout",
                            "--download-min-rate"]

    /// The long options listed under OPTIONS (the USAGE line is cut short to `[<options>]` once
    /// a command has many), without `--help` and `--version`, which every command has.
    static func options(of command: String) async throws -> Set<String> {
        let help = try await OmnibusBinary.run([command, "--help"])
        #expect(help.status == 0)
        let section = help.stdout.components(separatedBy: "\nOPTIONS:\n").dropFirst().first ?? ""
        return Set(section.split(separator: "\n").flatMap { line -> [String] in
            let entry = line.drop { $0 == " " }
            guard entry.hasPrefix("-") else { return [] }  // a description's continuation
            // The option's own words end where the description begins, after a run of spaces.
            let names = entry.components(separatedBy: "  ").first ?? ""
            return names.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init).filter { $0.hasPrefix("--") }
        }).subtracting(["--help", "--version"])
    }

    @Test func cleanTakesOnlyTheDirectories() async throws {
        await #expect(try Self.options(of: "clean") == ["--root", "--software-dir", "--work-dir", "--cache-dir", "--no-wait", "--output-dir",
                                                  "--all", "--packages"])
    }

    @Test func healthCheckTakesNoBuildOption() async throws {
        await #expect(try Self.options(of: "health-check")
                == ["--root", "--software-dir", "--path", "--allow", "--work-dir", "--cache-dir", "--format", "--color", "--quiet"])
    }

    /// The directories too: the work dir's layer records order the payload, the cache keeps it.
    @Test func packageTakesTheDirectoriesOutputAndSigningOptions() async throws {
        await #expect(try Self.options(of: "package") == ["--root", "--software-dir", "--work-dir", "--cache-dir", "--output-dir", "--no-wait",
                                                    "--signing-key", "--no-sign", "--color", "--quiet"])
    }

    @Test func buildTakesEveryBuildOption() async throws {
        let options = try await Self.options(of: "build")
        for option in Self.buildOnly + ["--work-dir", "--cache-dir", "--output-dir", "--signing-key", "--no-sign", "--report", "--color", "--quiet"] {
            #expect(options.contains(option), "\(option)")
        }
    }

    /// Only the commands that render a run's progress take the display options.
    @Test func displayOptionsOnlyWhereARunIsShown() async throws {
        for command in ["clean", "validate", "list", "graph", "publish", "mirror"] {
            let options = try await Self.options(of: command)
            #expect(!options.contains("--color") && !options.contains("--quiet"), "\(command): \(options)")
        }
    }
}
