import ArgumentParser
import Foundation
import OmnibusKit

struct CleanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clean",
        abstract: "Remove a project's build trees and logs; with --all also the caches and the install dir.",
        discussion: "The install dir is removed only if omnibus created it (an empty directory made by an administrator is emptied, not removed).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var directories: DirectoryOptions

    @Argument(help: "The project.")
    var project: String

    @Flag(help: "Also remove the source and layer caches and the install dir.")
    var all = false

    func run() throws {
        let workspace = try global.workspace()
        let project = try workspace.loadProject(self.project)
        let settings = try workspace.commandSettings(BuildSettings.Flags(directories: directories))
        let removed = try ProjectCleaner(project: project, settings: settings).clean(all: all)
        if removed.isEmpty {
            print("nothing to clean for \(project.name)")
        } else {
            removed.forEach { print("removed \($0)") }
        }
    }
}
