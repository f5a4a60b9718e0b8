import Foundation
import Testing

/// Each command offers exactly the options it uses: a build-only flag on `clean` or
/// `health-check` would be accepted and silently do nothing.
@Suite struct HelpTests {
    static let buildOnly = ["--jobs", "--source-mirror", "--offline", "--no-cache", "--verbose"]

    static func options(of command: String) throws -> Set<String> {
        let help = try OmnibusBinary.run([command, "--help"])
        #expect(help.status == 0)
        let usage = help.stdout.split(separator: "\n").first { $0.hasPrefix("USAGE:") } ?? ""
        return Set(usage.split(separator: " ").compactMap { word -> String? in
            let trimmed = word.trimmingCharacters(in: CharacterSet(charactersIn: "[]."))
            return trimmed.hasPrefix("--") ? trimmed : nil
        })
    }

    @Test func cleanTakesOnlyTheDirectories() throws {
        #expect(try Self.options(of: "clean") == ["--root", "--software-dir", "--work-dir", "--cache-dir", "--no-wait", "--all"])
    }

    @Test func healthCheckTakesNoBuildOption() throws {
        #expect(try Self.options(of: "health-check")
                == ["--root", "--software-dir", "--path", "--allow", "--work-dir", "--cache-dir", "--format"])
    }

    @Test func packageTakesOnlyTheOutputDirectory() throws {
        #expect(try Self.options(of: "package") == ["--root", "--software-dir", "--output-dir", "--no-wait"])
    }

    @Test func buildTakesEveryBuildOption() throws {
        let options = try Self.options(of: "build")
        for option in Self.buildOnly + ["--work-dir", "--cache-dir", "--output-dir"] { #expect(options.contains(option), "\(option)") }
    }
}
