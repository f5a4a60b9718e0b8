import Definitions
import Fetch
import Graph

/// What filling a source mirror from Debian needs for a project: one request per file source
/// whose definition names a Debian source package, and the rest listed so the user knows.
package struct MirrorPlan: Sendable {
    package let requests: [DebianMirrorRequest]
    /// Software with a file source but no `debian:`, and the file the mirror would need.
    package let withoutDebianSource: [(software: String, fileName: String, checksum: String)]

    package init(graph: BuildGraph) {
        var requests: [DebianMirrorRequest] = []
        var missing: [(String, String, String)] = []
        for node in graph.order {
            guard let file = node.version.source.kind.mirrorFile else { continue }
            guard let debian = file.debian else {
                missing.append((node.name, file.fileName, file.checksum.description))
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

extension Workspace {
    /// `omnibus mirror`: fills `directory` from Debian's source packages for every file source
    /// of the project that names one; `log` gets a line per step. Returns the report's text and
    /// whether every requested file is now in the mirror.
    package func fillMirror(_ projectName: String, directory: String,
                            log: @escaping @Sendable (String) -> Void) async throws(RunError) -> (report: String, complete: Bool)? {
        let graph: BuildGraph
        do { graph = try resolve(projectName) } catch { throw .badInput(error.description) }
        let plan = MirrorPlan(graph: graph)
        for (software, fileName, checksum) in plan.withoutDebianSource {
            log("skipped \(software): its definition names no Debian source package; put \(fileName) (\(checksum)) in \(directory) yourself, or add 'debian: <source package>' to its source")
        }
        guard !plan.requests.isEmpty else { return nil }
        do {
            let report = try await DebianMirrorFiller(mirrorDirectory: directory).fill(plan.requests, log: log)
            return (report.description, report.isComplete)
        } catch {
            if case .cancelled = error { throw .cancelled(.build) }
            throw .failed(.build, error.description)
        }
    }
}
