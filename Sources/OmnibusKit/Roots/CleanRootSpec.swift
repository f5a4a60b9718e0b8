import Definitions
import Digest
import Graph
import Foundation

/// What one clean root is made of. Two specs with the same key make the same root, so the key
/// names its cached tarball: suite, architecture, the sorted package list and the archive.
package struct CleanRootSpec: Sendable, Equatable {
    package let platform: TargetPlatform
    /// dpkg's architecture name (`amd64`).
    package let architecture: String
    /// Sorted, without duplicates: the base list plus the build dependencies of the family.
    package let packages: [String]
    package let archiveURI: String

    /// What every build needs besides the essential set: a C toolchain and make
    /// (build-essential), and `patch` for the patch step.
    package static let basePackages = ["build-essential", "patch"]

    /// - Parameter base: `basePackages` for a build root; empty for the bare system a package
    ///   is installed on to test it (what a fresh server or container has).
    package init(platform: TargetPlatform, architecture: String, extraPackages: [String], archiveURI: String,
                 base: [String] = Self.basePackages) {
        self.platform = platform
        self.architecture = architecture
        packages = Array(Set(base + extraPackages)).sorted()
        self.archiveURI = archiveURI
    }

    /// The build dependencies every software of a build declares, or implies by its steps, for
    /// the platform's family.
    package static func buildDependencies(of graph: BuildGraph, family: String) -> [String] {
        Array(Set(graph.order.flatMap { $0.buildDependencies(family: family, in: graph) })).sorted()
    }

    /// Bumped when how a root is made changes (variant, options), so old tarballs are not reused.
    static let format = 1

    package var key: String {
        let text = ["format=\(Self.format)", "suite=\(platform.suite)", "architecture=\(architecture)",
                    "archive=\(archiveURI)", "packages=" + packages.joined(separator: ",")].joined(separator: "\n")
        return (try? Digests.hex(.sha256, of: Data(text.utf8))) ?? text
    }

    /// `debian-12-amd64-<first 16 of the key>`: readable in a cache listing, unique per spec.
    package var tarballName: String { "\(platform.name)-\(architecture)-\(key.prefix(16)).tar" }
}
