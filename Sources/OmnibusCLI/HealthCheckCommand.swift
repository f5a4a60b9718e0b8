import ArgumentParser
import Foundation
import OmnibusKit

struct HealthCheckCommand: AsyncParsableCommand {
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

    @Argument(help: "The project whose install dir to check.", completion: .custom(NameCompletion.projects))
    var project: String?

    @Option(help: ArgumentHelp("Check this directory instead of a project's install dir.", valueName: "dir"))
    var path: String?

    @Option(name: .customLong("allow"), help: ArgumentHelp("With --path: another library name or pattern allowed outside (repeatable).", valueName: "pattern"))
    var allow: [String] = []

    /// The last build's work dir records which software installed each file.
    @OptionGroup var directories: DirectoryOptions

    @Option(help: "text or json.")
    var format: Format = .text

    @OptionGroup var display: DisplayOptions

    func validate() throws {
        if (project == nil) == (path == nil) { throw ValidationError("give a project or --path DIR (one of them)") }
        if project != nil && !allow.isEmpty { throw ValidationError("--allow goes with --path; a project lists its allow-list in health_check.allow") }
    }

    func run() async throws {
        let report: HealthReportText
        let display = RunDisplay(self.display.mode())
        if let path {
            let allow = self.allow
            report = try await display.run { () async throws(RunError) in
                HealthReportText(try await ProjectRun.check(path, allowing: allow))
            }
        } else {
            let workspace = try global.workspace()
            let settings = try workspace.commandSettings(BuildSettings.Flags(directories: directories))
            let run = ProjectRun(workspace: workspace, settings: settings, reporter: display.reporter, outcomes: display.render)
            let project = self.project!
            report = try await display.run { () async throws(RunError) in HealthReportText(try await run.healthCheck(project)) }
        }
        // The report is the result: printed whole even with --quiet, which drops only progress.
        Console.shared.text(format == .json ? report.json : report.text, to: .results)
        if !report.passed { throw CommandFailure(.failure, "") }
    }
}
