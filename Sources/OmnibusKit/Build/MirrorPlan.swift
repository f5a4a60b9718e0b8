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
            let (fileName, checksum, debian): (String, Definitions.Checksum, String?)
            switch node.version.source {
            case .url(let url, let sum, let name, let hint):
                (fileName, checksum, debian) = (name ?? String(url.split(separator: "/").last ?? ""), sum, hint)
            case .mirrorOnly(let name, let sum, let hint):
                (fileName, checksum, debian) = (name, sum, hint)
            case .git, .path:
                continue
            }
            guard let debian, let fetchChecksum = try? Fetch.Checksum(checksum.algorithm == .sha256 ? .sha256 : .sha512, checksum.hex)
            else {
                missing.append((node.name, fileName, checksum.description))
                continue
            }
            let origin = DebianOrigin(parsing: debian)
            requests.append(DebianMirrorRequest(package: origin.package, version: origin.version, fileName: fileName,
                                                checksum: fetchChecksum))
        }
        self.requests = requests
        self.withoutDebianSource = missing
    }
}
