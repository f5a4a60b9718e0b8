import ArgumentParser
import Foundation
import OmnibusKit

struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create a packaging repository for a new project, ready to build.")

    @Argument(help: "The project name (a valid deb and rpm package name).")
    var name: String

    @Option(help: ArgumentHelp("Where to create it (default: ./omnibus-<name>).", valueName: "dir"))
    var path: String?

    @Flag(help: "Write into an existing non-empty directory, replacing the skeleton's files.")
    var force = false

    func run() throws {
        let generator: SkeletonGenerator
        do { generator = try SkeletonGenerator(name: name) } catch {
            throw CommandFailure(.badInput, error.description)
        }
        let directory = path ?? "omnibus-\(name)"
        do {
            let written = try generator.write(to: directory, force: force)
            print("created \(directory) (\(written.count) files):")
            written.forEach { print("  \($0)") }
            print("\nnext:\n  cd \(directory)\n  omnibus build \(name)")
        } catch {
            throw CommandFailure(.badInput, error.description)
        }
    }
}
