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

    package init(graph: BuildGraph) {
        var requests: [DebianMirrorRequest] = []
        var missing: [Skipped] = []
        for node in graph.order {
            guard let file = node.version.source.kind.mirrorFile else { continue }
            guard let debian = file.debian else {
                missing.append(Skipped(software: node.name, definitionFile: node.software.file, fileName: file.fileName,
                                       checksum: file.checksum))
                continue
            }
            let origin = DebianOrigin(parsing: debian)
            requests.append(DebianMirrorRequest(package: origin.package, version: origin.version, fileName: file.fileName,
                                                checksum: file.checksum))
        }
        self.requests = requests
        self.withoutDebianSource = missing
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

    /// The mirror holds every file the project's file sources need.
    package var complete: Bool { filledAll && skipped.isEmpty }
}

extension Workspace {
    /// `omnibus mirror`: fills `directory` from Debian's source packages for every file source
    /// of the project that names one, whatever the platform and flags; `log` gets a line per step. A definition without
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
        guard !plan.requests.isEmpty else { return MirrorOutcome(report: nil, filledAll: true, skipped: skipped) }
        do {
            let report = try await DebianMirrorFiller(mirrorDirectory: directory).fill(plan.requests, log: log)
            return MirrorOutcome(report: report.description, filledAll: report.isComplete, skipped: skipped)
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
