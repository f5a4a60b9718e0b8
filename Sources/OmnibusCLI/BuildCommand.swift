import ArgumentParser
import Foundation
import OmnibusKit

struct BuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Fetch, build, health-check and package a project.",
        discussion: """
            Every software is fetched (checksums verified), built from source into \
            <install_dir>/embedded in a clean, pinned environment, in parallel where the \
            dependency graph allows, and merged into the install dir layer by layer. Unchanged \
            layers are restored from the cache. Logs: <work-dir>/<project>/logs/<software>.log.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var directories: DirectoryOptions
    @OptionGroup var build: BuildOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var lock: LockOptions
    @OptionGroup var signing: SigningOptions

    @Argument(help: "The project to build.", completion: .custom(NameCompletion.projects))
    var project: String

    func run() async throws {
        let workspace = try global.workspace()
        let settings = try workspace.commandSettings(BuildSettings.Flags(directories: directories, build: build, output: output, lock: lock, signing: signing))
        let interactive = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["CI"] == nil
        let terminal = interactive ? TerminalReporter() : nil
        let reporter: BuildReporter = terminal ?? PlainReporter()
        let run = ProjectRun(workspace: workspace, settings: settings, reporter: reporter) { outcome in
            if case .built = outcome { terminal?.finish() }
            OutcomeRenderer.render(outcome)
        }
        let project = self.project
        defer { terminal?.finish() }
        try await RunInTask.run { () async throws(RunError) in try await run.build(project) }
    }
}
