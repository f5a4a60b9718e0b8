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

    /// - Parameter requiringRepository: false only for commands that work without definitions
    ///   (the layer cache), which read `omnibus.config.yml` when there is one.
    func workspace(requiringRepository: Bool = true) throws -> Workspace {
        if requiringRepository {
            do { try RepositoryMarkers.require(root) } catch {
                throw CommandFailure(.badInput, Self.notARepository(error.directory, rootGiven: root != "."))
            }
        }
        do {
            return try Workspace(root: root, extraSoftwareDirs: softwareDirs)
        } catch {
            throw CommandFailure(.badInput, error.description)
        }
    }

    /// One message for every command: where it looked, and the two ways on.
    static func notARepository(_ directory: String, rootGiven: Bool) -> String {
        let looked = rootGiven ? "--root \(directory)" : "the current directory (\(directory))"
        return """
            not a packaging repository: \(looked) has no Projects/, Software/ or omnibus.config.yml
              run omnibus inside one, or point at one with --root DIR
              or start one: omnibus new NAME
            """
    }
}
