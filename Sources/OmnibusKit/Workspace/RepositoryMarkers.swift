import Foundation

/// What makes a directory a packaging repository: any of `Projects/`, `Software/` or
/// `omnibus.config.yml` (or `.yaml`). Without this check a command run in the wrong directory
/// finds nothing to do and reports success ("ok: 0 projects"), which hides the mistake.
package enum RepositoryMarkers {
    package static let names = ["Projects", "Software", "omnibus.config.yml", "omnibus.config.yaml"]

    package static func isPackagingRepository(_ root: String) -> Bool {
        names.contains { FileManager.default.fileExists(atPath: (root as NSString).appendingPathComponent($0)) }
    }

    /// Refuses a directory with none of the markers, naming the absolute directory looked in.
    package static func require(_ root: String) throws(NotAPackagingRepository) {
        guard !isPackagingRepository(root) else { return }
        let absolute = URL(fileURLWithPath: root).standardizedFileURL.path
        throw NotAPackagingRepository(directory: absolute)
    }
}

/// The directory a command was pointed at is not a packaging repository.
package struct NotAPackagingRepository: Error, Sendable {
    /// The absolute directory that was looked in.
    package let directory: String
}

extension Workspace {
    /// Project names for shell completion: a directory listing only, so it is fast and cannot
    /// fail (a repository with a broken config still completes).
    package static func projectNames(root: String) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: (root as NSString).appendingPathComponent("Projects"))) ?? []
        return Set(files.filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }
            .map { ($0 as NSString).deletingPathExtension }).sorted()
    }
}
