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
