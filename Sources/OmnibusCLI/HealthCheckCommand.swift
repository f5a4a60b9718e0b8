import ArgumentParser
import Foundation
import Linkage
import OmnibusKit

struct HealthCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health-check",
        abstract: "Prove that nothing in an install dir links outside it (reads ELF files, never runs them).",
        discussion: """
            With a project, checks its built install dir with the project's allow-list and \
            exemptions, naming the software that installed each failing file. With --path, \
            checks any directory as if it were an install dir. Exit 1 if any file fails.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var global: GlobalOptions
    @OptionGroup var settings: BuildSettings

    @Argument(help: "The project whose install dir to check.")
    var project: String?

    @Option(help: ArgumentHelp("Check this directory instead of a project's install dir.", valueName: "dir"))
    var path: String?

    @Option(name: .customLong("allow"), help: ArgumentHelp("With --path: another library name or pattern allowed outside (repeatable).", valueName: "pattern"))
    var allow: [String] = []

    @Option(help: "text or json.")
    var format: Format = .text

    func validate() throws {
        if (project == nil) == (path == nil) { throw ValidationError("give a project or --path DIR (one of them)") }
        if project != nil && !allow.isEmpty { throw ValidationError("--allow goes with --path; a project lists its allow-list in health_check.allow") }
    }

    func run() throws {
        let report: HealthReport
        do {
            if let path {
                report = try HealthChecker().check(installDir: path, policy: HealthCheckPolicy(additionalAllowed: allow))
            } else {
                let workspace = try global.workspace()
                let project = try workspace.loadProject(self.project!)
                let options = settings.options(for: workspace)
                report = try ProjectHealthCheck.check(project: project,
                                                      owners: ProjectHealthCheck.owners(workDir: options.workDir, project: project.name))
            }
        } catch let error as HealthCheckError {
            throw CommandFailure(.badInput, error.description)
        }
        print(format == .json ? report.json() : report.render(), terminator: "")
        if !report.passed { throw CommandFailure(.failure, "") }
    }
}
