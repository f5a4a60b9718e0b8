import ArgumentParser
import Foundation
import OmnibusKit

struct CleanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clean",
        abstract: "Remove a project's build trees and logs; with --all also the caches and the install dir.",
        discussion: """
            The install dir is removed only if omnibus created it (an empty directory made by an \
            administrator is emptied, not removed). With --packages, the files of the project's \
            earlier versions are removed from the output dir (packages, metadata, signatures, \
            SBOMs, version manifests, build reports); those of the current version stay.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var directories: DirectoryOptions
    @OptionGroup var lock: LockOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The project.", completion: .custom(NameCompletion.projects))
    var project: String

    @Flag(help: "Also remove the source and layer caches and the install dir.")
    var all = false

    @Flag(help: "Also remove the project's earlier versions from the output dir, keeping the current version's files.")
    var packages = false

    func run() async throws {
        let workspace = try global.workspace()
        let run = ProjectRun(workspace: workspace, settings: try workspace.commandSettings(BuildSettings.Flags(directories: directories, output: output, lock: lock)),
                             reporter: PlainReporter(color: false, heartbeat: 30), outcomes: { _ in })
        let (project, all, packages) = (self.project, self.all, self.packages)
        let removed = try await RunInTask.run { () async throws(RunError) in try await run.clean(project, all: all, packages: packages) }
        if removed.isEmpty {
            print("nothing to clean for \(project)")
        } else {
            removed.forEach { print("removed \($0)") }
        }
    }
}
