import Digest
/// One file to put into a source mirror from a Debian source package's `.orig` files.
package struct DebianMirrorRequest: Sendable, Hashable {
    /// Debian source (or binary) package name, as `apt-get source` takes it.
    package var package: String
    /// Exact Debian version (epoch included, e.g. `1:1.2.13.dfsg-1`). When nil and the checksum is
    /// sha256, the version whose `.orig` has that sha256 is chosen from apt's Sources index;
    /// otherwise apt's default candidate is used.
    package var version: String?
    /// The name the file gets in the mirror: the upstream file name of a `url` source, or the
    /// file name of a `mirrorOnly` source.
    package var fileName: String
    package var checksum: Checksum

    package init(package: String, version: String? = nil, fileName: String, checksum: Checksum) {
        self.package = package
        self.version = version
        self.fileName = fileName
        self.checksum = checksum
    }
}

/// What happened to each request of a mirror fill.
package struct DebianMirrorReport: Sendable, Hashable, CustomStringConvertible {
    package struct Entry: Sendable, Hashable {
        package enum Outcome: Sendable, Hashable {
            /// A matching `.orig` file was stored; `paths` are the mirror entries written.
            case stored(debianFile: String, version: String?, paths: [String])
            /// The mirror already held the verified file; nothing was downloaded.
            case alreadyPresent(path: String)
            /// The package was downloaded but no `.orig` file has the checksum; `found` maps
            /// each `.orig` file name to its digest (same algorithm as the request).
            case noMatch(version: String?, found: [String: String])
            /// apt-get could not download the package (unknown package or version, network).
            case failed(String)
        }

        package let request: DebianMirrorRequest
        package let outcome: Outcome
    }

    package var entries: [Entry]

    /// True when every request ended with the file in the mirror.
    package var isComplete: Bool {
        entries.allSatisfy {
            switch $0.outcome {
            case .stored, .alreadyPresent: true
            case .noMatch, .failed: false
            }
        }
    }

    package var description: String {
        entries.map { entry in
            let request = entry.request
            let what = "\(request.fileName) from Debian package \(request.package)"
            switch entry.outcome {
            case .stored(let debianFile, let version, let paths):
                return "stored \(what)\(version.map { " \($0)" } ?? "") (\(debianFile), \(request.checksum.description)) as "
                    + paths.joined(separator: " and ")
            case .alreadyPresent(let path):
                return "already present: \(what) at \(path)"
            case .noMatch(let version, let found):
                let listing = found.sorted { $0.key < $1.key }
                    .map { "\($0.key) \(request.checksum.algorithm.rawValue) \($0.value)" }
                return "NO MATCH for \(what)\(version.map { " \($0)" } ?? ""): no .orig file has "
                    + "\(request.checksum.description); found: "
                    + (listing.isEmpty ? "no .orig file" : listing.joined(separator: "; "))
                    + ". Debian may have repacked this version: pin the Debian file's own name and checksum "
                    + "as a mirror-only version instead"
            case .failed(let reason):
                return "FAILED \(what): \(reason)"
            }
        }.joined(separator: "\n")
    }
}
