import Definitions
import Digest
import Foundation
import Fetch
import Graph

/// What filling a source mirror from Debian needs for a project: one request per file source
/// whose definition names a Debian source package, and the rest listed so the user knows.
package struct MirrorPlan: Sendable {
    package let requests: [DebianMirrorRequest]
    /// A file source whose definition names no Debian source package: the mirror cannot be
    /// filled for it, only by hand.
    package struct Skipped: Sendable {
        package let software: String
        /// The definition file to add `debian:` to, as the user sees it.
        package let definitionFile: String
        package let fileName: String
        package let checksum: Checksum
    }

    /// Software with a file source but no `debian:`, and the file the mirror would need.
    package let withoutDebianSource: [Skipped]
    /// Pinned Python distributions (`pypi:` sources), filled from the package index.
    package let distributions: [PinnedDistribution]

    package init(graph: BuildGraph) {
        var requests: [DebianMirrorRequest] = []
        var missing: [Skipped] = []
        var distributions: [PinnedDistribution] = []
        var planned: Set<String> = []
        for node in graph.order {
            // A version a `default_version` choice picks on another platform or with another
            // flag is built offline from this mirror too (a project override pins one version).
            let choices = node.overridden ? [] : node.software.versionChoices.compactMap { node.software.versions[$0.version.value] }
            for version in [node.version] + choices {
                if let pypi = version.source.kind as? PyPISource {
                    distributions += pypi.distributions.filter { planned.insert("pypi:\($0.name):\($0.version)").inserted }
                }
                guard let file = version.source.kind.mirrorFile, planned.insert(file.checksum.description).inserted else { continue }
                guard let debian = file.debian else {
                    missing.append(Skipped(software: node.name, definitionFile: node.software.file, fileName: file.fileName,
                                           checksum: file.checksum))
                    continue
                }
                let origin = DebianOrigin(parsing: debian)
                requests.append(DebianMirrorRequest(package: origin.package, version: origin.version, fileName: file.fileName,
                                                    checksum: file.checksum))
            }
        }
        self.requests = requests
        self.withoutDebianSource = missing
        self.distributions = distributions
    }
}

/// What `omnibus mirror` did: Debian's report (nil when nothing could be asked of Debian) and
/// the definitions it could not fill the mirror for.
package struct MirrorOutcome: Sendable {
    package let report: String?
    /// Every file asked of Debian is now in the mirror.
    package let filledAll: Bool
    /// Skipped definitions whose file is not already in the mirror (put there by hand).
    package let skipped: [MirrorPlan.Skipped]
    /// One line per pinned Python distribution, stored or failed.
    package var distributions: [PyPIMirrorFiller.Entry] = []

    /// Every pinned distribution is now in the mirror.
    package var distributionsFilled: Bool {
        distributions.allSatisfy { if case .success = $0.outcome { true } else { false } }
    }

    /// The mirror holds every file the project's sources need.
    package var complete: Bool { filledAll && distributionsFilled && skipped.isEmpty }
}

extension Workspace {
    /// `omnibus mirror`: fills `directory` from Debian's source packages for every file source
    /// of the project that names one, whatever the platform and flags, and from the package
    /// index for every pinned Python distribution; `log` gets a line per step. A definition without
    /// `debian:` is skipped, and reported unless its file is already in the mirror with the
    /// right checksum.
    package func fillMirror(_ projectName: String, directory: String,
                            log: @escaping @Sendable (String) -> Void) async throws(RunError) -> MirrorOutcome {
        let graph: BuildGraph
        // Every dependency any `when:` could bring in: a mirror serves the offline builds of
        // every platform and flag.
        do { graph = try resolveUnderEveryCondition(projectName) } catch { throw .badInput(error.description) }
        let plan = MirrorPlan(graph: graph)
        let skipped = plan.withoutDebianSource.filter { !Self.mirrorHolds(directory, $0.fileName, $0.checksum) }
        var outcome = MirrorOutcome(report: nil, filledAll: true, skipped: skipped)
        var sources: SourcePreparation?
        if !plan.distributions.isEmpty {
            do { sources = try SourcePreparation(settings: try settings(BuildSettings.Flags())) } catch {
                throw .badInput("\(error)")
            }
        }
        do throws(FetchError) {
            if !plan.requests.isEmpty {
                let report = try await DebianMirrorFiller(mirrorDirectory: directory).fill(plan.requests, log: log)
                outcome = MirrorOutcome(report: report.description, filledAll: report.isComplete, skipped: skipped)
            }
            if let sources {
                outcome.distributions = try await PyPIMirrorFiller(mirrorDirectory: directory, configuration: sources.fetcher.configuration)
                    .fill(plan.distributions, log: log)
            }
            return outcome
        } catch {
            if case .cancelled = error { throw .cancelled(.build) }
            throw .failed(.build, error.description)
        }
    }

    private static func mirrorHolds(_ directory: String, _ fileName: String, _ checksum: Checksum) -> Bool {
        let path = directory + "/" + fileName
        guard FileManager.default.fileExists(atPath: path) else { return false }
        return (try? checksum.verify(file: path).matches) ?? false
    }
}
