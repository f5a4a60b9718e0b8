import ArgumentParser

import OmnibusKit

/// Options every command takes: which packaging repository to work in.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The packaging repository (holds Projects/, Software/, PackageScripts/).",
                                            valueName: "dir"))
    var root: String = "."

    @Option(name: .customLong("software-dir"),
            help: ArgumentHelp("An extra directory of software definitions, searched after the repository's own Software/ (repeatable).",
                               valueName: "dir"))
    var softwareDirs: [String] = []

    func workspace() throws -> Workspace {
        do {
            return try Workspace(root: root, extraSoftwareDirs: softwareDirs)
        } catch {
            throw CommandFailure(.badInput, error.description)
        }
    }
}
