import ArgumentParser
import OmnibusKit
import Foundation

/// The root command. `main` maps every outcome to a documented exit status.
package struct OmnibusCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "omnibus",
        abstract: "Build reproducible native packages from pinned sources, the Omnibus way.",
        discussion: """
            Exit status: 0 success; 1 a build, health check or packaging step failed; \
            2 bad input (invalid definitions, unknown names) or usage.
            """,
        // The same first line as `omnibus version`, so scripts can read either.
        version: "omnibus \(OmnibusVersion.current)",
        subcommands: [BuildCommand.self, NewCommand.self, CleanCommand.self, ListCommand.self, ValidateCommand.self, GraphCommand.self,
                      HealthCheckCommand.self, MatrixCommand.self, MirrorCommand.self, PackageCommand.self, PublishCommand.self, CacheCommand.self,
                      VersionCommand.self, ManualCommand.self])

    package init() {}

    /// Parses and runs, printing errors to stderr; returns the process exit status.
    package static func run(arguments: [String]) async -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return ExitStatus.success.rawValue
        } catch let failure as CommandFailure {
            if !failure.message.isEmpty { printError(failure.message) }
            return failure.status.rawValue
        } catch let error as any BadInputError {
            printError(error.description)
            return ExitStatus.badInput.rawValue
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                return ExitStatus.success.rawValue
            }
            printError(fullMessage(for: error))
            return ExitStatus.badInput.rawValue
        }
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
    }
}
