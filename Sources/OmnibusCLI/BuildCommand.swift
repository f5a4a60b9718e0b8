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
            layers are restored from the cache. Logs: <work-dir>/<project>/logs/<software>.log. \
            The build report (JSON) is written to <output-dir>/<name>-<version>-<iteration>.build.json, \
            or after a failure to <work-dir>/<project>/build.json; --report FILE writes it there too.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var directories: DirectoryOptions
    @OptionGroup var build: BuildOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var lock: LockOptions
    @OptionGroup var signing: SigningOptions
    @OptionGroup var display: DisplayOptions
    @OptionGroup var flags: FlagOptions

    @Argument(help: "The project to build.", completion: .custom(NameCompletion.projects))
    var project: String

    @Option(help: ArgumentHelp("Also write the build report (JSON) here, whether the build succeeds or fails.", valueName: "file"))
    var report: String?

    @Option(name: .customLong("platform"),
            help: ArgumentHelp("Build in a clean root of this platform (debian-12, debian-13), or on the machine as it is (host, the default); repeat for several. Default: the project's platforms:.",
                               valueName: "name"))
    var platforms: [String] = []

    /// Given by a platform build to the run it starts in the platform's root; not for users.
    @Option(name: .customLong("inside-root"), help: .hidden)
    var insideRoot: String?

    func validate() throws {
        if display.quiet && build.verbose { throw ValidationError("--quiet and --verbose contradict each other; give one") }
        for name in platforms {
            if let problem = PlatformRoot.nameProblem(name) { throw ValidationError("--platform: \(problem)") }
        }
        if let insideRoot, PlatformRoot(argument: insideRoot) == nil { throw ValidationError("--inside-root: not PLATFORM=DIR") }
    }

    func run() async throws {
        let workspace = try global.workspace()
        let settings = try workspace.commandSettings(BuildSettings.Flags(directories: directories, build: build, output: output, lock: lock, signing: signing))
        let display = RunDisplay(self.display.mode())
        var inRoot = ProjectRun(workspace: workspace, settings: settings, reporter: display.reporter, outcomes: display.render)
        inRoot.platformRoot = insideRoot.flatMap(PlatformRoot.init(argument:))
        inRoot.flags = flags.choices
        let run = inRoot
        let (project, reportFile, platforms) = (self.project, report.map(absolutePath), self.platforms)
        try await display.run(finalLine: true) { () async throws(RunError) in
            try await run.build(project, platforms: platforms, reportFile: reportFile)
        }
    }
}

/// A path given on the command line, relative to the directory the command runs in.
private func absolutePath(_ path: String) -> String {
    path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
}
