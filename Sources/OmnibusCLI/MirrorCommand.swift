import ArgumentParser
import Fetch
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
        let graph = try global.workspace().resolve(project)
        let plan = MirrorPlan(graph: graph)
        for (software, fileName, checksum) in plan.withoutDebianSource {
            print("skipped \(software): its definition names no Debian source package; put \(fileName) (\(checksum)) in \(dir) yourself, or add 'debian: <source package>' to its source")
        }
        guard !plan.requests.isEmpty else {
            print("nothing to fetch from Debian for \(project)")
            return
        }
        let report: DebianMirrorReport
        do {
            report = try await DebianMirrorFiller(mirrorDirectory: dir).fill(plan.requests) { line in print(line) }
        } catch {
            throw CommandFailure(.failure, error.description)
        }
        print(report.description)
        guard report.isComplete else {
            throw CommandFailure(.failure, "the mirror is incomplete: see the lines above")
        }
        print("mirror ready: omnibus build \(project) --source-mirror \(dir)")
    }
}
