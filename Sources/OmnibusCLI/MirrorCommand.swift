import ArgumentParser
import Foundation
import OmnibusKit

struct MirrorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mirror",
        abstract: "Fill a source mirror directory from Debian source packages and PyPI, for offline builds.",
        discussion: """
            For every software of the project whose source names a Debian source package \
            ('debian:' in its definition), runs 'apt-get source --download-only' and keeps only \
            the .orig file whose checksum equals the definition's. Needs deb-src entries in apt's \
            sources (scripts/enable-deb-src adds them). Pinned Python distributions ('pypi:' \
            sources) are fetched from the package index (OMNIBUS_PYPI_INDEX, default \
            https://pypi.org/pypi) and verified. Then build with --source-mirror DIR.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The project whose sources to mirror.", completion: .custom(NameCompletion.projects))
    var project: String

    @Option(help: ArgumentHelp("The mirror directory to fill (created if missing).", valueName: "dir"))
    var dir: String

    func run() async throws {
        let workspace = try global.workspace()
        let (project, dir) = (self.project, self.dir)
        let outcome = try await RunInTask.run { () async throws(RunError) in
            try await workspace.fillMirror(project, directory: dir) { print($0) }
        }
        if let report = outcome.report {
            print(report)
        } else if outcome.distributions.isEmpty {
            print("nothing to fetch from Debian for \(project)")
        }
        outcome.distributions.forEach { print($0) }
        guard outcome.complete else {
            var lines: [String] = []
            if !outcome.filledAll || !outcome.distributionsFilled { lines.append("the mirror is incomplete: see the lines above") }
            if !outcome.skipped.isEmpty {
                lines.append("skipped \(outcome.skipped.count) definition\(outcome.skipped.count == 1 ? "" : "s") that name no Debian source package:")
                for skipped in outcome.skipped {
                    lines.append("  \(skipped.software) (\(skipped.definitionFile)): add 'debian: <source package>[=<version>]' to its source, "
                                 + "or put \(skipped.fileName) (\(skipped.checksum)) in \(dir) yourself")
                }
            }
            throw CommandFailure(.failure, lines.joined(separator: "\n"))
        }
        print("mirror ready: omnibus build \(project) --source-mirror \(dir)")
    }
}
