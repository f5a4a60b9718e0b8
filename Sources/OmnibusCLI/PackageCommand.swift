import ArgumentParser
import Foundation
import OmnibusKit

struct PackageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "package",
        abstract: "Write the .deb, .rpm and .tar packages of an already built project.",
        discussion: "Packages are written natively (no dpkg-deb, rpmbuild or fpm), reproducibly: the same install dir and SOURCE_DATE_EPOCH give byte-identical packages. With a signing key (--signing-key, OMNIBUS_SIGNING_KEY or signing.key in omnibus.config.yml) gpg signs them; see docs/release.md.")

    @OptionGroup var global: GlobalOptions
    // The work dir's layer records order the payload, and the cache keeps its compressed layers.
    @OptionGroup var directories: DirectoryOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var lock: LockOptions
    @OptionGroup var signing: SigningOptions
    @OptionGroup var display: DisplayOptions

    @Argument(help: "The project.", completion: .custom(NameCompletion.projects))
    var project: String

    func run() async throws {
        let workspace = try global.workspace()
        let settings = try workspace.commandSettings(BuildSettings.Flags(directories: directories, output: output, lock: lock, signing: signing))
        let display = RunDisplay(self.display.mode())
        let run = ProjectRun(workspace: workspace, settings: settings, reporter: display.reporter, outcomes: display.render)
        let project = self.project
        try await display.run { () async throws(RunError) in try await run.package(project) }
    }
}
