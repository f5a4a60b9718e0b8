import ArgumentParser
import Foundation
import OmnibusKit

struct MirrorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mirror",
        abstract: "Fill a source mirror directory from Debian source packages, for offline builds.",
        discussion: """
            For every software of the project whose source names a Debian source package \
            ('debian:' in its definition), runs 'apt-get source --download-only' and keeps only \
            the .orig file whose checksum equals the definition's. Needs deb-src entries in apt's \
            sources (scripts/enable-deb-src adds them). Then build with --source-mirror DIR.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The project whose sources to mirror.")
    var project: String

    @Option(help: ArgumentHelp("The mirror directory to fill (created if missing).", valueName: "dir"))
    var dir: String

    func run() async throws {
        let workspace = try global.workspace()
        let (project, dir) = (self.project, self.dir)
        let filled = try await RunInTask.run { () async throws(RunError) in
            try await workspace.fillMirror(project, directory: dir) { print($0) }
        }
        guard let filled else {
            print("nothing to fetch from Debian for \(project)")
            return
        }
        print(filled.report)
        guard filled.complete else { throw CommandFailure(.failure, "the mirror is incomplete: see the lines above") }
        print("mirror ready: omnibus build \(project) --source-mirror \(dir)")
    }
}
