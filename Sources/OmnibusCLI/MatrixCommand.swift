import ArgumentParser
import Foundation
import OmnibusKit

struct MatrixCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matrix",
        abstract: "Show on which platforms each platform's package installs and runs.",
        discussion: """
            For every platform the project builds for (platforms:, or --platform), takes the \
            deb that 'omnibus build --platform' wrote to <output-dir>/<platform>/, installs it \
            with dpkg -i into a fresh bare root of every platform, and runs the project's \
            smoke_test there. Prints built-on x installed-on with dpkg's refusal reason and the \
            package's glibc floor when its metadata carries one. --built-on chooses the rows \
            (default: the same platforms); '--built-on host' tries the packages a plain \
            'omnibus build' left in <output-dir>/. --format json adds each smoke test's \
            output. Exit 1 if any cell fails.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var global: GlobalOptions
    @OptionGroup var directories: DirectoryOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The project whose packages to try.", completion: .custom(NameCompletion.projects))
    var project: String

    @Option(name: .customLong("platform"), help: ArgumentHelp("A platform to install into (repeatable; default: the project's platforms:).", valueName: "name"))
    var platforms: [String] = []

    @Option(name: .customLong("built-on"), help: ArgumentHelp("Whose packages to try (repeatable; default: the --platform list); host: those of a plain omnibus build, in the output dir.", valueName: "name"))
    var builtOn: [String] = []

    @Option(help: "text or json.")
    var format: Format = .text

    @OptionGroup var display: DisplayOptions

    func run() async throws {
        let workspace = try global.workspace()
        let settings = try workspace.commandSettings(BuildSettings.Flags(directories: directories, output: output))
        let display = RunDisplay(self.display.mode())
        let run = ProjectRun(workspace: workspace, settings: settings, reporter: display.reporter, outcomes: display.render)
        let (project, platforms, builtOn) = (self.project, self.platforms, self.builtOn)
        let matrix = try await display.run { () async throws(RunError) in try await run.matrix(project, platforms: platforms, builtOn: builtOn) }
        Console.shared.text(format == .json ? matrix.json + "\n" : matrix.table, to: .results)
        if !matrix.cells.allSatisfy(\.passed) { throw CommandFailure(.failure, "") }
    }
}
