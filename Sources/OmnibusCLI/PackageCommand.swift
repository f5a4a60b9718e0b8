import ArgumentParser
import Foundation
import OmnibusKit
import Packaging

struct PackageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "package",
        abstract: "Write the .deb, .rpm and .tar packages of an already built project.",
        discussion: "Packages are written natively (no dpkg-deb, rpmbuild or fpm), reproducibly: the same install dir and SOURCE_DATE_EPOCH give byte-identical packages.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The project.")
    var project: String

    func run() throws {
        let workspace = try global.workspace()
        let project = try workspace.loadProject(self.project)
        let version: String
        do { version = try ProjectVersionResolver.resolve(project.version, repositoryRoot: workspace.repository.root) } catch {
            throw CommandFailure(.badInput, error.description)
        }
        try Self.writePackages(ProjectPackaging(project: project, version: version, repositoryRoot: workspace.repository.root,
                                                sourceDateEpoch: SourceDateEpoch.resolve(repositoryRoot: workspace.repository.root)),
                               to: output.directory(root: workspace.repository.root))
    }

    static func writePackages(_ packaging: ProjectPackaging, to directory: String) throws {
        let started = Date()
        let built: [BuiltPackage]
        do { built = try packaging.write(to: directory) } catch {
            throw CommandFailure(.failure, "packaging failed: \(error)")
        }
        for package in built {
            print("wrote \(package.path) (\(package.metadata.size) bytes, sha256 \(package.metadata.sha256))")
        }
        print(String(format: "packaged in %.1fs", Date().timeIntervalSince(started)))
    }
}
